"""Setting targets by hand, by copying last year, or by spreading an annual figure over the
months with a monthly distribution; every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from rumbo.catalog.models import Category
from rumbo.core import audit
from rumbo.core.models import Organisation, User
from rumbo.orders.models import MonthlyCategorySales, MonthlySales
from rumbo.targets.models import Measure, MonthlyDistribution, Target
from rumbo.targets.selectors import category_descendants, category_parents
from rumbo.territories.models import Territory

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


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


@transaction.atomic
def clear_target(
    *,
    organisation: Organisation,
    month: dt.date,
    measure: str,
    territory: Territory | None = None,
    rep: User | None = None,
    category: Category | None = None,
    actor: User | None = None,
) -> bool:
    """Remove an explicit target (a territory's then rolls up from its children again).
    Returns whether there was one."""
    target = (
        Target.objects.select_for_update()
        .filter(
            organisation=organisation, territory=territory, rep=rep,
            month=month.replace(day=1), measure=measure, category=category,
        )
        .first()
    )  # fmt: skip
    if target is None:
        return False
    audit.record(actor=actor, obj=target, action="delete", changes={"value": [target.value, None]})
    target.delete()
    return True


@dataclass(frozen=True)
class Cell:
    """One target to set: a territory's or a rep's, for a month; value None clears it."""

    month: dt.date
    value: Decimal | None
    territory: Territory | None = None
    rep: User | None = None


@transaction.atomic
def set_targets(
    *,
    organisation: Organisation,
    measure: str,
    cells: Iterable[Cell],
    category: Category | None = None,
    actor: User | None = None,
) -> int:
    """Set or clear many targets at once (a grid, a copy, a spread): all or none.
    Returns how many changed."""
    changed = 0
    for cell in cells:
        current = (
            Target.objects.filter(
                organisation=organisation, month=cell.month, measure=measure,
                territory=cell.territory, rep=cell.rep, category=category,
            )
            .values_list("value", flat=True)
            .first()
        )  # fmt: skip
        if cell.value is None:
            changed += clear_target(
                organisation=organisation, month=cell.month, measure=measure,
                territory=cell.territory, rep=cell.rep, category=category, actor=actor,
            )  # fmt: skip
            continue
        if current is not None and current == cell.value.quantize(CENT):
            continue
        set_target(
            organisation=organisation, month=cell.month, measure=measure, value=cell.value,
            territory=cell.territory, rep=cell.rep, category=category, actor=actor,
        )  # fmt: skip
        changed += 1
    return changed


def spread(annual: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """An annual figure over twelve months by percentage, to the cent: each month gets its
    share rounded down, and the céntimos left go to the months that lost most in rounding, so
    the months add up exactly to the annual figure and none is negative."""
    if len(shares) != 12:
        raise ValidationError(_("A distribution has twelve months."))
    total = annual.quantize(CENT, ROUND_HALF_UP)
    exact = [total * s / HUNDRED for s in shares]
    values = [e.quantize(CENT, ROUND_DOWN) for e in exact]
    left = int((total - sum(values, Decimal(0))) / CENT)
    by_remainder = sorted(range(12), key=lambda i: (-(exact[i] - values[i]), i))
    for i in by_remainder[:left]:
        values[i] += CENT
    return values


def check_shares(shares: list[Decimal]) -> list[Decimal]:
    """Twelve non-negative percentages adding up to exactly 100, or a ValidationError."""
    if len(shares) != 12:
        raise ValidationError(_("A distribution has twelve months."))
    if any(s < 0 for s in shares):
        raise ValidationError(_("A month cannot have a negative share."))
    total = sum(shares, Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            _("The months add up to %(total)s %%, not 100 %%.") % {"total": total}
        )
    return shares


@transaction.atomic
def spread_annual(
    *,
    organisation: Organisation,
    year: int,
    measure: str,
    annual: Decimal,
    territory: Territory | None = None,
    rep: User | None = None,
    category: Category | None = None,
    distribution: MonthlyDistribution | None = None,
    actor: User | None = None,
) -> int:
    """Set a year's twelve monthly targets from an annual figure and a distribution (equal
    months without one). Returns how many changed."""
    if annual < 0:
        raise ValidationError({"annual": _("A target cannot be negative.")})
    if distribution is not None and distribution.organisation_id != organisation.pk:
        raise ValidationError({"distribution": _("This belongs to another organisation.")})
    shares = distribution.shares if distribution else [HUNDRED / 12] * 12
    values = spread(annual, shares)
    cells = [
        Cell(dt.date(year, m, 1), values[m - 1], territory=territory, rep=rep) for m in range(1, 13)
    ]
    return set_targets(
        organisation=organisation, measure=measure, cells=cells, category=category, actor=actor
    )


def last_year_sales(
    *, organisation: Organisation, year: int, measure: str, territory: Territory | None,
    rep: User | None, category: Category | None,
) -> dict[int, Decimal]:  # fmt: skip
    """Month number → what the territory (with its subtree) or rep sold in `year`."""
    rows: Any
    if category is not None:
        parents = category_parents(organisation.pk)
        rows = MonthlyCategorySales.objects.filter(
            organisation=organisation, month__year=year,
            category__in=category_descendants(category.pk, parents),
        )  # fmt: skip
    else:
        rows = MonthlySales.objects.filter(organisation=organisation, month__year=year)
    if territory is not None:
        rows = rows.filter(
            territory__organisation=organisation, territory__path__startswith=territory.path
        )
    else:
        rows = rows.filter(rep=rep)
    field = "net_amount" if measure == Measure.AMOUNT else "quantity"
    sums = rows.values("month").order_by().annotate(v=Sum(field))
    return {row["month"].month: Decimal(row["v"]).quantize(CENT) for row in sums}


@transaction.atomic
def copy_last_year(
    *,
    organisation: Organisation,
    year: int,
    measure: str,
    change_pct: Decimal,
    basis: str,
    territories: Iterable[Territory] = (),
    reps: Iterable[User] = (),
    category: Category | None = None,
    actor: User | None = None,
) -> int:
    """Each owner's targets for `year` from the year before, plus or minus a percentage.
    `basis` is "targets" (last year's targets; months without one are left alone) or
    "sales" (what was sold). Returns how many targets changed."""
    if change_pct <= -100:
        raise ValidationError({"change_pct": _("The change must be above -100 %.")})
    factor = 1 + change_pct / HUNDRED
    cells: list[Cell] = []
    owners = [(t, None) for t in territories] + [(None, r) for r in reps]
    for territory, rep in owners:
        before = _last_year(organisation, year - 1, measure, territory, rep, category, basis)
        cells += [
            Cell(dt.date(year, month, 1), (value * factor).quantize(CENT, ROUND_HALF_UP),
                 territory=territory, rep=rep)
            for month, value in sorted(before.items())
        ]  # fmt: skip
    return set_targets(
        organisation=organisation, measure=measure, cells=cells, category=category, actor=actor
    )


def _last_year(
    organisation: Organisation, year: int, measure: str, territory: Territory | None,
    rep: User | None, category: Category | None, basis: str,
) -> dict[int, Decimal]:  # fmt: skip
    if basis == "sales":
        return last_year_sales(
            organisation=organisation, year=year, measure=measure, territory=territory, rep=rep,
            category=category,
        )  # fmt: skip
    rows = Target.objects.filter(
        organisation=organisation, month__year=year, measure=measure, territory=territory,
        rep=rep, category=category,
    )  # fmt: skip
    return {t.month.month: t.value for t in rows}


@transaction.atomic
def save_distribution(
    *,
    organisation: Organisation,
    name: str,
    percentages: list[Decimal],
    distribution: MonthlyDistribution | None = None,
    actor: User | None = None,
) -> MonthlyDistribution:
    """Create or change a named monthly distribution (twelve percentages adding to 100)."""
    shares = check_shares([Decimal(p).quantize(CENT) for p in percentages])
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the distribution a name.")})
    clash = MonthlyDistribution.objects.filter(organisation=organisation, name__iexact=name)
    if distribution is not None:
        if distribution.organisation_id != organisation.pk:
            raise ValidationError(_("This belongs to another organisation."))
        clash = clash.exclude(pk=distribution.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another distribution has this name.")})
    stored = [str(s) for s in shares]
    if distribution is None:
        distribution = MonthlyDistribution.objects.create(
            organisation=organisation, name=name, percentages=stored, updated_by=actor
        )
        audit.record(actor=actor, obj=distribution, action="create",
                     changes={"percentages": [None, stored]})  # fmt: skip
        return distribution
    before = {"name": distribution.name, "percentages": distribution.percentages}
    distribution.name, distribution.percentages = name, stored
    distribution.updated_by = actor
    distribution.save()
    changes = audit.changes_between(before, {"name": name, "percentages": stored})
    if changes:
        audit.record(actor=actor, obj=distribution, action="update", changes=changes)
    return distribution


@transaction.atomic
def delete_distribution(*, distribution: MonthlyDistribution, actor: User | None = None) -> None:
    audit.record(actor=actor, obj=distribution, action="delete",
                 changes={"percentages": [distribution.percentages, None]})  # fmt: skip
    distribution.delete()
