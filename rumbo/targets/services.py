"""Setting targets; every change is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.catalog.models import Category
from rumbo.core import audit
from rumbo.core.models import Organisation, User
from rumbo.targets.models import Target
from rumbo.territories.models import Territory


@transaction.atomic
def set_target(
    *,
    organisation: Organisation,
    month: dt.date,
    measure: str,
    value: Decimal,
    territory: Territory | None = None,
    rep: User | None = None,
    category: Category | None = None,
    actor: User | None = None,
) -> Target:
    """Create or change the target of a territory or a rep for one month and measure."""
    if (territory is None) == (rep is None):
        raise ValidationError(_("A target is for a territory or for a rep, not both."))
    for name, obj in (("territory", territory), ("rep", rep), ("category", category)):
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ValidationError({name: _("This belongs to another organisation.")})
    if value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    month = month.replace(day=1)
    value = value.quantize(Decimal("0.01"))
    target = (
        Target.objects.select_for_update()
        .filter(territory=territory, rep=rep, month=month, measure=measure, category=category)
        .first()
    )
    old = target.value if target else None
    if target is None:
        target = Target(
            organisation=organisation,
            territory=territory,
            rep=rep,
            month=month,
            measure=measure,
            category=category,
            value=value,
            updated_by=actor,
        )
        target.full_clean(validate_constraints=False)
        target.save()
    elif target.value == value:
        return target
    else:
        target.value = value
        target.updated_by = actor
        target.save(update_fields=["value", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        obj=target,
        action="create" if old is None else "update",
        changes={"value": [old, value]},
    )
    return target
