"""Where territory design meets the engine: a scenario's accounts, territories and reps as
numpy arrays (`Board`), the `AlignmentProblem` the optimiser solves, and the optimiser's answer
written back as placements.

Measures per account come from the latest coverage snapshot (rumbo.coverage): workload in hours
a week (visits × (visit + travel)), sales and potential over twelve months, and 1 per account.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Max
from django.db.models.functions import Coalesce
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from rumbo.core.jobs import JobClock
from rumbo.core.models import User
from rumbo.coverage.models import AccountSegment, CoverageSettings
from rumbo.design.models import MEASURES, KeepBasis, Placement, Scenario, Units
from rumbo.engine.alignment import AlignmentProblem, AlignmentResult, evaluate, solve
from rumbo.engine.geo import haversine_km, shared_vertex_adjacency
from rumbo.engine.realignment import weekly_travel_km
from rumbo.geo.models import Distrito
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, AssignmentRole, Territory

WEEKS_A_MONTH = 52 / 12
SALES, WORKLOAD, ACCOUNTS = MEASURES.index("sales"), MEASURES.index("workload"), 3


@dataclass
class Board:
    """A scenario as arrays: n accounts over k territories (the leaves under the root)."""

    territories: list[Territory]
    reps: list[User | None]
    capacity_h: NDArray[np.float64]  # (k,) hours a week, nan without a rep
    bases: NDArray[np.float64]  # (k, 2) rep home (lat, lon), nan rows without one
    locked_territories: NDArray[np.bool_]
    placement_ids: NDArray[np.int64]
    account_ids: NDArray[np.int64]
    names: list[str]
    codes: list[str]
    distritos: list[str]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    measures: NDArray[np.float64]  # (n, 4) in MEASURES order
    visits_week: NDArray[np.float64]
    before: NDArray[np.int64]  # (n,) territory index when the scenario began (-1 = none)
    after: NDArray[np.int64]  # (n,) territory index in the scenario
    locked: NDArray[np.bool_]
    manual: NDArray[np.bool_]
    index: dict[int, int] = field(default_factory=dict)  # territory pk → index

    @property
    def k(self) -> int:
        return len(self.territories)

    @property
    def located(self) -> NDArray[np.bool_]:
        return ~(np.isnan(self.lat) | np.isnan(self.lon))

    @property
    def unlocated_count(self) -> int:
        return int((~self.located).sum())

    def targets(self) -> NDArray[np.float64]:
        """(k, m) fair share per territory: workload in proportion to each rep's capacity when
        every territory has a rep, everything else split evenly."""
        total = self.measures.sum(axis=0)
        targets = np.repeat(total[None, :] / self.k, self.k, axis=0)
        if self.k and not np.isnan(self.capacity_h).any() and self.capacity_h.sum() > 0:
            targets[:, WORKLOAD] = total[WORKLOAD] * self.capacity_h / self.capacity_h.sum()
        return targets

    def homes(self) -> NDArray[np.float64] | None:
        return None if np.isnan(self.bases).any() else self.bases

    def travel_km(self, assignment: NDArray[np.int64], detour: float) -> NDArray[np.float64]:
        where = self.located & (assignment >= 0)
        placed = np.where(where, assignment, -1)
        return weekly_travel_km(
            np.nan_to_num(self.lat), np.nan_to_num(self.lon), placed,
            np.where(where, self.visits_week, 0.0), self.bases, self.k, detour=detour,
        )  # fmt: skip


def leaves_under(root: Territory) -> list[Territory]:
    """The active territories without active children below (or at) `root`, in tree order."""
    subtree = list(Territory.objects.subtree_of(root).filter(is_active=True))
    parents = {t.parent_id for t in subtree}
    return [t for t in subtree if t.pk not in parents]


def board(scenario: Scenario) -> Board:
    territories = leaves_under(scenario.root)
    index = {t.pk: i for i, t in enumerate(territories)}
    reps, capacity, bases = _reps(territories)
    locked_ids = set(scenario.locked_territories.values_list("pk", flat=True))
    rows = list(
        Placement.objects.filter(scenario=scenario)
        .order_by("account_id")
        .values_list(
            "pk", "account_id", "account__trade_name", "account__external_code",
            "account__distrito_id", Coalesce("account__lat", "account__distrito__lat"),
            Coalesce("account__lon", "account__distrito__lon"), "base_territory_id",
            "territory_id", "locked", "source",
        )
    )  # fmt: skip
    measures, visits = _measures(scenario, [r[1] for r in rows])
    return Board(
        territories=territories,
        reps=reps,
        capacity_h=capacity,
        bases=bases,
        locked_territories=np.array([t.pk in locked_ids for t in territories], dtype=bool),
        placement_ids=np.array([r[0] for r in rows], dtype=np.int64),
        account_ids=np.array([r[1] for r in rows], dtype=np.int64),
        names=[r[2] for r in rows],
        codes=[r[3] for r in rows],
        distritos=[r[4] or "" for r in rows],
        lat=np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
        lon=np.array([np.nan if r[6] is None else r[6] for r in rows], dtype=float),
        measures=measures,
        visits_week=visits,
        before=np.array([index.get(r[7], -1) for r in rows], dtype=np.int64),
        after=np.array([index.get(r[8], -1) for r in rows], dtype=np.int64),
        locked=np.array([r[9] for r in rows], dtype=bool),
        manual=np.array([r[10] == Placement.Source.MANUAL for r in rows], dtype=bool),
        index=index,
    )


def _reps(
    territories: list[Territory],
) -> tuple[list[User | None], NDArray[np.float64], NDArray[np.float64]]:
    """Today's rep of each territory (the earliest assignment when several share one)."""
    by_territory: dict[int, User] = {}
    for a in (
        Assignment.objects.active_on()
        .filter(territory__in=territories, role=AssignmentRole.REP)
        .select_related("user")
        .order_by("valid_from", "pk")
    ):
        by_territory.setdefault(a.territory_id, a.user)
    profiles = {r.user_id: r for r in Rep.objects.filter(user__in=by_territory.values())}
    reps = [by_territory.get(t.pk) for t in territories]
    capacity = np.full(len(territories), np.nan)
    bases = np.full((len(territories), 2), np.nan)
    for i, user in enumerate(reps):
        profile = profiles.get(user.pk) if user else None
        if profile is None:
            continue
        capacity[i] = float(profile.weekly_capacity_hours)
        if profile.home_lat is not None and profile.home_lon is not None:
            bases[i] = (profile.home_lat, profile.home_lon)
    return reps, capacity, bases


