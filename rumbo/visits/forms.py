"""Forms of the visit planning pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rumbo.customers.models import Account
from rumbo.visits.models import WEEKDAY_CHOICES, CallPlan, RoutingSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    starts_on = forms.DateField(label=_("From the week of"), widget=DATE)
    weeks = forms.TypedChoiceField(
        label=_("Weeks"), choices=[(w, w) for w in (1, 2, 3, 4)], coerce=int, initial=2
    )
    time_limit_s = forms.IntegerField(
        label=_("Time limit (s)"), min_value=2, max_value=300, initial=20
    )


class CallPlanForm(forms.Form):
    preferred = forms.TypedMultipleChoiceField(
        label=_("Preferred days"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    forbidden = forms.TypedMultipleChoiceField(
        label=_("Never on"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=CallPlan.Priority.choices, coerce=int,
        initial=CallPlan.Priority.NORMAL,
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if set(data.get("preferred") or []) & set(data.get("forbidden") or []):
            raise forms.ValidationError(_("A day cannot be both preferred and refused."))
        return data


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Move to"), widget=DATE)


class AddVisitForm(forms.Form):
    account = forms.ModelChoiceField[Account](label=_("Account"), queryset=None)

    def __init__(self, *args: Any, accounts: list[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Account.objects.filter(pk__in=[a.pk for a in accounts]).order_by(
            "trade_name"
        )


class HereForm(forms.Form):
    """Where the rep stands and the time on the phone, for "optimise my day"."""

    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    now = forms.TimeField(required=False)


class RoutingSettingsForm(forms.ModelForm):
    class Meta:
        model = RoutingSettings
        fields = ["circuity", "urban_kmh", "rural_kmh", "access_min", "lunch_from",
                  "lunch_until", "lunch_min"]  # fmt: skip
        widgets = {
            "lunch_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "lunch_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, minutes = data.get("lunch_from"), data.get("lunch_until"), data.get("lunch_min")
        if start and end and minutes is not None:
            room = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            if room < minutes:
                raise forms.ValidationError(
                    _("Lunch must fit between its earliest and latest time.")
                )
        return data


class TimelyForm(forms.Form):
    account = forms.IntegerField(min_value=1)
    day = forms.DateField(widget=DATE)
