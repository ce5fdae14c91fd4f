"""Writes of quota plans: create a draft, change its settings, set or clear values by hand,
read the inputs again, publish as targets, start a new version, delete a draft. Every change
recomputes the whole plan before anything is saved, so a change that cannot hold (values set by
hand that add up to more than their parent has) is refused whole, with the reason.

Admins plan any part of the tree; managers a part of their subtree. A manager does not set the
target of the territory they manage (it is set above them): their plan shares exactly the
target they were given, when there is one, and publishing writes the targets below it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import Role, User
from rumbo.quotas import adapters
from rumbo.quotas.models import Method, MonthsBy, QuotaLine, QuotaPlan
from rumbo.targets.models import MonthlyDistribution, Target
from rumbo.targets.selectors import managed_roots, may_edit_territory
from rumbo.targets.services import Cell, set_targets
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for

SETTINGS = [
    "total", "method", "weight_forecast", "weight_potential", "weight_last_year", "months_by",
    "distribution",
]  # fmt: skip


def may_plan(user: User, root: Territory) -> bool:
    """Admins plan any part of their organisation's tree; managers a part of their subtree."""
    if root.organisation_id != user.organisation_id or not user.sees_amounts:
        return False
    if user.role == Role.ADMIN:
        return True
    ids = scope_for(user).territory_ids
    return user.role == Role.MANAGER and (ids is None or root.pk in ids)


def may_set_root(user: User, root: Territory) -> bool:
    """Whether the user sets the root's own target (managers don't set their own)."""
    roots = managed_roots(user) if user.role == Role.MANAGER else set()
    return may_edit_territory(user, root, roots)


def given_total(user: User, root: Territory, year: int, measure: str) -> Decimal | None:
    """The root's target for the year as set above the user, which their plan must share."""
    if may_set_root(user, root):
        return None
    values = Target.objects.filter(
        territory=root, month__year=year, measure=measure, category__isnull=True
    ).values_list("value", flat=True)
    return sum(values, Decimal(0)) if values else None


def _check_settings(plan: QuotaPlan, user: User) -> None:
    step = plan.step
    try:
        total = Decimal(plan.total)
    except (InvalidOperation, TypeError):
        raise ValidationError({"total": _("Enter the target as a number.")}) from None
    if total < 0:
        raise ValidationError({"total": _("A target cannot be negative.")})
    if total % step:
        raise ValidationError({"total": _("Units are whole numbers.")})
    if plan.method == Method.BLEND and sum(plan.weights) != 100:
        raise ValidationError(
            _("The weights add up to %(total)s %%, not 100 %%.") % {"total": sum(plan.weights)}
        )
    if plan.months_by == MonthsBy.DISTRIBUTION:
        if plan.distribution is None:
            raise ValidationError({"distribution": _("Pick a monthly distribution.")})
        if plan.distribution.organisation_id != plan.organisation_id:
            raise ValidationError({"distribution": _("This belongs to another organisation.")})
    given = given_total(user, plan.root, plan.year, plan.measure)
    if given is not None and given != total:
        raise ValidationError(
            {
                "total": _(
                    "%(root)s's target for %(year)s is %(given)s, set above you: the plan shares "
                    "exactly that."
                )
                % {"root": plan.root, "year": plan.year, "given": adapters.money(given)}
            }
        )


def _lines(plan: QuotaPlan) -> list[QuotaLine]:
    return list(plan.lines.order_by("position"))


def _save_lines(lines: list[QuotaLine]) -> None:
    QuotaLine.objects.bulk_update(lines, ["proposal", "value", "share", "months", "manual"])


def _draft(plan: QuotaPlan) -> None:
    if not plan.is_draft:
        raise ValidationError(_("This plan is published; start a new version to change it."))


def _read_inputs(plan: QuotaPlan, keep: dict[tuple[int, int | None], Decimal]) -> None:
    """(Re)build the plan's lines from today's tree and inputs, keeping hand-set values of the
    territories and reps still there; computes and saves everything."""
    found = adapters.read_inputs(plan)
    plan.run = found.run
    plan.potential_month = found.potential_month
    plan.inputs_read_at = timezone.now()
    plan.save()
    plan.lines.all().delete()
    lines: list[QuotaLine] = []
    for i, node in enumerate(found.nodes):
        key = (node.territory.pk, node.rep.pk if node.rep else None)
        lines.append(
            QuotaLine(
                plan=plan, position=i, territory=node.territory, rep=node.rep, depth=node.depth,
                basis=[float(v) for v in found.basis[i]],
                shape=[float(v) for v in found.shape[i]],
                manual=keep.get(key) if i else None,
            )
        )  # fmt: skip
    # Parents come before children, so a depth's lines find their parents' keys saved.
    for depth in sorted({line.depth for line in lines}):
        batch = [line for line in lines if line.depth == depth]
        for line in batch:
            node = found.nodes[line.position]
            line.parent = lines[node.parent] if node.parent >= 0 else None
        QuotaLine.objects.bulk_create(batch)
    adapters.compute(plan, lines)
    _save_lines(lines)


