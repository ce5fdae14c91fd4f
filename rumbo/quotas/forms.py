"""Forms of the quota pages: a new plan, a plan's settings, and the hand-set values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import User
from rumbo.quotas.models import QuotaLine, QuotaPlan
from rumbo.quotas.services import SETTINGS
from rumbo.targets.models import MonthlyDistribution
from rumbo.territories.models import Territory

SETTING_FIELDS = SETTINGS


class SettingsForm(forms.ModelForm[QuotaPlan]):
    """The target to share and how: the method, its weights and the months."""

    class Meta:
        model = QuotaPlan
        fields = SETTING_FIELDS
        localized_fields = ["total"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["distribution"]
        field.queryset = MonthlyDistribution.objects.visible_to(user)
        field.empty_label = _("(none)")
        for name in ("weight_forecast", "weight_potential", "weight_last_year"):
            self.fields[name].widget.attrs.update(min=0, max=100, step=1)


class PlanForm(SettingsForm):
    """A new plan: for which part of the tree, year and measure, then the settings."""

    class Meta(SettingsForm.Meta):
        fields = ["root", "year", "measure", *SETTING_FIELDS]

    def __init__(self, *args: Any, user: User, roots: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field: Any = self.fields["root"]
        field.queryset = Territory.objects.filter(pk__in=[t.pk for t in roots]).order_by("path")
        field.label_from_instance = lambda t: f"{'· ' * t.depth}{t.name}"
        field.empty_label = None
        self.fields["year"].widget.attrs.update(step=1)


class AdjustForm(forms.Form):
    """One field per line that may be set by hand: the value set by hand, empty for none."""

    def __init__(self, *args: Any, lines: list[QuotaLine], step: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line-{line.pk}"] = forms.DecimalField(
                label=str(line.rep or line.territory), required=False, max_digits=16,
                decimal_places=0 if step == 1 else 2, initial=line.manual, localize=True,
                validators=[MinValueValidator(Decimal("0"))],
            )  # fmt: skip

    def changes(self) -> dict[int, Decimal | None]:
        """Line id → new hand-set value (None clears it), only for fields that changed."""
        out: dict[int, Decimal | None] = {}
        for line in self.lines:
            value = self.cleaned_data.get(f"line-{line.pk}")
            if value != line.manual:
                out[line.pk] = value
        return out
