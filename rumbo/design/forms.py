"""Forms of the territory design pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rumbo.design.models import Scenario
from rumbo.design.services import RULE_FIELDS
from rumbo.territories.models import Territory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    root = forms.ModelChoiceField[Territory](
        label=_("Redesign the territories under"), queryset=None
    )

    def __init__(self, *args: Any, roots: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["root"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Territory.objects.filter(pk__in=[t.pk for t in roots])


class RulesForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = RULE_FIELDS


class EditForm(forms.Form):
    """Accounts picked on the map (ids) or typed (account codes), and what to do with them."""

    ACTIONS = [("move", _("Move")), ("lock", _("Lock")), ("unlock", _("Unlock"))]
    action = forms.ChoiceField(choices=ACTIONS)
    accounts = forms.CharField(
        label=_("Accounts"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Account codes or ids, separated by commas or spaces."),
    )
    territory = forms.ModelChoiceField[Territory](label=_("To"), queryset=None, required=False)

    def __init__(self, *args: Any, territories: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Territory.objects.filter(pk__in=[t.pk for t in territories])

    def clean_accounts(self) -> list[str]:
        words = [w for w in re.split(r"[\s,;]+", self.cleaned_data["accounts"]) if w]
        if not words:
            raise forms.ValidationError(_("Pick at least one account."))
        if len(words) > 100_000:
            raise forms.ValidationError(_("Too many accounts at once."))
        return words

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "move" and not data.get("territory"):
            self.add_error("territory", _("Pick the territory to move them to."))
        return data


class LocksForm(forms.Form):
    territories = forms.ModelMultipleChoiceField[Territory](
        label=_("Locked territories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, territories: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territories"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Territory.objects.filter(pk__in=[t.pk for t in territories])


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
