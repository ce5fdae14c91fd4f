"""Forms of the performance pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class SettingsForm(forms.Form):
    flag_below_pct = forms.DecimalField(
        label=_("Flag territories and reps below this attainment (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("200"),
        max_digits=5,
        decimal_places=1,
        localize=True,
    )
