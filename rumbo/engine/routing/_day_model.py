"""Translate a `DayProblem` into PyVRP's `ProblemData` (integer units) and remember the mapping.

Modelling choices:
- Several opening windows: one PyVRP client per window at the same location, all in a mutually
  exclusive client group (required when the visit is), so exactly one window is used.
- Priorities: optional visits carry prizes in strict tiers — one visit of a tier is worth more
  than all visits of lower tiers together — so the solver drops the lowest priorities first.
- Lunch: one optional zero-prize client per place the rep can be (start, end, each visit), with
  the lunch length as service time, in one required group: exactly one lunch, taken there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from pyvrp import Client, ClientGroup, Depot, Location, ProblemData, VehicleType

from rumbo.engine.routing.day import DayProblem, Objective, Shift

TIME_SCALE = 6000.0  # integer units per minute (hundredths of a second)
PRIZE_CAP = 1 << 52  # beyond this PyVRP's penalised costs could overflow int64
EPS_MIN = 1e-6


@dataclass(frozen=True)
class DayModel:
    """PyVRP data and, per PyVRP client, the visit (-1: a lunch copy) and window it stands for."""

    data: ProblemData
    locations: NDArray[np.int64]  # PyVRP location → problem location
    client_visit: NDArray[np.int64]
    client_window: NDArray[np.int64]
    ineligible: tuple[int, ...]
    lunch: bool


def distance_scale(distance_km: NDArray[np.float64]) -> float:
    """Integer units per km: about 10⁴ for a typical leg (at least 10 per km).

    PyVRP bounds its penalty per unit of excess load, so costs must not dwarf it; rounding
    then stays far below 0.01 % of a route, and one-decimal data stays exact.
    """
    legs = distance_km[distance_km > 0]
    typical = float(np.median(legs)) if legs.size else 1.0
    return float(min(1e6, max(10.0, 10.0 ** math.floor(math.log10(1e4 / typical)))))


def to_time(minutes: float | NDArray[np.float64], up: bool = True) -> NDArray[np.int64]:
    """Minutes as integer time units, rounded so that PyVRP never promises too much.

    Durations and openings round up, deadlines down (`up=False`); the slack absorbs float noise
    so that exact multiples of the unit stay exact.
    """
    scaled = np.asarray(minutes, dtype=float) * TIME_SCALE
    rounded = np.ceil(scaled - 1e-6) if up else np.floor(scaled + 1e-6)
    return rounded.astype(np.int64)


def usable_windows(
    duration: NDArray[np.float64],
    route: tuple[int, int, Shift],
    place: int,
    service: float,
    windows: NDArray[np.float64],
) -> list[tuple[int, float, float]]:
    """Windows (index, open, latest start) in which a direct out-and-back trip fits the shift.

    `route` is (start location, end location, shift); a window that fails this test can never
    be used, whatever else the day holds.
    """
    start, end, shift = route
    out, back = duration[start, place], duration[place, end]
    limit = shift.max_duration_min
    if limit is not None and out + service + back > limit + EPS_MIN:
        return []
    found: list[tuple[int, float, float]] = []
    for k, (open_, close) in enumerate(windows):
        earliest = max(open_, shift.start_min + out)
        latest = min(close - service, shift.end_min - service - back)
        if earliest <= latest + EPS_MIN:
            found.append((k, float(open_), float(close - service)))
    return found


def feasible_windows(problem: DayProblem) -> list[list[tuple[int, float, float]]]:
    """Per visit, its usable windows (none when it cannot fit, or is heavier than a rep carries)."""
    route = (problem.start, problem.end, problem.shift)
    demand, cap = problem.demands(), problem.capacity
    return [
        []
        if cap is not None and demand[v] > cap
        else usable_windows(
            problem.travel.duration_min,
            route,
            int(problem.location[v]),
            float(problem.service_min[v]),
            problem.windows_of(v),
        )
        for v in range(problem.size)
    ]


def tier_prizes(priority: NDArray[np.int64], base: int) -> NDArray[np.int64]:
    """Prizes so that one visit of a priority outweighs all visits of lower priorities."""
    levels, counts = np.unique(priority, return_counts=True)
    prize_of: dict[int, int] = {}
    below = 0
    for level, count in zip(levels.tolist(), counts.tolist(), strict=True):
        prize = min(base + below, PRIZE_CAP)
        prize_of[level] = prize
        below = min(below + count * prize, PRIZE_CAP)
    return np.array([prize_of[int(p)] for p in priority], dtype=np.int64)


def _lunch_fits(problem: DayProblem) -> bool:
    """Whether the trivial day (lunch at the start, then go to the end) fits the shift."""
    lunch, shift = problem.lunch, problem.shift
    if lunch is None:
        return False
    begin = max(lunch.earliest_min, shift.start_min)
    finish = begin + lunch.duration_min
    back = finish + problem.travel.duration_min[problem.start, problem.end]
    too_long = (
        shift.max_duration_min is not None and back - shift.start_min > shift.max_duration_min
    )
    return finish <= lunch.latest_min + EPS_MIN and back <= shift.end_min + EPS_MIN and not too_long


def _vehicle_type(problem: DayProblem, end_depot: int, scale: float) -> VehicleType:
    shift = problem.shift
    kwargs: dict[str, object] = {
        "num_available": problem.reps,
        "capacity": [] if problem.capacity is None else [int(problem.capacity)],
        "start_depot": 0,
        "end_depot": end_depot,
        "fixed_cost": round(problem.rep_fixed_cost * scale),
        "tw_early": int(to_time(shift.start_min)),
        "tw_late": int(to_time(shift.end_min, up=False)),
    }
    if shift.max_duration_min is not None:
        kwargs["shift_duration"] = int(to_time(shift.max_duration_min, up=False))
    if shift.leave_at_start:
        kwargs["start_late"] = int(to_time(shift.start_min))
    return VehicleType(**kwargs)  # type: ignore[arg-type]


@dataclass
class _Clients:
    """PyVRP clients and groups under construction, with the visit and window of each."""

    dims: int
    clients: list[Client] = field(default_factory=list)
    groups: list[ClientGroup] = field(default_factory=list)
    visit_of: list[int] = field(default_factory=list)
    window_of: list[int] = field(default_factory=list)

    def group(self, required: bool) -> int:
        self.groups.append(ClientGroup(required=required))
        return len(self.groups) - 1

    def add(self, client: Client, visit: int, window: int) -> None:
        if client.group is not None:
            self.groups[client.group].add_client(len(self.clients))
        self.clients.append(client)
        self.visit_of.append(visit)
        self.window_of.append(window)


def build_day_model(problem: DayProblem) -> DayModel:
    """The PyVRP instance of a day; visits that cannot fit any window are left out up front."""
    options = feasible_windows(problem)
    eligible = [v for v in range(problem.size) if options[v]]
    places = [problem.start, problem.end, *problem.location[eligible].tolist()]
    locations = np.unique(np.asarray(places, dtype=np.int64))
    local = {int(loc): i for i, loc in enumerate(locations)}
    cost, scale = _cost_matrix(problem, locations)
    prizes = tier_prizes(problem.priorities()[eligible], 2 * int(cost.max(initial=0)) + 1)
    built = _Clients(dims=0 if problem.capacity is None else 1)
    for visit, prize in zip(eligible, prizes.tolist(), strict=True):
        _add_visit(problem, visit, options[visit], local, prize, built)
    lunch = _lunch_fits(problem)
    if lunch:
        _add_lunch(problem, len(locations), built)
    depots = [Depot(location=local[problem.start])]
    if problem.end != problem.start:
        depots.append(Depot(location=local[problem.end]))
    duration = to_time(problem.travel.duration_min[np.ix_(locations, locations)])
    data = ProblemData(
        locations=[Location(x=0.0, y=0.0) for _ in locations],
        clients=built.clients,
        depots=depots,
        vehicle_types=[_vehicle_type(problem, len(depots) - 1, scale)],
        distance_matrices=[cast(Any, cost)],
        duration_matrices=[cast(Any, duration)],
        groups=built.groups,
    )
    return DayModel(
        data=data,
        locations=locations,
        client_visit=np.asarray(built.visit_of, dtype=np.int64),
        client_window=np.asarray(built.window_of, dtype=np.int64),
        ineligible=tuple(v for v in range(problem.size) if not options[v]),
        lunch=lunch,
    )


def _add_visit(
    problem: DayProblem,
    visit: int,
    options: list[tuple[int, float, float]],
    local: dict[int, int],
    prize: int,
    built: _Clients,
) -> None:
    """One client per usable window; several go in a mutually exclusive group."""
    required = bool(problem.required_mask()[visit])
    group = built.group(required) if len(options) > 1 else None
    for k, early, late in options:
        alone = group is None
        client = Client(
            location=local[int(problem.location[visit])],
            delivery=[int(problem.demands()[visit])] * built.dims,
            service_duration=int(to_time(problem.service_min[visit])),
            tw_early=int(to_time(early)),
            tw_late=int(to_time(late, up=False)),
            prize=0 if (alone and required) else prize,
            required=required and alone,
            group=group,
        )
        built.add(client, visit, k)


def _cost_matrix(problem: DayProblem, locations: NDArray[np.int64]) -> tuple[NDArray, float]:
    """The matrix PyVRP minimises (km or minutes, scaled to integers) and its scale."""
    sub = np.ix_(locations, locations)
    if problem.objective is Objective.DISTANCE:
        distance = problem.travel.distance_km[sub]
        scale = distance_scale(distance)
        return np.rint(distance * scale).astype(np.int64), scale
    return to_time(problem.travel.duration_min[sub]), TIME_SCALE


def _add_lunch(problem: DayProblem, places: int, built: _Clients) -> None:
    """One lunch copy per location, in a required mutually exclusive group."""
    assert problem.lunch is not None
    lunch, group = problem.lunch, built.group(True)
    for place in range(places):
        client = Client(
            location=place,
            delivery=[0] * built.dims,
            service_duration=int(to_time(lunch.duration_min)),
            tw_early=int(to_time(lunch.earliest_min)),
            tw_late=int(to_time(lunch.latest_min - lunch.duration_min, up=False)),
            required=False,
            group=group,
        )
        built.add(client, -1, -1)
