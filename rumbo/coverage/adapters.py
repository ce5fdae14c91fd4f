"""Where the database meets rumbo.engine.segmentation: read each month's 12-month history of
every account, let the engine classify it, and store one AccountSegment row per account and month.

As of the first day of month M, an account is judged on the 12 months before M: revenue (ABC and
the value axis), orders and the days since the last one (RFM), visits (cost to serve = visits ×
(visit duration + travel) × the rep's cost per hour, the effort axis). Potential comes from the
census households of its district and its channel; workload a month from the visit frequency its
strategy (or its own plan) asks for. The territory and rep are today's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from numpy.typing import NDArray

from rumbo.core.models import Organisation
from rumbo.coverage.models import (
    VISITS_PER_MONTH,
    AccountPlan,
    AccountSegment,
    Segment,
    SegmentStrategy,
)
from rumbo.coverage.services import settings_for, strategies_for
from rumbo.customers.models import Account
from rumbo.engine.segmentation import (
    DEFAULT_CHANNELS,
    abc_classes,
    account_potential,
    cost_to_serve,
    expected_travel_min,
    households_from_population,
    rfm_scores,
    value_effort,
)
from rumbo.geo.models import Distrito
from rumbo.interactions.models import Interaction
from rumbo.orders.models import SALES_STATUSES, MonthlySales, Order
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, AssignmentRole

HISTORY_MONTHS = 13  # a year of migrations needs 13 snapshots
CHANNEL_INDEX = {c.code: i for i, c in enumerate(DEFAULT_CHANNELS)}


def add_months(month: dt.date, k: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + k
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Population:
    """The organisation's accounts (not prospects) and what does not change month to month."""

    ids: NDArray[np.int64]
    opened: list[dt.date | None]
    closed: list[dt.date | None]
    territory: Sequence[int | None]
    rep: list[int | None]
    cost_per_hour: NDArray[np.float64]
    travel_min: NDArray[np.float64]
    potential: NDArray[np.float64]
    plans: dict[int, AccountPlan]


