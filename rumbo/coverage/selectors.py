"""Reads behind the coverage pages, all through `AccountSegment.objects.visible_to(user)`:
the segment table with its strategies, the value × effort matrix, segment migration month by
month, and workload against each rep's capacity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum
from django.http import Http404

from rumbo.core.models import User
from rumbo.coverage.adapters import add_months, effective_plan
from rumbo.coverage.models import (
    SEGMENT_ORDER,
    AccountPlan,
    AccountSegment,
    Frequency,
    Quadrant,
    Segment,
    SegmentStrategy,
)
from rumbo.coverage.services import strategies_for
from rumbo.customers.models import Account
from rumbo.engine.segmentation import monthly_migration
from rumbo.team.models import Rep
from rumbo.territories.models import Territory

WEEKS_PER_MONTH = 52 / 12
MATRIX_POINTS = 1500  # accounts drawn on the value × effort chart (the largest by revenue)


def months(user: User) -> list[dt.date]:
    """Months with snapshots, newest first."""
    return list(
        AccountSegment.objects.filter(organisation_id=user.organisation_id)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def pick_month(user: User, wanted: str | None) -> dt.date | None:
    """The month asked for (YYYY-MM) if it has snapshots, else the newest one."""
    available = months(user)
    if not available:
        return None
    if wanted:
        try:
            month = dt.date.fromisoformat(f"{wanted}-01")
        except ValueError:
            return available[0]
        if month in available:
            return month
    return available[0]


@dataclass(frozen=True)
class SegmentRow:
    segment: str
    label: str
    accounts: int
    revenue: Decimal | None
    share_pct: float | None
    cost_to_serve: Decimal | None
    workload_hours_week: float
    strategy: SegmentStrategy
    overrides: int


def segment_table(user: User, month: dt.date) -> list[SegmentRow]:
    """One row per segment: its accounts, revenue and share, cost to serve, workload and
    strategy. Amounts are None for users who do not see them."""
    rows = {
        r["segment"]: r
        for r in AccountSegment.objects.visible_to(user)
        .filter(month=month)
        .order_by()
        .values("segment")
        .annotate(
            n=Count("id"),
            revenue=Sum("revenue_12m"),
            cost=Sum("cost_to_serve_12m"),
            work=Sum("workload_min"),
        )
    }
    overrides = _overrides_by_segment(user, month)
    strategies = strategies_for(user.organisation)
    total = sum((r["revenue"] or Decimal(0)) for r in rows.values())
    amounts = user.sees_amounts
    result = []
    for segment in SEGMENT_ORDER:
        r = rows.get(segment, {"n": 0, "revenue": None, "cost": None, "work": 0.0})
        revenue = r["revenue"] or Decimal(0)
        result.append(
            SegmentRow(
                segment=segment,
                label=str(Segment(segment).label),
                accounts=r["n"],
                revenue=revenue if amounts else None,
                share_pct=float(revenue / total * 100) if amounts and total else None,
                cost_to_serve=(r["cost"] or Decimal(0)) if amounts else None,
                workload_hours_week=(r["work"] or 0.0) / 60 / WEEKS_PER_MONTH,
                strategy=strategies[segment],
                overrides=overrides.get(segment, 0),
            )
        )
    return result


def _overrides_by_segment(user: User, month: dt.date) -> dict[str, int]:
    overridden = AccountPlan.objects.visible_to(user).filter(
        Q(objective__gt="") | Q(frequency__gt="") | Q(visit_min__isnull=False)
    )
    return {
        r["segment"]: r["n"]
        for r in AccountSegment.objects.visible_to(user)
        .filter(month=month, account__in=overridden.values("account_id"))
        .order_by()
        .values("segment")
        .annotate(n=Count("id"))
    }


def matrix(user: User, month: dt.date) -> dict[str, Any]:
    """The value × effort chart: the largest accounts as points, and the organisation's cuts."""
    visible = AccountSegment.objects.visible_to(user).filter(month=month)
    points = [
        [float(r[0]), float(r[1]), r[2], r[3], r[4]]
        for r in visible.order_by("-revenue_12m").values_list(
            "revenue_12m", "cost_to_serve_12m", "account__trade_name", "quadrant", "account_id"
        )[:MATRIX_POINTS]
    ]
    everyone = AccountSegment.objects.filter(organisation_id=user.organisation_id, month=month)
    values = np.array(everyone.values_list("revenue_12m", "cost_to_serve_12m"), dtype=float)
    cuts = np.median(values, axis=0) if len(values) else np.zeros(2)
    return {
        "points": points,
        "value_cut": float(cuts[0]),
        "effort_cut": float(cuts[1]),
        "quadrants": {q.value: str(q.label) for q in Quadrant},
    }


def quadrant_accounts(user: User, month: dt.date, quadrant: str, n: int = 20) -> list[Any]:
    """The accounts of one quadrant: best ones by revenue, costly ones by cost to serve."""
    order = "-cost_to_serve_12m" if quadrant == Quadrant.COSTLY else "-revenue_12m"
    return list(
        AccountSegment.objects.visible_to(user)
        .filter(month=month, quadrant=quadrant)
        .select_related("account", "territory")
        .order_by(order, "account_id")[:n]
    )


@dataclass
class MigrationGroup:
    name: str
    steps: list[dict[str, int]] = field(default_factory=list)


@dataclass
class Migration:
    months: list[dt.date]
    groups: list[MigrationGroup]
    matrix: list[tuple[str, list[int]]]  # the last step: rows from, columns to (absent last)
    labels: list[str]


