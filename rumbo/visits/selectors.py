"""Reads of visit planning: whose plans a user may see, a rep's weeks as a calendar, one day as
a route with arrival times, and the team's plans at a glance."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.team.models import Rep
from rumbo.territories.scoping import scope_for
from rumbo.visits import adapters
from rumbo.visits.models import CheckIn, VisitPlan


def rep_for(user: User, rep_id: int) -> User:
    """A rep (or a manager who also sells) the user may see the plans of; 404 otherwise."""
    scope = scope_for(user)
    if scope.organisation_id is None:
        raise Http404
    rep = User.objects.filter(
        pk=rep_id, organisation_id=scope.organisation_id, role__in=(Role.REP, Role.MANAGER)
    ).first()
    if rep is None or (scope.user_ids is not None and rep.pk not in scope.user_ids):
        raise Http404
    if not Rep.objects.filter(user=rep).exists():
        raise Http404
    return rep


def team(user: User) -> list[tuple[User, VisitPlan | None]]:
    """The reps in the user's scope with a field profile, each with their latest plan."""
    scope = scope_for(user)
    if scope.organisation_id is None:
        return []
    reps = User.objects.filter(
        organisation_id=scope.organisation_id, is_active=True, rep_profile__isnull=False
    ).order_by("first_name", "last_name")
    if scope.user_ids is not None:
        reps = reps.filter(pk__in=scope.user_ids)
    latest: dict[int, VisitPlan] = {}
    for plan in VisitPlan.objects.filter(rep__in=reps).order_by("created_at"):
        latest[plan.rep_id] = plan
    return [(rep, latest.get(rep.pk)) for rep in reps]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Day:
    date: dt.date
    visits: list[PlannedActivity] = field(default_factory=list)
    minutes: float = 0.0  # visiting time
    travel_min: float = 0.0

    @property
    def untimed(self) -> list[PlannedActivity]:
        return [v for v in self.visits if v.start_time is None]


def week(rep: User, start: dt.date, weeks: int = 1) -> list[Day]:
    """The rep's planned visits day by day (Monday to Saturday), in route order."""
    first = monday_of(start)
    days = [first + dt.timedelta(days=7 * w + d) for w in range(weeks) for d in range(6)]
    by_day = {d: Day(d) for d in days}
    visits = (
        PlannedActivity.objects.filter(
            rep=rep, kind=PlannedActivity.Kind.VISIT, day__in=days, account__isnull=False
        )
        .exclude(status=PlannedActivity.Status.CANCELLED)
        .select_related("account", "stop", "check_in")
        .order_by("day", "start_time", "pk")
    )
    for v in visits:
        day = by_day[v.day]
        day.visits.append(v)
        day.minutes += v.duration_min or 0
        stop = getattr(v, "stop", None)
        day.travel_min += stop.travel_min if stop else 0
    return list(by_day.values())


def plan_covering(rep: User, day: dt.date) -> VisitPlan | None:
    """The latest plan whose weeks hold `day`."""
    for plan in VisitPlan.objects.filter(rep=rep, starts_on__lte=day).order_by("-created_at"):
        if day < monday_of(plan.starts_on) + dt.timedelta(weeks=plan.weeks):
            return plan
    return None


def route(rep: User, day: dt.date) -> dict[str, Any]:
    """The day's route for the map: the rep's base, then each visit in order with its time."""
    profile = Rep.objects.select_related("home_distrito").get(user=rep)
    rows = list(
        PlannedActivity.objects.filter(rep=rep, day=day, kind=PlannedActivity.Kind.VISIT)
        .exclude(status=PlannedActivity.Status.CANCELLED)
        .filter(account__isnull=False)
        .order_by("start_time", "pk")
        .values_list(
            "pk", "account_id", "account__trade_name", "start_time", "status",
            Coalesce("account__lat", "account__distrito__lat"),
            Coalesce("account__lon", "account__distrito__lon"),
        )
    )  # fmt: skip
    located = [r for r in rows if r[5] is not None and r[6] is not None]
    base = adapters.base_of(profile, [(0, "", r[5], r[6]) for r in located])
    return {
        "base": {"lat": base[0], "lon": base[1]},
        "stops": [
            {
                "id": pk,
                "account": account_id,
                "name": name,
                "lat": lat,
                "lon": lon,
                "time": start.strftime("%H:%M") if start else "",
                "status": status,
            }
            for pk, account_id, name, start, status, lat, lon in located
        ],
    }


def addable_accounts(rep: User, day: dt.date) -> list[Account]:
    """The rep's accounts without a visit that day, for "add a visit"."""
    territories = adapters.rep_territories(rep, day)
    taken = PlannedActivity.objects.filter(rep=rep, day=day, kind=PlannedActivity.Kind.VISIT)
    return list(
        Account.objects.filter(territory__in=territories)
        .exclude(status=Account.Status.INACTIVE)
        .exclude(pk__in=taken.values("account_id"))
        .order_by("trade_name")
        .only("pk", "trade_name")[:500]
    )


# --- Plan versus actual ----------------------------------------------------------------------

ON_TIME_MIN = 30  # a check-in this close to the planned time is on time


