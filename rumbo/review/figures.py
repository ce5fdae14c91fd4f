"""Plan versus actual for one month and the reps of a subtree, read in a fixed number of
queries: sales against target, visits done against the coverage plan (in total and per
segment), new accounts against the prospecting goal, workload against capacity, and the
accounts whose segment changed since the month before."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from rumbo.core.models import Organisation, Role, User
from rumbo.coverage.adapters import add_months
from rumbo.coverage.models import AccountSegment
from rumbo.customers.models import Account
from rumbo.engine.review import AccountChange, RepMonth
from rumbo.interactions.models import Interaction
from rumbo.orders.models import MonthlySales
from rumbo.review.models import ProspectingGoal
from rumbo.targets.models import Measure, Target
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, AssignmentRole, Territory

WEEKS_PER_MONTH = 52 / 12


@dataclass
class Line:
    rep: User
    territory: Territory | None
    sales: Decimal = Decimal(0)
    target: Decimal | None = None
    visits_planned: float = 0.0
    visits_done: int = 0
    new_accounts: int = 0
    new_accounts_goal: int | None = None
    workload_h: float = 0.0
    capacity_h: float | None = None
    segments: dict[str, dict[str, float]] = field(default_factory=dict)

    def engine(self) -> RepMonth:
        return RepMonth(
            rep_id=self.rep.pk,
            territory_id=self.territory.pk if self.territory else None,
            sales=float(self.sales),
            target=float(self.target) if self.target is not None else None,
            visits_planned=self.visits_planned,
            visits_done=self.visits_done,
            workload_h=self.workload_h,
            capacity_h=self.capacity_h,
        )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def reps_of(organisation: Organisation, root: Territory | None, month: dt.date) -> list[Line]:
    """The reps covering a territory of the subtree at the end of the month, one line each."""
    last_day = add_months(month, 1) - dt.timedelta(days=1)
    assignments = (
        Assignment.objects.active_on(last_day)
        .filter(organisation=organisation, role=AssignmentRole.REP, user__role=Role.REP)
        .select_related("user", "territory")
        .order_by("territory__path", "pk")
    )
    if root is not None:
        assignments = assignments.filter(territory__path__startswith=root.path)
    lines: dict[int, Line] = {}
    for a in assignments:
        lines.setdefault(a.user_id, Line(rep=a.user, territory=a.territory))
    return list(lines.values())


def fill(organisation: Organisation, month: dt.date, lines: list[Line]) -> None:
    """Put each rep's figures for the month on their line."""
    by_rep = {line.rep.pk: line for line in lines}
    ids = list(by_rep)
    end = add_months(month, 1)
    for rep_id, net in (
        MonthlySales.objects.filter(rep_id__in=ids, month=month)
        .order_by()
        .values("rep_id")
        .annotate(net=Sum("net_amount"))
        .values_list("rep_id", "net")
    ):
        by_rep[rep_id].sales = net or Decimal(0)
    _targets(organisation, month, by_rep)
    _coverage(month, by_rep)
    _visits(month, end, by_rep)
    _new_accounts(organisation, month, end, by_rep)
    for goal in ProspectingGoal.objects.filter(rep_id__in=ids, month=month):
        by_rep[goal.rep_id].new_accounts_goal = goal.new_accounts
    for profile in Rep.objects.filter(user_id__in=ids):
        by_rep[profile.user_id].capacity_h = float(profile.weekly_capacity_hours)


def _targets(organisation: Organisation, month: dt.date, by_rep: dict[int, Line]) -> None:
    """The rep's own amount target, else their territory's (without category)."""
    territories = [x.territory.pk for x in by_rep.values() if x.territory]
    rows = Target.objects.filter(
        Q(rep_id__in=list(by_rep)) | Q(rep__isnull=True, territory_id__in=territories),
        organisation=organisation, month=month, measure=Measure.AMOUNT, category__isnull=True,
    ).values_list("rep_id", "territory_id", "value")  # fmt: skip
    own = {r: v for r, _t, v in rows if r}
    territory = {t: v for r, t, v in rows if not r}
    for rep_id, line in by_rep.items():
        fallback = territory.get(line.territory.pk) if line.territory else None
        line.target = own.get(rep_id, fallback)


def _coverage(month: dt.date, by_rep: dict[int, Line]) -> None:
    """Planned visits and workload from the month's segments, per rep and per segment."""
    rows = (
        AccountSegment.objects.filter(month=month, rep_id__in=list(by_rep))
        .order_by()
        .values("rep_id", "segment")
        .annotate(n=Count("id"), planned=Sum("visits_planned"), work=Sum("workload_min"))
    )
    for r in rows:
        line = by_rep[r["rep_id"]]
        line.visits_planned += r["planned"] or 0.0
        line.workload_h += (r["work"] or 0.0) / 60 / WEEKS_PER_MONTH
        line.segments[r["segment"]] = {
            "accounts": r["n"], "visited": 0, "planned": round(r["planned"] or 0.0, 1), "done": 0
        }  # fmt: skip


def _visits(month: dt.date, end: dt.date, by_rep: dict[int, Line]) -> None:
    """Visits each rep made in the month, and per segment of the visited account."""
    segment_of = dict(
        AccountSegment.objects.filter(month=month, rep_id__in=list(by_rep)).values_list(
            "account_id", "segment"
        )
    )
    visited: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, account_id in Interaction.objects.filter(
        kind=Interaction.Kind.VISIT,
        user_id__in=list(by_rep),
        occurred_at__gte=_midnight(month),
        occurred_at__lt=_midnight(end),
    ).values_list("user_id", "account_id"):
        line = by_rep[user_id]
        line.visits_done += 1
        segment = segment_of.get(account_id)
        if segment and segment in line.segments:
            line.segments[segment]["done"] += 1
            visited[(user_id, segment)].add(account_id)
    for (user_id, segment), accounts in visited.items():
        by_rep[user_id].segments[segment]["visited"] = len(accounts)


def _new_accounts(
    organisation: Organisation, month: dt.date, end: dt.date, by_rep: dict[int, Line]
) -> None:
    """Accounts opened in the month in a territory the rep covers."""
    rep_of = {line.territory.pk: rep_id for rep_id, line in by_rep.items() if line.territory}
    for territory_id, n in (
        Account.objects.filter(
            organisation=organisation,
            opened_on__gte=month,
            opened_on__lt=end,
            territory_id__in=list(rep_of),
        )
        .order_by()
        .values("territory_id")
        .annotate(n=Count("id"))
        .values_list("territory_id", "n")
    ):
        by_rep[rep_of[territory_id]].new_accounts += n


def account_changes(month: dt.date, rep_ids: list[int]) -> list[AccountChange]:
    """The reps' accounts with their segment now and the month before, and their quadrant."""
    before = dict(
        AccountSegment.objects.filter(month=add_months(month, -1), rep_id__in=rep_ids).values_list(
            "account_id", "segment"
        )
    )
    rows: list[Any] = list(
        AccountSegment.objects.filter(month=month, rep_id__in=rep_ids).values_list(
            "account_id", "rep_id", "segment", "quadrant"
        )
    )
    return [
        AccountChange(account_id=a, rep_id=r, before=before.get(a), after=s, quadrant=q)
        for a, r, s, q in rows
    ]
