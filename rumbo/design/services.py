"""Writes of territory design: create a scenario from today's alignment, move and lock accounts,
lock territories, store the optimiser's answer, publish with an effective date, roll back.

Only admins and managers design territories, managers within their subtree; the views and the
task fetch scenarios through `Scenario.objects.visible_to(user)` before calling these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import User
from rumbo.customers.models import Account, Alignment
from rumbo.customers.services import move_account
from rumbo.design.adapters import leaves_under
from rumbo.design.models import Placement, Scenario
from rumbo.territories.models import Territory

RULE_FIELDS = [
    "units", "workload_tol", "sales_tol", "potential_tol", "accounts_tol",
    "min_kept_pct", "kept_basis", "time_limit_s",
]  # fmt: skip


def _draft(scenario: Scenario) -> None:
    if not scenario.is_draft:
        raise ValidationError(_("This scenario is published; copy it to change it."))


@transaction.atomic
def create_scenario(
    *, root: Territory, name: str, actor: User, copy_of: Scenario | None = None
) -> Scenario:
    """A draft of the territories under `root`, starting from today's alignment (or from the
    placements and rules of `copy_of`)."""
    leaves = leaves_under(root)
    if len(leaves) < 2:
        raise ValidationError(
            _("%(root)s has fewer than two territories below it; pick a higher level.")
            % {"root": root}
        )
    rules = {f: getattr(copy_of, f) for f in RULE_FIELDS} if copy_of else {}
    scenario = Scenario.objects.create(
        organisation_id=root.organisation_id, root=root, name=name, created_by=actor, **rules
    )
    accounts = Account.objects.filter(territory__in=leaves).values_list("pk", "territory_id")
    proposed: dict[int, tuple[int, bool, str]] = {}
    if copy_of is not None:
        scenario.locked_territories.set(copy_of.locked_territories.all())
        proposed = {
            p.account_id: (p.territory_id, p.locked, p.source)
            for p in copy_of.placements.filter(territory__in=leaves)
        }
    Placement.objects.bulk_create(
        [
            Placement(
                scenario=scenario,
                account_id=account_id,
                base_territory_id=territory_id,
                territory_id=proposed.get(account_id, (territory_id,))[0],
                locked=proposed.get(account_id, (0, False))[1],
                source=proposed.get(account_id, (0, False, Placement.Source.TODAY))[2],
            )
            for account_id, territory_id in accounts
        ],
        batch_size=2000,
    )
    audit.record(actor=actor, obj=scenario, action="create", changes={"root": [None, str(root)]})
    return scenario


def _placements(scenario: Scenario, account_ids: Iterable[int]) -> Any:
    ids = set(account_ids)
    found = scenario.placements.filter(account_id__in=ids)
    if not ids or found.count() != len(ids):
        raise ValidationError(_("Pick accounts of this scenario."))
    return found


@transaction.atomic
def move_accounts(
    *, scenario: Scenario, account_ids: Iterable[int], territory: Territory, actor: User
) -> int:
    """Put accounts in another territory of the scenario by hand; they are locked there, so
    that the optimiser keeps them where the manager put them."""
    _draft(scenario)
    if territory not in leaves_under(scenario.root):
        raise ValidationError(_("Pick one of the scenario's territories."))
    placements = _placements(scenario, account_ids)
    if placements.filter(locked=True).exclude(source=Placement.Source.MANUAL).exists():
        raise ValidationError(_("Some of these accounts are locked; unlock them first."))
    moved = placements.exclude(territory=territory).update(
        territory=territory, locked=True, source=Placement.Source.MANUAL
    )
    if moved:
        audit.record(
            actor=actor, obj=scenario, action="update",
            changes={"moved_accounts": [None, moved], "territory": [None, str(territory)]},
        )  # fmt: skip
    return moved


@transaction.atomic
def lock_accounts(
    *, scenario: Scenario, account_ids: Iterable[int], locked: bool, actor: User
) -> int:
    _draft(scenario)
    return _placements(scenario, account_ids).update(locked=locked)


@transaction.atomic
def lock_territories(
    *, scenario: Scenario, territories: Iterable[Territory], actor: User
) -> Scenario:
    """Keep these territories exactly as they are in the scenario."""
    _draft(scenario)
    chosen = list(territories)
    allowed = leaves_under(scenario.root)
    if any(t not in allowed for t in chosen):
        raise ValidationError(_("Pick the scenario's own territories."))
    scenario.locked_territories.set(chosen)
    return scenario


@transaction.atomic
def update_rules(*, scenario: Scenario, actor: User, **rules: Any) -> Scenario:
    _draft(scenario)
    for name in RULE_FIELDS:
        if name in rules:
            setattr(scenario, name, rules[name])
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
def apply_optimisation(
    *, scenario: Scenario, moves: dict[int, int], outcome: dict[str, Any]
) -> Scenario:
    """Store the optimiser's answer: {placement id: territory id} for every account it moved
    (locked accounts are never in it), and its summary."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _draft(scenario)
    by_territory: dict[int, list[int]] = {}
    for placement_id, territory_id in moves.items():
        by_territory.setdefault(territory_id, []).append(placement_id)
    for territory_id, placement_ids in by_territory.items():
        Placement.objects.filter(scenario=scenario, pk__in=placement_ids, locked=False).update(
            territory_id=territory_id, source=Placement.Source.OPTIMISER
        )
    scenario.outcome = outcome
    scenario.save(update_fields=["outcome"])
    return scenario