@dataclass
class Actual:
    """Plan versus actual of one rep (or one territory's reps) over a period."""

    label: str
    rep: User | None = None
    planned: int = 0
    done: int = 0
    missed: int = 0
    unplanned: int = 0
    timed: int = 0  # done visits with a planned time and a check-in
    on_time: int = 0
    field_min: float = 0.0
    travel_min: float = 0.0
    segments: dict[str, list[int]] = field(default_factory=dict)  # segment → [met, accounts]

    @property
    def done_pct(self) -> float | None:
        return 100 * self.done / self.planned if self.planned else None

    @property
    def field_h(self) -> float:
        return self.field_min / 60

    @property
    def travel_h(self) -> float:
        return self.travel_min / 60

    @property
    def on_time_pct(self) -> float | None:
        return 100 * self.on_time / self.timed if self.timed else None

    def add(self, other: Actual) -> None:
        for name in ("planned", "done", "missed", "unplanned", "timed", "on_time",
                     "field_min", "travel_min"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for segment, (met, accounts) in other.segments.items():
            mine = self.segments.setdefault(segment, [0, 0])
            mine[0] += met
            mine[1] += accounts


def plan_vs_actual(user: User, start: dt.date, end: dt.date) -> list[Actual]:
    """One row per rep in the user's scope with a field profile, for days start..end."""
    return [_actual(rep, start, end) for rep, _plan in team(user)]


def _actual(rep: User, start: dt.date, end: dt.date) -> Actual:
    today = timezone.localdate()
    row = Actual(label=rep.get_full_name() or rep.username, rep=rep)
    visits = (
        PlannedActivity.objects.filter(
            rep=rep, kind=PlannedActivity.Kind.VISIT, day__gte=start, day__lte=end,
            account__isnull=False,
        )
        .exclude(status=PlannedActivity.Status.CANCELLED)
        .select_related("check_in", "stop")
    )  # fmt: skip
    done: dict[int, int] = {}
    for v in visits:
        row.planned += 1
        check = _check_in_of(v)
        if v.status != PlannedActivity.Status.DONE and check is None:
            row.missed += v.day < today
            continue
        row.done += 1
        done[v.account_id or 0] = done.get(v.account_id or 0, 0) + 1
        stop = getattr(v, "stop", None)
        row.travel_min += stop.travel_min if stop else 0
        if check is not None and v.start_time is not None:
            row.timed += 1
            arrived = timezone.localtime(check.checked_in_at)
            planned = dt.datetime.combine(v.day, v.start_time, arrived.tzinfo)
            row.on_time += abs((arrived - planned).total_seconds()) <= ON_TIME_MIN * 60
    checks = list(
        CheckIn.objects.filter(
            rep=rep, checked_in_at__date__gte=start, checked_in_at__date__lte=end
        )
    )
    for c in checks:
        row.field_min += c.minutes or 0
        if c.activity_id is None:
            row.unplanned += 1
            done[c.account_id] = done.get(c.account_id, 0) + 1
    # Visits logged on the timeline without a plan or a check-in (e.g. typed in afterwards).
    recorded = {c.interaction_id for c in checks} | set(
        visits.exclude(interaction__isnull=True).values_list("interaction_id", flat=True)
    )
    for account_id in (
        Interaction.objects.filter(
            user=rep, kind=Interaction.Kind.VISIT, occurred_at__date__gte=start,
            occurred_at__date__lte=end,
        )
        .exclude(pk__in=[i for i in recorded if i])
        .values_list("account_id", flat=True)
    ):  # fmt: skip
        row.unplanned += 1
        done[account_id] = done.get(account_id, 0) + 1
    row.segments = _coverage(rep, start, end, done)
    return row


def _check_in_of(visit: PlannedActivity) -> CheckIn | None:
    try:
        return visit.check_in
    except CheckIn.DoesNotExist:
        return None


def _coverage(
    rep: User, start: dt.date, end: dt.date, done: dict[int, int]
) -> dict[str, list[int]]:
    """Per segment: [accounts visited at least as often as their plan asks, accounts], for
    the accounts whose rhythm asks for at least one visit in the period."""
    ids = [
        int(a)
        for a in Account.objects.filter(
            territory__in=adapters.rep_territories(rep, end), status=Account.Status.ACTIVE
        ).values_list("pk", flat=True)
    ]
    frequency, _service = adapters.rhythms(rep.organisation_id, ids)
    segment_of = adapters.latest_segments(ids)
    weeks = ((end - start).days + 1) / 7
    out: dict[str, list[int]] = {}
    for account_id in ids:
        asked = math.floor(frequency[account_id] * weeks / 4 + 1e-9)
        if asked < 1:  # the period is too short for this rhythm to ask for a visit
            continue
        cell = out.setdefault(str(segment_of.get(account_id) or "—"), [0, 0])
        cell[1] += 1
        cell[0] += done.get(account_id, 0) >= asked
    return dict(sorted(out.items()))


def by_territory(rows: list[Actual], on: dt.date) -> list[Actual]:
    """The reps' rows added up per territory they cover on `on`."""
    totals: dict[int, Actual] = {}
    for row in rows:
        assert row.rep is not None
        for territory in adapters.rep_territories(row.rep, on)[:1]:
            total = totals.setdefault(territory.pk, Actual(label=territory.name))
            total.add(row)
    return sorted(totals.values(), key=lambda a: a.label)
