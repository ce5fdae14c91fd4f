"""Where quota plans meet the allocation engine (rumbo.engine.quotas): the plan's tree of
territories and reps, what each method measures of every node (the latest seasons run's
forecast for the plan's year, the potential of the latest coverage snapshot, last year's
sales), each node's seasonal pattern, and the engine's answer written back onto the lines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rumbo.core.models import User
from rumbo.coverage.models import AccountSegment
from rumbo.engine.quotas import METHODS, MONTHS, Allocation, QuotaConflict, QuotaTree, allocate
from rumbo.orders.models import MonthlySales
from rumbo.quotas.models import MonthsBy, QuotaLine, QuotaPlan
from rumbo.seasons.models import ForecastSeries, Profile, SeasonRun
from rumbo.targets.models import Measure
from rumbo.territories.models import Assignment, AssignmentRole, Territory

FORECAST, POTENTIAL, LAST_YEAR = range(len(METHODS))


@dataclass
class Node:
    territory: Territory
    rep: User | None
    parent: int  # index of the parent node, -1 for the root
    depth: int


def nodes_under(root: Territory, on: dt.date) -> list[Node]:
    """The root, the active territories below it (parents first) and, under each territory
    without active children, the reps assigned to it on `on`."""
    territories: list[Territory] = []
    nodes: list[Node] = []
    index: dict[int, int] = {}
    # By path, so parents come first; a territory under an inactive one is left out with it.
    for t in Territory.objects.subtree_of(root).order_by("path"):
        parent = -1 if t.pk == root.pk else index.get(t.parent_id or 0)
        if parent is None or not (t.is_active or t.pk == root.pk):
            continue
        index[t.pk] = len(nodes)
        territories.append(t)
        nodes.append(Node(t, None, parent, t.depth - root.depth))
    parents = {n.territory.parent_id for n in nodes}
    leaves = [t for t in territories if t.pk not in parents]
    reps: dict[int, list[User]] = defaultdict(list)
    for a in (
        Assignment.objects.active_on(on)
        .filter(territory__in=leaves, role=AssignmentRole.REP, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    ):
        if a.user not in reps[a.territory_id]:
            reps[a.territory_id].append(a.user)
    # Each leaf's reps right after the leaf, so parents still come before children.
    out: list[Node] = []
    moved: dict[int, int] = {}
    for i, node in enumerate(nodes):
        moved[i] = len(out)
        parent = moved[node.parent] if node.parent >= 0 else -1
        out.append(Node(node.territory, None, parent, node.depth))
        for rep in reps.get(node.territory.pk, []):
            out.append(Node(node.territory, rep, moved[i], node.depth + 1))
    return out


def latest_run(organisation_id: int) -> SeasonRun | None:
    return (
        SeasonRun.objects.filter(organisation_id=organisation_id, finished_at__isnull=False)
        .order_by("-created_at")
        .first()
    )


def year_forecast(
    run: SeasonRun | None, measure: str, year: int, *, or_horizon: bool = True
) -> dict[int, float]:
    """Territory id → its reconciled forecast (all categories) over `year`. When the run's
    horizon does not reach that year: over the whole horizon if `or_horizon` (shares are all a
    plan uses), else nothing."""
    if run is None or run.last_month is None:
        return {}
    first = run.last_month.year * 12 + run.last_month.month  # the month after, 0-based
    rows = ForecastSeries.objects.filter(
        run=run, measure=measure, territory__isnull=False, category__isnull=True
    ).values_list("territory_id", "mean")
    found: dict[int, float] = {}
    for territory_id, mean in rows:
        inside = [v for i, v in enumerate(mean) if (first + i) // 12 == year]
        if inside or or_horizon:
            found[territory_id] = float(sum(inside if inside else mean))
    return found


def _shapes(run: SeasonRun | None, measure: str) -> dict[int, np.ndarray]:
    """Territory id → expected sales per calendar month: each category's seasonal index
    weighted by what the territory sold of it in the last year."""
    found: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(MONTHS))
    if run is None:
        return found
    rows = Profile.objects.filter(
        run=run, kind=Profile.Kind.TERRITORY, measure=measure, territory__isnull=False
    ).values_list("territory_id", "index", "total")
    for territory_id, index, total in rows:
        found[territory_id] += np.asarray(index, dtype=np.float64) * max(total, 0.0) / MONTHS
    return found


ByTerritory = dict[int, float]
ByRep = dict[tuple[int, int], float]


def _by_territory_and_rep(rows: Iterable[tuple[Any, Any, Any]]) -> tuple[ByTerritory, ByRep]:
    territory: ByTerritory = defaultdict(float)
    rep: ByRep = defaultdict(float)
    for territory_id, rep_id, value in rows:
        if territory_id is None:
            continue
        territory[territory_id] += float(value or 0)
        if rep_id is not None:
            rep[(territory_id, rep_id)] += float(value or 0)
    return territory, rep


def _potential(organisation_id: int) -> tuple[dt.date | None, ByTerritory, ByRep]:
    month = AccountSegment.objects.filter(organisation_id=organisation_id).aggregate(
        m=Max("month")
    )["m"]
    if month is None:
        return None, {}, {}
    rows = (
        AccountSegment.objects.filter(organisation_id=organisation_id, month=month)
        .values("territory_id", "rep_id")
        .order_by()
        .annotate(v=Sum("potential_12m"))
        .values_list("territory_id", "rep_id", "v")
    )
    return month, *_by_territory_and_rep(rows)


def _last_year(organisation_id: int, year: int, measure: str) -> tuple[ByTerritory, ByRep]:
    field = "net_amount" if measure == Measure.AMOUNT else "quantity"
    rows = (
        MonthlySales.objects.filter(organisation_id=organisation_id, month__year=year - 1)
        .values("territory_id", "rep_id")
        .order_by()
        .annotate(v=Sum(field))
        .values_list("territory_id", "rep_id", "v")
    )
    return _by_territory_and_rep(rows)


@dataclass
class Inputs:
    nodes: list[Node]
    basis: np.ndarray  # (n, 3)
    shape: np.ndarray  # (n, 12), each node's own seasonal pattern
    run: SeasonRun | None
    potential_month: dt.date | None


def read_inputs(plan: QuotaPlan) -> Inputs:
    """The plan's tree as of today and, for every node, what each method measures of it."""
    today = timezone.localdate()
    nodes = nodes_under(plan.root, max(today, dt.date(plan.year, 1, 1)))
    org = plan.organisation_id
    run = latest_run(org)
    forecast = year_forecast(run, plan.measure, plan.year)
    shapes = _shapes(run, plan.measure)
    potential_month, potential, potential_rep = _potential(org)
    last, last_rep = _last_year(org, plan.year, plan.measure)
    n = len(nodes)
    basis = np.zeros((n, len(METHODS)))
    shape = np.zeros((n, MONTHS))
    # A territory's figures are those of its whole subtree: add each territory's own figures to
    # it and to every ancestor in the plan.
    position = {node.territory.pk: i for i, node in enumerate(nodes) if node.rep is None}
    for i, node in enumerate(nodes):
        if node.rep is not None:
            key = (node.territory.pk, node.rep.pk)
            basis[i] = (0.0, potential_rep.get(key, 0.0), last_rep.get(key, 0.0))
            continue
        pk = node.territory.pk
        own = np.array([forecast.get(pk, 0.0), potential.get(pk, 0.0), last.get(pk, 0.0)])
        j = i
        while j >= 0:
            basis[j] += np.clip(own, 0, None)
            shape[j] += shapes.get(pk, 0.0)
            j = nodes[j].parent
    for i, node in enumerate(nodes):
        if node.rep is not None:
            shape[i] = shape[position[node.territory.pk]]
    return Inputs(nodes, basis, shape, run, potential_month)


