"""Writes of the coverage model: settings, segment strategies and per-account plans.

Only admins and managers shape the coverage model; a manager may change the plan of an account
in their subtree. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.catalog.models import Product
from rumbo.core import audit
from rumbo.core.models import Organisation, Role, User
from rumbo.coverage.models import (
    AccountPlan,
    CoverageSettings,
    Frequency,
    Objective,
    Segment,
    SegmentStrategy,
)
from rumbo.customers.models import Account

# What a new organisation starts with: see the best often, the long tail cheaply.
DEFAULT_STRATEGIES: dict[str, tuple[str, str, int, str]] = {
    Segment.A: (Objective.RETAIN, Frequency.WEEKLY, 30, ""),
    Segment.B: (Objective.GROW, Frequency.FORTNIGHTLY, 20, ""),
    Segment.C: (Objective.LOW_COST, Frequency.MONTHLY, 15, ""),
    Segment.NEW: (Objective.GROW, Frequency.FORTNIGHTLY, 20, ""),
}
STRATEGY_FIELDS = ["objective", "frequency", "visit_min", "notes"]
SETTINGS_FIELDS = ["a_share_pct", "b_share_pct", "new_months", "speed_kmh", "detour"]
PLAN_FIELDS = ["objective", "frequency", "visit_min", "target_amount", "reason"]


def may_shape(user: User) -> bool:
    """Admins and managers set strategies and account plans (managers within their scope)."""
    return user.role in (Role.ADMIN, Role.MANAGER)


def _check(user: User, organisation_id: int) -> None:
    if not may_shape(user) or user.organisation_id != organisation_id:
        raise PermissionDenied(_("Only administrators and managers change the coverage model."))


def settings_for(organisation: Organisation) -> CoverageSettings:
    found, _created = CoverageSettings.objects.get_or_create(organisation=organisation)
    return found


def strategies_for(organisation: Organisation) -> dict[str, SegmentStrategy]:
    """Every segment's strategy, the defaults created where one is missing."""
    found = {s.segment: s for s in SegmentStrategy.objects.filter(organisation=organisation)}
    for segment, (objective, frequency, minutes, notes) in DEFAULT_STRATEGIES.items():
        if segment not in found:
            found[segment] = SegmentStrategy.objects.create(
                organisation=organisation,
                segment=segment,
                objective=objective,
                frequency=frequency,
                visit_min=minutes,
                notes=notes,
            )
    return found


@transaction.atomic
def update_settings(*, organisation: Organisation, actor: User, **fields: Any) -> CoverageSettings:
    _check(actor, organisation.pk)
    current = settings_for(organisation)
    before = audit.snapshot(current, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    current.full_clean()
    if current.a_share_pct + current.b_share_pct >= Decimal(100):
        raise ValidationError(_("A and B together must leave a share of revenue for C."))
    current.save()
    changes = audit.changes_between(before, audit.snapshot(current, SETTINGS_FIELDS))
    if changes:
        audit.record(actor=actor, obj=current, action="update", changes=changes,
                     organisation_id=organisation.pk)  # fmt: skip
    return current


@transaction.atomic
def update_strategies(
    *, organisation: Organisation, actor: User, rows: Mapping[str, Mapping[str, Any]]
) -> dict[str, SegmentStrategy]:
    """Change several segments' strategies at once: all of them or none."""
    _check(actor, organisation.pk)
    strategies = strategies_for(organisation)
    for segment, values in rows.items():
        if segment not in strategies:
            raise ValidationError(_("'%(segment)s' is not a segment.") % {"segment": segment})
        strategy = strategies[segment]
        before = audit.snapshot(strategy, STRATEGY_FIELDS)
        for name in STRATEGY_FIELDS:
            if name in values:
                setattr(strategy, name, values[name])
        strategy.full_clean()
        strategy.save()
        changes = audit.changes_between(before, audit.snapshot(strategy, STRATEGY_FIELDS))
        if changes:
            audit.record(actor=actor, obj=strategy, action="update", changes=changes)
    return strategies


@transaction.atomic
def save_account_plan(
    *,
    account: Account,
    actor: User,
    products: Iterable[Product] = (),
    **fields: Any,
) -> AccountPlan:
    """Set an account's own objective, frequency, duration, target and products to introduce.
    Empty values fall back to the segment's strategy. The caller has checked that `actor`
    sees the account."""
    _check(actor, account.organisation_id)
    chosen = list(products)
    if any(p.organisation_id != account.organisation_id for p in chosen):
        raise ValidationError(_("A product to introduce belongs to another organisation."))
    plan, created = AccountPlan.objects.get_or_create(account=account)
    before = audit.snapshot(plan, PLAN_FIELDS)
    before["introduce"] = sorted(plan.introduce.values_list("pk", flat=True))
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    plan.updated_by = actor
    plan.full_clean()
    plan.save()
    plan.introduce.set(chosen)
    after = audit.snapshot(plan, PLAN_FIELDS)
    after["introduce"] = sorted(p.pk for p in chosen)
    changes = audit.changes_between(before, after)
    if changes or created:
        audit.record(actor=actor, obj=plan, action="create" if created else "update",
                     changes=changes, organisation_id=account.organisation_id)  # fmt: skip
    return plan