@transaction.atomic
def create_plan(
    *,
    root: Territory,
    year: int,
    measure: str,
    total: Decimal,
    method: str,
    months_by: str,
    weights: tuple[int, int, int] = (50, 25, 25),
    distribution: MonthlyDistribution | None = None,
    actor: User,
) -> QuotaPlan:
    """A draft plan sharing `total` for `year` among everything below `root`."""
    if not may_plan(actor, root):
        raise PermissionDenied
    plan = QuotaPlan(
        organisation_id=root.organisation_id, root=root, year=year, measure=measure,
        total=total, method=method, months_by=months_by, distribution=distribution,
        weight_forecast=weights[0], weight_potential=weights[1], weight_last_year=weights[2],
        created_by=actor,
    )  # fmt: skip
    _check_settings(plan, actor)
    plan.full_clean(validate_constraints=False)
    plan.save()
    _read_inputs(plan, {})
    audit.record(actor=actor, obj=plan, action="create", changes={"total": [None, str(total)]})
    return plan


@transaction.atomic
def change_settings(*, plan: QuotaPlan, actor: User, **values: Any) -> QuotaPlan:
    """Change the total, the method, its weights or how months are spread; the plan is
    computed again and the values set by hand are kept."""
    _draft(plan)
    before = {f: str(getattr(plan, f)) for f in SETTINGS}
    for name, value in values.items():
        if name not in SETTINGS:
            raise ValueError(name)
        setattr(plan, name, value)
    _check_settings(plan, actor)
    plan.full_clean(validate_constraints=False)
    lines = _lines(plan)
    adapters.compute(plan, lines)
    plan.save()
    _save_lines(lines)
    changes = audit.changes_between(before, {f: str(getattr(plan, f)) for f in SETTINGS})
    if changes:
        audit.record(actor=actor, obj=plan, action="update", changes=changes)
    return plan


@transaction.atomic
def adjust(*, plan: QuotaPlan, values: dict[int, Decimal | None], actor: User) -> int:
    """Set (a number) or clear (None) the hand-set annual value of lines, by line id; the free
    lines beside each share what is left. All or nothing. Returns how many lines changed."""
    _draft(plan)
    lines = _lines(plan)
    by_id = {line.pk: line for line in lines}
    step = plan.step
    changed: dict[str, list[Any]] = {}
    for pk, value in values.items():
        line = by_id.get(pk)
        if line is None or line.parent_id is None:
            raise ValidationError(_("That line is not part of this plan."))
        if value is not None:
            if value < 0:
                raise ValidationError(_("A quota cannot be negative."))
            if value % step:
                raise ValidationError(_("Units are whole numbers."))
            value = value.quantize(Decimal("0.01"))
        if line.manual != value:
            label = str(line.rep or line.territory)
            changed[label] = [None if line.manual is None else str(line.manual),
                              None if value is None else str(value)]  # fmt: skip
            line.manual = value
    if not changed:
        return 0
    adapters.compute(plan, lines)
    _save_lines(lines)
    plan.save(update_fields=["updated_at"])
    audit.record(actor=actor, obj=plan, action="update", changes=changed)
    return len(changed)


@transaction.atomic
def refresh_inputs(*, plan: QuotaPlan, actor: User) -> QuotaPlan:
    """Read the tree, the reps, the forecast, the potential and last year's sales again (e.g.
    after a new seasons run); values set by hand stay where their territory or rep still is."""
    _draft(plan)
    keep = {
        (line.territory_id, line.rep_id): line.manual
        for line in plan.lines.all()
        if line.manual is not None
    }
    _read_inputs(plan, keep)
    audit.record(actor=actor, obj=plan, action="update", changes={"inputs": [None, "read again"]})
    return plan


