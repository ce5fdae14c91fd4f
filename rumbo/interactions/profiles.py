"""A rep's profile: the territories they cover, their capacity and home base, the mix of their
accounts, their sales against target this month and this year, their recent activity and
prospecting, and their coaching and training. Read in a fixed number of queries.

The mix is by channel and status, and by segment as of the latest segmentation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from rumbo.core.models import User
from rumbo.coverage.models import SEGMENT_ORDER, AccountSegment, Segment
from rumbo.customers.models import Account
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.orders.models import MonthlySales
from rumbo.prospects.models import Appointment, Prospect
from rumbo.targets.models import Measure, Target
from rumbo.team.models import CoachingNote, Rep, TrainingRecord
from rumbo.team.services import may_coach
from rumbo.territories.models import Assignment, AssignmentRole

ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class MixRow:
    channel: str
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    actual: Decimal
    target: Decimal | None

    @property
    def attainment_pct(self) -> Decimal | None:
        if not self.target:
            return None
        return (100 * self.actual / self.target).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Performance:
    months: list[MonthFigures]  # January to this month
    target_source: str  # "rep", "territory" or ""
    today: dt.date

    @property
    def month(self) -> MonthFigures:
        return self.months[-1]

    @property
    def year(self) -> MonthFigures:
        targets = [m.target for m in self.months if m.target is not None]
        return MonthFigures(
            self.months[0].month,
            sum((m.actual for m in self.months), Decimal(0)),
            sum(targets, Decimal(0)) if targets else None,
        )

    @property
    def month_elapsed_pct(self) -> int:
        """How much of this month has gone by, to read the month's attainment against."""
        start = self.today.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return round(100 * self.today.day / (following - start).days)


@dataclass(frozen=True)
class RepProfile:
    rep: Rep
    territories: list[Assignment]
    mix: list[MixRow]
    mix_totals: dict[str, int]
    segments: list[tuple[str, int]]  # (segment label, accounts), best first; empty: not computed
    performance: Performance | None
    activity: dict[str, int]
    planned_today: int
    pipeline: dict[str, int]
    appointments: list[Appointment]
    coaching: list[CoachingNote] | None  # None: the viewer may not read them
    training: list[TrainingRecord] | None
    may_coach: bool


def _mix(accounts: Any) -> tuple[list[MixRow], dict[str, int]]:
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for channel, status, n in accounts.values_list("channel__name", "status").annotate(
        n=Count("id")
    ):
        rows[channel][status] += n
    totals: Counter[str] = Counter()
    for counts in rows.values():
        totals.update(counts)
    mix = [MixRow(c, dict(v), sum(v.values())) for c, v in sorted(rows.items())]
    return mix, {**totals, "total": sum(totals.values())}


def _segment_mix(accounts: Any) -> list[tuple[str, int]]:
    """Accounts per segment in the latest month segmented, in two queries."""
    ids = accounts.values("pk")
    latest = (
        AccountSegment.objects.filter(account__in=ids)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is None:
        return []
    counts = dict(
        AccountSegment.objects.filter(account__in=ids, month=latest)
        .order_by()
        .values_list("segment")
        .annotate(n=Count("id"))
    )
    return [(str(Segment(s).label), counts.get(s, 0)) for s in SEGMENT_ORDER]


def _performance(viewer: User, rep: User, territory_ids: list[int], today: dt.date) -> Performance:
    months = [dt.date(today.year, m, 1) for m in range(1, today.month + 1)]
    sales = dict(
        MonthlySales.objects.visible_to(viewer)
        .filter(rep=rep, month__in=months)
        .values_list("month")
        .annotate(s=Sum("net_amount"))
    )
    targets = Target.objects.visible_to(viewer).filter(
        month__in=months, measure=Measure.AMOUNT, category__isnull=True
    )
    own = dict(targets.filter(rep=rep).values_list("month", "value"))
    source = "rep" if own else ""
    if not own and territory_ids:
        own = dict(
            targets.filter(territory_id__in=territory_ids)
            .values_list("month")
            .annotate(v=Sum("value"))
        )
        source = "territory" if own else ""
    return Performance(
        [MonthFigures(m, sales.get(m) or Decimal(0), own.get(m)) for m in months], source, today
    )


def rep_profile(viewer: User, rep: Rep, today: dt.date | None = None) -> RepProfile:
    """The profile of a rep the viewer may see (found through Rep.objects.visible_to)."""
    today = today or timezone.localdate()
    user = rep.user
    territories = list(
        Assignment.objects.active_on(today)
        .filter(user=user, role=AssignmentRole.REP)
        .select_related("territory")
        .order_by("territory__path")
    )
    accounts = Account.objects.visible_to(viewer).filter(
        territory_id__in=[a.territory_id for a in territories]
    )
    mix, totals = _mix(accounts)
    since = timezone.now() - dt.timedelta(days=ACTIVITY_DAYS)
    activity = dict(
        Interaction.objects.visible_to(viewer)
        .filter(user=user, occurred_at__gte=since)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    coach = may_coach(viewer, user)
    return RepProfile(
        rep=rep,
        territories=territories,
        mix=mix,
        mix_totals=totals,
        segments=_segment_mix(accounts),
        performance=_performance(viewer, user, [a.territory_id for a in territories], today)
        if viewer.sees_amounts
        else None,
        activity=activity,
        planned_today=PlannedActivity.objects.visible_to(viewer)
        .pending()
        .filter(rep=user, day=today)
        .count(),
        pipeline=dict(
            Prospect.objects.visible_to(viewer)
            .filter(owner=user)
            .values_list("status")
            .annotate(n=Count("id"))
        ),
        appointments=list(
            Appointment.objects.visible_to(viewer)
            .booked()
            .filter(rep=user, day__gte=today)
            .select_related("prospect")
            .order_by("day", "start_time")[:5]
        ),
        coaching=_visible(CoachingNote.objects.visible_to(viewer).filter(rep=user), viewer),
        training=_visible(TrainingRecord.objects.visible_to(viewer).filter(rep=user), viewer),
        may_coach=coach,
    )


def _visible(rows: Any, viewer: User) -> list[Any] | None:
    """The rows, or None for viewers (marketing, service), who read no coaching records."""
    if viewer.role == "viewer":
        return None
    return list(rows.select_related("author") if rows.model is CoachingNote else rows)
