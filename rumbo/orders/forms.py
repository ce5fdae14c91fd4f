"""The order list's filters and the form behind each action button of an order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rumbo.orders.models import OrderStatus
from rumbo.orders.selectors import OrderFilters


class OrderFilterForm(forms.Form):
    """GET filters of the order list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *OrderStatus.choices],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> OrderFilters:
        data = self.cleaned_data
        return OrderFilters(
            status=data.get("status") or "",
            account_id=data.get("account"),
            since=data.get("since"),
            until=data.get("until"),
            text=data.get("q") or "",
        )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "approve", "reject", "confirm", "deliver", "cancel")]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=250)