def compute_segments(
    *,
    organisation: Organisation,
    month: dt.date,
    months: int = HISTORY_MONTHS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the snapshots of the `months` months ending with `month`; rows written."""
    month = month.replace(day=1)
    people = _population(organisation)
    strategies = strategies_for(organisation)
    written = 0
    for step in range(months):
        current = add_months(month, step - months + 1)
        rows = _snapshot(organisation, current, people, strategies)
        with transaction.atomic():
            AccountSegment.objects.filter(organisation=organisation, month=current).delete()
            AccountSegment.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
        if progress:
            progress(step + 1, months)
    return written


def _population(org: Organisation) -> Population:
    rows = list(
        Account.objects.filter(organisation=org)
        .exclude(status=Account.Status.PROSPECT)
        .order_by("pk")
        .values_list(
            "pk", "opened_on", "closed_on", "territory_id",
            Coalesce("lat", "distrito__lat"), Coalesce("lon", "distrito__lon"),
            "distrito_id", "channel__code",
        )
    )  # fmt: skip
    settings = settings_for(org)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    territory = [r[3] for r in rows]
    rep_of = _reps_by_territory(org)
    reps = [rep_of.get(t) if t else None for t in territory]
    cost = _cost_per_hour(org)
    lat = np.array([r[4] if r[4] is not None else np.nan for r in rows], dtype=float)
    lon = np.array([r[5] if r[5] is not None else np.nan for r in rows], dtype=float)
    travel = np.zeros(len(rows))
    located = ~(np.isnan(lat) | np.isnan(lon))
    if located.any():
        groups = np.array([t or 0 for t in territory], dtype=np.int64)[located]
        travel[located] = expected_travel_min(
            lat[located], lon[located], groups, float(settings.speed_kmh), float(settings.detour)
        )
    plans = {p.account_id: p for p in AccountPlan.objects.filter(account__organisation=org)}
    return Population(
        ids=ids,
        opened=[r[1] for r in rows],
        closed=[r[2] for r in rows],
        territory=territory,
        rep=reps,
        cost_per_hour=np.array([cost.get(r, 0.0) if r else 0.0 for r in reps]),
        travel_min=travel,
        potential=_potential([r[6] for r in rows], [r[7] for r in rows]),
        plans=plans,
    )


def _reps_by_territory(org: Organisation) -> dict[int, int]:
    """Today's rep of each territory (the first by start date when several share one)."""
    found: dict[int, int] = {}
    for territory_id, user_id in (
        Assignment.objects.active_on()
        .filter(organisation=org, role=AssignmentRole.REP)
        .order_by("valid_from", "pk")
        .values_list("territory_id", "user_id")
    ):
        found.setdefault(territory_id, user_id)
    return found


def _cost_per_hour(org: Organisation) -> dict[int, float]:
    return {
        user_id: float(cost)
        for user_id, cost in Rep.objects.filter(organisation=org).values_list(
            "user_id", "cost_per_hour"
        )
    }


def _potential(distritos: list[str | None], channels: list[str | None]) -> NDArray[np.float64]:
    """Yearly potential of each account from its district's census households and its channel."""
    codes = sorted({d for d in distritos if d})
    census = {
        d: (h, p)
        for d, h, p in Distrito.objects.filter(ubigeo__in=codes).values_list(
            "ubigeo", "households_2017", "population_2017"
        )
    }
    index = {code: i for i, code in enumerate(codes)}
    known = [census.get(c, (None, None)) for c in codes]
    households = households_from_population(
        np.array([np.nan if h is None else h for h, _p in known], dtype=float),
        np.array([p or 0 for _h, p in known], dtype=float),
    )
    district = [index[d] if d in census else -1 for d in distritos]
    channel = [CHANNEL_INDEX.get(c or "", -1) for c in channels]
    if not codes:
        return np.zeros(len(distritos))
    return account_potential(district, channel, households).account


def _snapshot(
    org: Organisation,
    month: dt.date,
    people: Population,
    strategies: dict[str, SegmentStrategy],
) -> list[AccountSegment]:
    """Every account present in `month`, judged on the 12 months before it."""
    start = add_months(month, -12)
    present = np.array(
        [
            (o is None or o < month) and (c is None or c >= month)
            for o, c in zip(people.opened, people.closed, strict=True)
        ],
        dtype=bool,
    )
    if not present.any():
        return []
    history = _history(org, start, month)
    at = np.flatnonzero(present)
    ids = people.ids[at]
    revenue = np.array([float(history.revenue.get(i, 0)) for i in ids])
    orders = np.array([history.orders.get(i, 0) for i in ids])
    visits = np.array([history.visits.get(i, 0) for i in ids])
    last = [history.last_order.get(i) for i in ids]
    recency = np.array([(month - d).days if d else np.inf for d in last])
    settings = settings_for(org)
    abc = abc_classes(revenue, settings.shares).classes
    new_since = add_months(month, -settings.new_months)
    segment = [
        Segment.NEW if _opened_since(people.opened[k], new_since) else str(abc[n])
        for n, k in enumerate(at.tolist())
    ]
    rfm = rfm_scores(recency, orders, revenue).code
    plan = [
        effective_plan(people.plans.get(int(i)), strategies[s])
        for i, s in zip(ids, segment, strict=True)
    ]
    visit_min = np.array([p[1] for p in plan], dtype=float)
    effort = cost_to_serve(visits, visit_min, people.travel_min[at], people.cost_per_hour[at])
    quadrant = value_effort(revenue, effort).quadrant
    planned = np.array([VISITS_PER_MONTH[p[0]] for p in plan])
    workload = planned * (visit_min + people.travel_min[at])
    total = revenue[revenue > 0].sum()
    return [
        AccountSegment(
            organisation=org,
            account_id=int(ids[n]),
            month=month,
            territory_id=people.territory[k],
            rep_id=people.rep[k],
            segment=segment[n],
            revenue_12m=_money(revenue[n]),
            revenue_share=float(max(revenue[n], 0) / total) if total > 0 else 0.0,
            orders_12m=int(orders[n]),
            visits_12m=int(visits[n]),
            recency_days=None if np.isinf(recency[n]) else int(recency[n]),
            rfm=str(rfm[n]),
            cost_to_serve_12m=_money(effort[n]),
            quadrant=str(quadrant[n]),
            potential_12m=_money(people.potential[k]),
            travel_min=float(people.travel_min[k]),
            visits_planned=float(planned[n]),
            workload_min=float(workload[n]),
        )
        for n, k in enumerate(at.tolist())
    ]


def _opened_since(opened: dt.date | None, since: dt.date) -> bool:
    return opened is not None and opened >= since


def effective_plan(plan: AccountPlan | None, strategy: SegmentStrategy) -> tuple[str, int]:
    """The visit frequency and duration that apply: the account's own, else its segment's."""
    if plan is None:
        return strategy.frequency, strategy.visit_min
    return plan.frequency or strategy.frequency, plan.visit_min or strategy.visit_min


@dataclass
class History:
    revenue: dict[int, Decimal]
    orders: dict[int, int]
    visits: dict[int, int]
    last_order: dict[int, dt.date]


def _history(org: Organisation, start: dt.date, end: dt.date) -> History:
    """Sales, orders, last order day and visits per account in [start, end)."""
    sales = (
        MonthlySales.objects.filter(organisation=org, month__gte=start, month__lt=end)
        .order_by()
        .values("account_id")
        .annotate(net=Sum("net_amount"), n=Sum("orders"))
    )
    last = (
        Order.objects.filter(
            organisation=org, status__in=SALES_STATUSES, ordered_on__gte=start, ordered_on__lt=end
        )
        .order_by()
        .values("account_id")
        .annotate(last=Max("ordered_on"))
    )
    visits = (
        Interaction.objects.filter(
            organisation=org,
            kind=Interaction.Kind.VISIT,
            occurred_at__gte=_midnight(start),
            occurred_at__lt=_midnight(end),
        )
        .order_by()
        .values("account_id")
        .annotate(n=Count("id"))
    )
    rows: list[dict[str, Any]] = list(sales)
    return History(
        revenue={r["account_id"]: r["net"] or Decimal(0) for r in rows},
        orders={r["account_id"]: int(r["n"] or 0) for r in rows},
        visits={r["account_id"]: r["n"] for r in visits},
        last_order={r["account_id"]: r["last"] for r in last},
    )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _money(value: float) -> Decimal:
    return Decimal(str(round(float(value), 2)))