def _measures(
    scenario: Scenario, account_ids: list[int]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(n, 4) measures and visits a week from the organisation's latest segment snapshot."""
    n = len(account_ids)
    measures = np.zeros((n, len(MEASURES)))
    measures[:, ACCOUNTS] = 1.0
    visits = np.zeros(n)
    month = snapshot_month(scenario)
    if month is None:
        return measures, visits
    position = {a: i for i, a in enumerate(account_ids)}
    for account_id, workload_min, revenue, potential, planned in AccountSegment.objects.filter(
        organisation_id=scenario.organisation_id, month=month, account_id__in=account_ids
    ).values_list("account_id", "workload_min", "revenue_12m", "potential_12m", "visits_planned"):
        i = position[account_id]
        measures[i, :3] = (workload_min / 60 / WEEKS_A_MONTH, float(revenue), float(potential))
        visits[i] = planned / WEEKS_A_MONTH
    return measures, visits


def snapshot_month(scenario: Scenario) -> dt.date | None:
    """The month of the organisation's latest coverage snapshot."""
    return AccountSegment.objects.filter(organisation_id=scenario.organisation_id).aggregate(
        m=Max("month")
    )["m"]


def detour_of(scenario: Scenario) -> float:
    found = CoverageSettings.objects.filter(organisation_id=scenario.organisation_id).first()
    return float(found.detour) if found else 1.3


# --- The optimisation problem -------------------------------------------------------------


def _tolerances(scenario: Scenario) -> NDArray[np.float64]:
    return np.array([math.inf if t is None else t for t in scenario.tolerances()])


def _rules(scenario: Scenario) -> dict[str, Any]:
    return {
        "tolerances": _tolerances(scenario),
        "min_kept": scenario.min_kept_pct / 100,
        "kept_measure": SALES if scenario.kept_basis == KeepBasis.REVENUE else ACCOUNTS,
        "measure_names": MEASURES,
    }


def account_problem(b: Board, scenario: Scenario) -> tuple[AlignmentProblem, NDArray[np.int64]]:
    """One unit per located account; accounts without a position stay where they are."""
    units = np.flatnonzero(b.located)
    problem = AlignmentProblem(
        positions=np.column_stack([b.lat[units], b.lon[units]]),
        measures=b.measures[units],
        n_territories=b.k,
        targets=b.targets(),
        weights=np.maximum(b.visits_week[units], 0.05),
        homes=b.homes(),
        current=b.after[units],
        locked_units=b.locked[units] & (b.after[units] >= 0),
        locked_territories=b.locked_territories,
        **_rules(scenario),
    )
    return problem, units


@dataclass
class DistrictUnits:
    ubigeos: list[str]
    of_account: NDArray[np.int64]  # (n,) district unit of each account, -1 when none


def district_problem(b: Board, scenario: Scenario) -> tuple[AlignmentProblem, DistrictUnits]:
    """One unit per district of the provinces the accounts are in (empty districts keep the
    territories connected), contiguous on the districts' shared borders."""
    provinces = {u[:4] for u in b.distritos if u}
    distritos = list(
        Distrito.objects.filter(provincia_id__in=provinces, lat__isnull=False)
        .order_by("ubigeo")
        .values_list("ubigeo", "lat", "lon", "boundary")
    )
    position = {d[0]: i for i, d in enumerate(distritos)}
    of_account = np.array([position.get(u, -1) for u in b.distritos], dtype=np.int64)
    n = len(distritos)
    has = of_account >= 0
    measures = np.zeros((n, len(MEASURES)))
    np.add.at(measures, of_account[has], b.measures[has])
    current = _majority(of_account[has], b.after[has], n, b.k)
    locked = np.zeros(n, dtype=bool)
    locked[of_account[has & b.locked]] = True
    locked &= current >= 0
    problem = AlignmentProblem(
        positions=np.array([(d[1], d[2]) for d in distritos], dtype=float).reshape(-1, 2),
        measures=measures,
        n_territories=b.k,
        targets=b.targets(),
        adjacency=_connected(
            shared_vertex_adjacency([_rings(d[3]) for d in distritos]),
            np.array([(d[1], d[2]) for d in distritos], dtype=float).reshape(-1, 2),
        ),
        weights=np.maximum(measures[:, ACCOUNTS], 0.05),
        homes=b.homes(),
        current=current,
        locked_units=locked,
        locked_territories=b.locked_territories,
        **_rules(scenario),
    )
    return problem, DistrictUnits([d[0] for d in distritos], of_account)


def _connected(graph: sparse.csr_array, positions: NDArray[np.float64]) -> sparse.csr_array:
    """Join the pieces of the district graph (islands, districts with no shared border in the
    simplified layer) to the nearest district of the rest, so that contiguity is possible."""
    graph = sparse.lil_array(graph)
    while True:
        count, labels = csgraph.connected_components(graph, directed=False)
        if count <= 1:
            return sparse.csr_array(graph)
        piece, rest = np.flatnonzero(labels == 0), np.flatnonzero(labels != 0)
        gaps = haversine_km(
            positions[piece, 0][:, None], positions[piece, 1][:, None],
            positions[rest, 0][None, :], positions[rest, 1][None, :],
        )  # fmt: skip
        i, j = np.unravel_index(int(gaps.argmin()), gaps.shape)
        graph[piece[i], rest[j]] = graph[rest[j], piece[i]] = 1.0


def _majority(units: NDArray[np.int64], territory: NDArray[np.int64], n: int, k: int):
    counts = np.zeros((n, k + 1))
    np.add.at(counts, (units, territory + 1), 1.0)
    best = counts[:, 1:].argmax(axis=1)
    return np.where(counts[:, 1:].sum(axis=1) > 0, best, -1).astype(np.int64)


def _rings(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    if not geometry:
        return []
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[(float(x), float(y)) for x, y in ring] for polygon in polygons for ring in polygon]


# --- Running the optimiser ------------------------------------------------------------------


def optimise(
    scenario: Scenario, progress: Callable[[int, int], None], seed: int = 0
) -> tuple[Board, NDArray[np.int64], AlignmentResult]:
    """The board, the optimiser's territory index for each of its accounts, and its result."""
    b = board(scenario)
    if b.k < 2:
        raise ValueError("a scenario needs at least two territories")
    stop = JobClock(float(scenario.time_limit_s), progress)
    after = b.after.copy()
    if scenario.units == Units.DISTRICTS:
        problem, units = district_problem(b, scenario)
        result = solve(problem, stop, seed)
        moved = (units.of_account >= 0) & ~b.locked
        after[moved] = result.assignment[units.of_account[moved]]
    else:
        problem, located = account_problem(b, scenario)
        result = solve(problem, stop, seed)
        after[located] = result.assignment
    return b, after, result


def measure(b: Board, assignment: NDArray[np.int64]) -> AlignmentResult | None:
    """Balance, compactness and disruption of any assignment of the board's located accounts."""
    units = np.flatnonzero(b.located & (assignment >= 0))
    if not len(units) or b.k < 1:
        return None
    problem = AlignmentProblem(
        positions=np.column_stack([b.lat[units], b.lon[units]]),
        measures=b.measures[units],
        n_territories=b.k,
        tolerances=np.full(len(MEASURES), math.inf),
        targets=b.targets(),
        weights=np.maximum(b.visits_week[units], 0.05),
        homes=b.homes(),
        current=b.before[units],
        kept_measure=ACCOUNTS,
    )
    return evaluate(problem, assignment[units])
