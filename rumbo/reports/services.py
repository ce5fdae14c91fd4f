"""Writes of the reports app: its settings (the rollups are written by rumbo.reports.rollups)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import Organisation, User
from rumbo.reports.models import PerformanceSettings


@transaction.atomic
def save_settings(
    *, organisation: Organisation, flag_below_pct: Decimal, actor: User | None = None
) -> PerformanceSettings:
    """Set the attainment below which territories and reps are flagged."""
    if not Decimal(0) <= flag_below_pct <= Decimal(200):
        raise ValidationError({"flag_below_pct": _("Give a percentage between 0 and 200.")})
    found, _created = PerformanceSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = audit.snapshot(found, ["flag_below_pct"])
    found.flag_below_pct = flag_below_pct.quantize(Decimal("0.1"))
    found.save()
    changes = audit.changes_between(before, audit.snapshot(found, ["flag_below_pct"]))
    if changes:
        audit.record(actor=actor, obj=found, action="update", changes=changes)
    return found