def _patterns(plan: QuotaPlan, shape: np.ndarray) -> np.ndarray:
    if plan.months_by == MonthsBy.EVEN:
        return np.ones_like(shape)
    if plan.months_by == MonthsBy.DISTRIBUTION and plan.distribution is not None:
        row = np.array([float(s) for s in plan.distribution.shares])
        return np.tile(row, (len(shape), 1))
    return shape


def compute(plan: QuotaPlan, lines: list[QuotaLine]) -> None:
    """Allocate the plan over its lines (in position order), keeping the hand-set values;
    fills proposal, value, share and months on the lines (not saved). Raises ValidationError
    naming the territory when hand-set values cannot hold."""
    step = plan.step
    index = {line.pk: i for i, line in enumerate(lines)}
    parent = np.array(
        [index[line.parent_id] if line.parent_id else -1 for line in lines], dtype=np.int64
    )
    tree = QuotaTree(
        parent=parent,
        basis=np.array([line.basis for line in lines], dtype=np.float64).reshape(-1, len(METHODS)),
        shape=_patterns(plan, np.array([line.shape for line in lines], dtype=np.float64)),
    )
    weights = np.array(plan.weights, dtype=np.float64)
    total = int(plan.total / step)
    manual = {i: int(line.manual / step) for i, line in enumerate(lines) if line.manual is not None}
    try:
        proposal = allocate(tree, total, weights)
        now = allocate(tree, total, weights, manual)
    except QuotaConflict as conflict:
        raise ValidationError(_conflict_message(conflict, lines, step)) from conflict
    _write(lines, proposal, now, step)


def _write(lines: list[QuotaLine], proposal: Allocation, now: Allocation, step: Decimal) -> None:
    for i, line in enumerate(lines):
        line.proposal = proposal.annual[i] * step
        line.value = now.annual[i] * step
        line.share = float(now.shares[i])
        line.months = [str(v * step) for v in now.months[i]]


def money(value: Decimal) -> str:
    """A figure as the user's language writes it (9.000.000,00 in Spanish)."""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _conflict_message(conflict: QuotaConflict, lines: list[QuotaLine], step: Decimal) -> str:
    name = lines[conflict.parent].rep or lines[conflict.parent].territory
    values = {
        "name": name,
        "fixed": money(conflict.fixed * step),
        "available": money(conflict.available * step),
    }
    if conflict.reason == "over":
        return (
            _(
                "The values set by hand below %(name)s add up to %(fixed)s, more than the "
                "%(available)s %(name)s has to share."
            )
            % values
        )
    return (
        _(
            "Everything below %(name)s is set by hand and adds up to %(fixed)s, not "
            "%(available)s: clear one of them or change %(name)s."
        )
        % values
    )
