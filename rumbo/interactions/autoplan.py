"""Rumbo plans a rep's visits for a day from the coverage model.

An account is due when its last visit is at least one interval ago (the interval follows from
the visit frequency its plan or segment asks for; never visited: due). Due accounts come by
segment (A first) and then by how overdue they are; each takes its visit time plus its expected
travel, until the rep's working day is full. Accounts closed that weekday, already planned on
or after the day, or that the contact policy would not allow that day are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.models import User
from rumbo.coverage.adapters import effective_plan
from rumbo.coverage.models import SEGMENT_ORDER, VISITS_PER_MONTH, AccountPlan, AccountSegment
from rumbo.coverage.services import strategies_for
from rumbo.customers.models import WEEKDAYS, Account
from rumbo.interactions.guard import PolicyBook, check_contacts
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.interactions.planning import may_plan_for
from rumbo.team.models import Rep

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Candidate:
    account: Account
    rank: int  # segment order, 0 = A
    overdue_days: float
    minutes: int  # visit and travel
    visit_min: int


@transaction.atomic
def plan_visits_for_day(*, rep: User, day: dt.date, actor: User) -> list[PlannedActivity]:
    """Add the day's due visits to the rep's plan; returns what was planned."""
    if not may_plan_for(actor, rep):
        raise PermissionDenied(_("You do not plan this rep's days."))
    free = _free_minutes(rep, day)
    planned: list[PlannedActivity] = []
    candidates = sorted(_candidates(rep, day), key=lambda c: (c.rank, -c.overdue_days))
    verdicts = check_contacts(
        accounts=[c.account for c in candidates], day=day, book=PolicyBook(rep.organisation_id)
    )
    for c in candidates:
        if c.minutes > free or not verdicts[c.account.pk].ok:
            continue
        planned.append(
            PlannedActivity.objects.create(
                organisation_id=rep.organisation_id, rep=rep, day=day, kind="visit",
                account=c.account, duration_min=c.visit_min, source=PlannedActivity.Source.RUMBO,
                assigned_by=actor,
            )
        )  # fmt: skip
        free -= c.minutes
    return planned


def _free_minutes(rep: User, day: dt.date) -> int:
    """The working day (8 hours without a field profile) less what is already planned."""
    profile = Rep.objects.filter(user=rep).first()
    if profile is None:
        length = 8 * 60
    else:
        start, end = profile.work_start, profile.work_end
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    taken = sum(
        PlannedActivity.objects.filter(
            rep=rep, day=day, status=PlannedActivity.Status.PLANNED
        ).values_list("duration_min", flat=True)
    )
    return max(length - taken, 0)


def _candidates(rep: User, day: dt.date) -> list[Candidate]:
    accounts = {
        a.pk: a
        for a in Account.objects.visible_to(rep).filter(status=Account.Status.ACTIVE)
        if _open_on(a, day)
    }
    latest = (
        AccountSegment.objects.filter(account_id__in=list(accounts))
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is None:
        return []
    snapshots = AccountSegment.objects.filter(account_id__in=list(accounts), month=latest)
    plans = {p.account_id: p for p in AccountPlan.objects.filter(account_id__in=list(accounts))}
    strategies = strategies_for(rep.organisation)
    last = dict(
        Interaction.objects.filter(account_id__in=list(accounts), kind=Interaction.Kind.VISIT)
        .order_by()
        .values("account_id")
        .annotate(at=Max("occurred_at"))
        .values_list("account_id", "at")
    )
    ahead = set(
        PlannedActivity.objects.filter(
            account_id__in=list(accounts), kind="visit", day__gte=day,
            status=PlannedActivity.Status.PLANNED,
        ).values_list("account_id", flat=True)
    )  # fmt: skip
    found = []
    for s in snapshots:
        frequency, minutes = effective_plan(plans.get(s.account_id), strategies[s.segment])
        per_month = VISITS_PER_MONTH[frequency]
        if per_month <= 0 or s.account_id in ahead:
            continue
        interval = DAYS_PER_MONTH / per_month
        seen = last.get(s.account_id)
        overdue = (day - timezone.localdate(seen)).days - interval if seen else interval
        if overdue < 0:
            continue
        rank = SEGMENT_ORDER.index(s.segment)
        cost = minutes + round(s.travel_min)
        found.append(Candidate(accounts[s.account_id], rank, overdue, cost, minutes))
    return found


def _open_on(account: Account, day: dt.date) -> bool:
    """Open that weekday (accounts without opening hours are taken as open)."""
    hours = account.opening_hours or {}
    return not hours or bool(hours.get(WEEKDAYS[day.weekday()]))