def _earliest_effective(scenario: Scenario) -> dt.date | None:
    """A publication starts after the last move of any account it changes."""
    changed = scenario.placements.exclude(territory_id=F("account__territory_id"))
    latest = (
        Alignment.objects.filter(account__in=changed.values("account_id"), valid_to__isnull=True)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    return latest + dt.timedelta(days=1) if latest else None


@transaction.atomic
def publish_scenario(*, scenario: Scenario, effective_from: dt.date, actor: User) -> int:
    """Make the scenario today's alignment from `effective_from` (today or earlier: the
    account history is append-only, so a date before an account's last move is refused).
    Returns how many accounts changed territory."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _draft(scenario)
    today = timezone.localdate()
    if effective_from > today:
        raise ValidationError(
            _("Publish on the day the new alignment starts; it cannot start in the future.")
        )
    earliest = _earliest_effective(scenario)
    if earliest and effective_from < earliest:
        raise ValidationError(
            _("Some of these accounts moved on %(d)s; the new alignment must start later.")
            % {"d": earliest - dt.timedelta(days=1)}
        )
    moved = 0
    for placement in scenario.placements.select_related("account", "territory").exclude(
        territory_id=F("account__territory_id")
    ):
        placement.published_from_id = placement.account.territory_id
        placement.save(update_fields=["published_from"])
        move_account(
            account=placement.account,
            territory=placement.territory,
            valid_from=effective_from,
            actor=actor,
        )
        moved += 1
    scenario.status = Scenario.Status.PUBLISHED
    scenario.effective_from = effective_from
    scenario.published_by = actor
    scenario.published_at = timezone.now()
    scenario.save()
    audit.record(
        actor=actor, obj=scenario, action="update",
        changes={"status": ["draft", "published"], "effective_from": [None, effective_from],
                 "moved_accounts": [None, moved]},
    )  # fmt: skip
    return moved


@transaction.atomic
def rollback_scenario(*, scenario: Scenario, actor: User) -> tuple[int, int]:
    """Put back every account the publication moved and that has not moved again since,
    from today (or the day after the publication took effect). Returns (restored, skipped)."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.status != Scenario.Status.PUBLISHED or scenario.effective_from is None:
        raise ValidationError(_("Only a published scenario can be rolled back."))
    on = max(timezone.localdate(), scenario.effective_from + dt.timedelta(days=1))
    restored = skipped = 0
    for placement in scenario.placements.select_related("account", "published_from").filter(
        published_from__isnull=False
    ):
        if placement.account.territory_id != placement.territory_id:
            skipped += 1
            continue
        move_account(
            account=placement.account, territory=placement.published_from, valid_from=on,
            actor=actor,
        )  # fmt: skip
        restored += 1
    scenario.status = Scenario.Status.ROLLED_BACK
    scenario.rolled_back_by = actor
    scenario.rolled_back_at = timezone.now()
    scenario.rolled_back_from = on
    scenario.save()
    audit.record(
        actor=actor, obj=scenario, action="update",
        changes={"status": ["published", "rolled_back"], "restored_accounts": [None, restored],
                 "skipped_accounts": [None, skipped]},
    )  # fmt: skip
    return restored, skipped


@transaction.atomic
def delete_scenario(*, scenario: Scenario, actor: User) -> None:
    _draft(scenario)
    audit.record(actor=actor, obj=scenario, action="delete")
    scenario.delete()
