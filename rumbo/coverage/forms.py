"""Forms of the coverage pages: settings, one strategy row per segment, an account's plan."""

from __future__ import annotations

from typing import Any

from django import forms

from rumbo.catalog.models import Product
from rumbo.coverage.models import AccountPlan, CoverageSettings, SegmentStrategy


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CoverageSettings
        fields = ["a_share_pct", "b_share_pct", "new_months", "speed_kmh", "detour"]


class StrategyForm(forms.ModelForm):
    class Meta:
        model = SegmentStrategy
        fields = ["objective", "frequency", "visit_min", "notes"]


class AccountPlanForm(forms.ModelForm):
    class Meta:
        model = AccountPlan
        fields = ["objective", "frequency", "visit_min", "target_amount", "introduce", "reason"]
        widgets = {"introduce": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["introduce"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Product.objects.filter(
            organisation_id=organisation_id, is_active=True, discontinued=False
        ).order_by("name")
