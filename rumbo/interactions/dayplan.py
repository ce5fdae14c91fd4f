"""A rep's day: the visits, calls, follow-ups and tasks in their plan, the appointments booked
with prospects, what is overdue, and what to know before each visit (open tickets, contact
policy overrides, campaigns running for the account). Read in a fixed number of queries.

Visits the visit planner makes will be PlannedActivity rows with source "rumbo"; they appear
here without any change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from rumbo.core.models import User
from rumbo.interactions.models import CampaignTouch, PlannedActivity, Ticket
from rumbo.prospects.models import Appointment
from rumbo.team.models import Rep

OVERDUE_DAYS = 14


@dataclass
class PlanItem:
    """One line of the day: a planned activity or an appointment, in time order."""

    time: dt.time | None
    activity: PlannedActivity | None = None
    appointment: Appointment | None = None
    tickets: list[Ticket] = field(default_factory=list)
    touches: list[CampaignTouch] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[int, dt.time, int]:
        pk = (self.activity or self.appointment).pk  # type: ignore[union-attr]
        return (0 if self.time else 1, self.time or dt.time.max, pk)

    @property
    def is_pending(self) -> bool:
        if self.activity is not None:
            return self.activity.status == PlannedActivity.Status.PLANNED
        return self.appointment is not None and self.appointment.status == Appointment.Status.BOOKED


@dataclass(frozen=True)
class DayPlan:
    rep: Rep
    day: dt.date
    items: list[PlanItem]
    overdue: list[PlannedActivity]
    assigned_tickets: list[Ticket]

    @property
    def previous_day(self) -> dt.date:
        return self.day - dt.timedelta(days=1)

    @property
    def next_day(self) -> dt.date:
        return self.day + dt.timedelta(days=1)

    @property
    def pending(self) -> int:
        return sum(1 for i in self.items if i.is_pending)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.items if i.is_pending and i.tickets)

    @property
    def minutes(self) -> int:
        total = 0
        for i in self.items:
            row: Any = i.activity or i.appointment
            total += row.duration_min if i.is_pending else 0
        return total


def visible_rep(viewer: User, rep_id: int) -> Rep:
    """The field profile `rep_id` if the viewer may see that person, else 404."""
    rep = Rep.objects.visible_to(viewer).select_related("user", "home_distrito").filter(pk=rep_id)
    found = rep.first()
    if found is None:
        raise Http404
    return found


def day_plan(rep: Rep, day: dt.date | None = None) -> DayPlan:
    """The rep's plan for `day` (today by default)."""
    day = day or timezone.localdate()
    activities = list(
        PlannedActivity.objects.filter(rep_id=rep.user_id, day=day)
        .exclude(status=PlannedActivity.Status.CANCELLED)
        .select_related("account", "account__distrito", "ticket", "assigned_by")
    )
    appointments = list(
        Appointment.objects.filter(rep_id=rep.user_id, day=day)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("prospect", "prospect__distrito")
    )
    account_ids = {a.account_id for a in activities if a.account_id}
    tickets = _open_tickets(account_ids)
    touches = _touches(account_ids, day)
    items = [
        PlanItem(a.start_time, activity=a, tickets=tickets.get(a.account_id or 0, []),
                 touches=touches.get(a.account_id or 0, []))
        for a in activities
    ] + [PlanItem(a.start_time, appointment=a) for a in appointments]  # fmt: skip
    items.sort(key=lambda i: i.sort_key)
    return DayPlan(rep, day, items, _overdue(rep, day), _assigned(rep, account_ids))


def _open_tickets(account_ids: set[int]) -> dict[int, list[Ticket]]:
    found: dict[int, list[Ticket]] = defaultdict(list)
    if account_ids:
        rows = Ticket.objects.open().filter(account_id__in=account_ids).order_by("opened_at")
        for t in rows.select_related("assigned_to"):
            found[t.account_id].append(t)
    return found


def _touches(account_ids: set[int], day: dt.date) -> dict[int, list[CampaignTouch]]:
    """Campaigns planned to reach these accounts around the day (a week either side)."""
    found: dict[int, list[CampaignTouch]] = defaultdict(list)
    if account_ids:
        week = dt.timedelta(days=7)
        rows = CampaignTouch.objects.filter(
            account_id__in=account_ids,
            status=CampaignTouch.Status.PLANNED,
            planned_on__range=(day - week, day + week),
        ).select_related("campaign")
        for t in rows:
            found[t.account_id].append(t)
    return found


def _overdue(rep: Rep, day: dt.date) -> list[PlannedActivity]:
    """Activities of the last two weeks still planned: done late, moved or dropped."""
    return list(
        PlannedActivity.objects.pending()
        .filter(rep_id=rep.user_id, day__lt=day, day__gte=day - dt.timedelta(days=OVERDUE_DAYS))
        .select_related("account")
        .order_by("day", "start_time")
    )


def _assigned(rep: Rep, account_ids: set[int]) -> list[Ticket]:
    """Open tickets handed to the rep (those of today's accounts show beside their visit)."""
    rows = (
        Ticket.objects.open().filter(assigned_to_id=rep.user_id).exclude(account_id__in=account_ids)
    )
    return list(rows.select_related("account").order_by("due_on", "opened_at")[:20])