def migration(user: User, month: dt.date, by: str, span: int = 12) -> Migration:
    """Segment moves month by month up to `month`, per territory or rep (today's)."""
    first = add_months(month, -span)
    key = "rep_id" if by == "rep" else "territory_id"
    rows = list(
        AccountSegment.objects.visible_to(user)
        .filter(month__gte=first, month__lte=month)
        .values_list("account_id", "month", "segment", key)
    )
    steps = [add_months(first, k) for k in range(span + 1)]
    at = {m: k for k, m in enumerate(steps)}
    accounts = sorted({r[0] for r in rows})
    row_of = {a: i for i, a in enumerate(accounts)}
    group_ids = sorted({r[3] for r in rows if r[3] is not None})
    group_of = {g: i + 1 for i, g in enumerate(group_ids)}  # 0: no territory or rep
    history = np.full((len(accounts), len(steps)), "", dtype="<U1")
    groups = np.zeros((len(accounts), len(steps)), dtype=np.int64)
    for account, m, segment, g in rows:
        history[row_of[account], at[m]] = segment
        groups[row_of[account], :] = group_of.get(g, 0)
    labels = [str(s) for s in SEGMENT_ORDER]
    result = monthly_migration(history, labels, groups, len(group_ids) + 1)
    names = _group_names(by, group_ids)
    new, lost = result.new(), result.lost()
    # Up and down among A, B and C only: an N account graduating to any class is neither.
    ranked = result.counts[:, :, :3, :3]
    better = np.tri(3, k=-1, dtype=np.int64)
    up, down = (ranked * better).sum(axis=(-2, -1)), (ranked * better.T).sum(axis=(-2, -1))
    out = []
    for g in range(len(group_ids) + 1):
        if g == 0 and not result.counts[:, 0].any():
            continue
        item = MigrationGroup(names.get(group_ids[g - 1], "—") if g else "—")
        for t in range(len(steps) - 1):
            item.steps.append({"new": int(new[t, g]), "lost": int(lost[t, g]),
                               "up": int(up[t, g]), "down": int(down[t, g])})  # fmt: skip
        out.append(item)
    last = result.counts[-1].sum(axis=0) if len(steps) > 1 else np.zeros((5, 5), dtype=np.int64)
    matrix_rows = [(label, [int(x) for x in last[i]]) for i, label in enumerate([*labels, ""])]
    return Migration(steps[1:], sorted(out, key=lambda g: g.name), matrix_rows, labels)


def _group_names(by: str, ids: list[int]) -> dict[int, str]:
    if by == "rep":
        return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    return {t.pk: t.name for t in Territory.objects.filter(pk__in=ids)}


@dataclass(frozen=True)
class WorkloadRow:
    territory: Territory
    rep: User | None
    accounts: int
    hours_week: float
    capacity_week: float | None
    utilisation_pct: float | None

    @property
    def overloaded(self) -> bool:
        return self.utilisation_pct is not None and self.utilisation_pct > 100


def workload(user: User, month: dt.date) -> list[WorkloadRow]:
    """Each territory's planned workload a week against its rep's weekly capacity."""
    rows = (
        AccountSegment.objects.visible_to(user)
        .filter(month=month, territory__isnull=False)
        .order_by()
        .values("territory_id", "rep_id")
        .annotate(n=Count("id"), work=Sum("workload_min"))
    )
    data = list(rows)
    territories = Territory.objects.in_bulk([r["territory_id"] for r in data])
    reps = {r.user_id: r for r in Rep.objects.filter(user_id__in=[r["rep_id"] for r in data])}
    users = User.objects.in_bulk([r["rep_id"] for r in data if r["rep_id"]])
    result = []
    for r in data:
        hours = (r["work"] or 0.0) / 60 / WEEKS_PER_MONTH
        profile = reps.get(r["rep_id"])
        capacity = float(profile.weekly_capacity_hours) if profile else None
        result.append(
            WorkloadRow(
                territory=territories[r["territory_id"]],
                rep=users.get(r["rep_id"]),
                accounts=r["n"],
                hours_week=hours,
                capacity_week=capacity,
                utilisation_pct=hours / capacity * 100 if capacity else None,
            )
        )
    return sorted(result, key=lambda w: -(w.utilisation_pct or 0))


@dataclass(frozen=True)
class AccountCoverage:
    account: Account
    snapshot: AccountSegment | None
    strategy: SegmentStrategy | None
    plan: AccountPlan | None
    frequency: str | None
    visit_min: int | None

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label) if self.frequency else ""


def account_coverage(user: User, account_id: int) -> AccountCoverage:
    """One visible account's latest segment, its strategy and its own plan (404 outside)."""
    account = Account.objects.visible_to(user).filter(pk=account_id).first()
    if account is None:
        raise Http404
    return coverage_of(account)


def coverage_of(account: Account) -> AccountCoverage:
    """The coverage of an account the caller already may see, in three queries."""
    snapshot = AccountSegment.objects.filter(account=account).order_by("-month").first()
    plan = AccountPlan.objects.filter(account=account).prefetch_related("introduce").first()
    strategy = None
    if snapshot is not None:
        strategy = SegmentStrategy.objects.filter(
            organisation_id=account.organisation_id, segment=snapshot.segment
        ).first() or strategies_for(account.organisation).get(snapshot.segment)
    frequency, minutes = effective_plan(plan, strategy) if strategy else (None, None)
    return AccountCoverage(account, snapshot, strategy, plan, frequency, minutes)