@transaction.atomic
def publish(*, plan: QuotaPlan, actor: User) -> int:
    """Write the plan as monthly targets of its territories (the root's too when the actor
    sets it) and of its reps (a rep under several territories gets their sum), replacing the
    year's earlier targets of the same measure; the earlier published version, if any, is
    marked as replaced. Returns how many targets changed."""
    _draft(plan)
    if not may_plan(actor, plan.root):
        raise PermissionDenied
    plan = QuotaPlan.objects.select_for_update().get(pk=plan.pk)
    _draft(plan)  # again, under the lock: two clicks publish once
    _check_settings(plan, actor)
    lines = _lines(plan)
    adapters.compute(plan, lines)  # the inputs have not moved, but the totals must hold
    _save_lines(lines)
    months = [dt.date(plan.year, m, 1) for m in range(1, 13)]
    cells: list[Cell] = []
    reps: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
    rep_of: dict[int, User] = {}
    set_root = may_set_root(actor, plan.root)
    for line in lines:
        values = line.month_values
        rep = line.rep
        if rep is not None:
            rep_of[rep.pk] = rep
            reps[rep.pk] = [a + b for a, b in zip(reps[rep.pk], values, strict=True)]
        elif line.parent_id is not None or set_root:
            cells += [
                Cell(m, v, territory=line.territory) for m, v in zip(months, values, strict=True)
            ]
    for rep_id, values in reps.items():
        cells += [Cell(m, v, rep=rep_of[rep_id]) for m, v in zip(months, values, strict=True)]
    earlier = QuotaPlan.objects.filter(
        root=plan.root, year=plan.year, measure=plan.measure, status=QuotaPlan.Status.PUBLISHED
    )
    # Whoever the version before gave a quota and this one does not (a rep who left, a
    # territory closed) loses it: the year's targets are this version's, whole.
    kept_reps = set(reps)
    kept_territories = {line.territory_id for line in lines if line.rep is None}
    before = QuotaLine.objects.filter(plan__in=earlier, parent__isnull=False)
    for line in before.select_related("territory", "rep"):
        if line.rep is not None and line.rep.pk not in kept_reps:
            kept_reps.add(line.rep.pk)
            cells += [Cell(m, None, rep=line.rep) for m in months]
        elif line.rep is None and line.territory_id not in kept_territories:
            kept_territories.add(line.territory_id)
            cells += [Cell(m, None, territory=line.territory) for m in months]
    changed = set_targets(
        organisation=plan.organisation, measure=plan.measure, cells=cells, actor=actor
    )
    earlier.update(status=QuotaPlan.Status.SUPERSEDED)
    last = QuotaPlan.objects.filter(root=plan.root, year=plan.year, measure=plan.measure)
    plan.version = (last.aggregate(v=Max("version"))["v"] or 0) + 1
    plan.status = QuotaPlan.Status.PUBLISHED
    plan.published_by = actor
    plan.published_at = timezone.now()
    plan.save()
    audit.record(
        actor=actor, obj=plan, action="update",
        changes={"status": ["draft", "published"], "version": [None, plan.version],
                 "targets changed": [None, changed]},
    )  # fmt: skip
    return changed


@transaction.atomic
def new_version(*, plan: QuotaPlan, actor: User) -> QuotaPlan:
    """A draft copy of a published (or replaced) plan, with its settings and hand-set values,
    on today's tree and inputs."""
    if plan.is_draft:
        raise ValidationError(_("This plan is still a draft; change it directly."))
    if not may_plan(actor, plan.root):
        raise PermissionDenied
    keep = {
        (line.territory_id, line.rep_id): line.manual
        for line in plan.lines.all()
        if line.manual is not None
    }
    copy = QuotaPlan.objects.create(
        organisation_id=plan.organisation_id, root=plan.root, year=plan.year,
        measure=plan.measure, total=plan.total, method=plan.method,
        weight_forecast=plan.weight_forecast, weight_potential=plan.weight_potential,
        weight_last_year=plan.weight_last_year, months_by=plan.months_by,
        distribution=plan.distribution, created_by=actor,
    )  # fmt: skip
    _read_inputs(copy, keep)
    audit.record(actor=actor, obj=copy, action="create",
                 changes={"copy of version": [None, plan.version]})  # fmt: skip
    return copy


@transaction.atomic
def delete_draft(*, plan: QuotaPlan, actor: User) -> None:
    _draft(plan)
    audit.record(actor=actor, obj=plan, action="delete", changes={"total": [str(plan.total), None]})
    plan.delete()
