"""Solve a day with PyVRP and read the answer back in minutes and kilometres."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from pyvrp import IteratedLocalSearchParams, PenaltyParams, ProblemData, Solution, SolveParams
from pyvrp import solve as pyvrp_solve
from pyvrp.search import NeighbourhoodParams

from rumbo.engine.routing._day_model import TIME_SCALE, DayModel, build_day_model
from rumbo.engine.routing.day import (
    DayProblem,
    DayResult,
    Dropped,
    DropReason,
    Lunch,
    RoutePlan,
    Stop,
)
from rumbo.engine.stop import StoppingCriterion

# A shorter late-acceptance history than PyVRP's 300 converges faster in the seconds a day
# gets: on the 13 hardest Solomon instances at 5 s, mean gap 0.51 % against 0.73 %.
PARAMS = SolveParams(ils=IteratedLocalSearchParams(history_length=100))
WAIT_WEIGHT = NeighbourhoodParams().weight_wait_time  # per cost unit, as PyVRP means it
MIN_PENALTY = PenaltyParams().min_penalty  # per cost unit, as PyVRP means it
TIME_WARP_START = 1.0  # a time unit late starts at this many mean arcs' cost per time unit
UPDATE_EVERY = 100  # solutions between penalty updates (PyVRP: 500)

# Per unit of load (one per dimension), of time warp and of excess distance.
Penalties = tuple[list[float], float, float]


@dataclass
class StartPenaltyParams(PenaltyParams):
    """PyVRP's penalty parameters, with the penalties the search starts from given.

    `pyvrp.solve` starts from `penalty.midpoint_penalties(data)`: (load per dimension, time
    warp, excess distance) per unit of each.
    """

    start: Penalties = field(default=([], 1.0, 1.0))

    def midpoint_penalties(self, data: ProblemData) -> Penalties:
        return list(self.start[0]), self.start[1], self.start[2]


def start_penalties(data: ProblemData, cost: float, time: float) -> Penalties:
    """Starting penalties: a unit of excess load costs a mean arc per mean load, a unit of time
    warp `TIME_WARP_START` mean arcs per mean arc duration, a unit of excess distance a unit of
    distance (`cost` and `time` are the mean arc's cost and duration).
    """
    per_time = TIME_WARP_START * (cost / time if time > 0 and cost > 0 else 1.0)
    loads: list[float] = []
    for dim in range(data.num_load_dimensions):
        amounts = [max(c.delivery[dim], c.pickup[dim]) for c in data.clients()]
        positive = [a for a in amounts if a > 0]
        loads.append(max(cost, 1.0) / max(float(np.mean(positive)) if positive else 1.0, 1.0))
    return loads, per_time, 1.0


def solve_params(data: ProblemData) -> SolveParams:
    """`PARAMS` with the neighbourhood's waiting time and the penalties in our cost units.

    PyVRP ranks a client's neighbours by arc cost plus `weight_wait_time` × waiting time, which
    assumes both in one unit. Ours are not: a minute is 6000 time units, a km 10–10⁴ cost
    units, so waiting outweighed distance hundreds of times and the neighbour lists followed
    the time windows, not the map (Gehring & Homberger R1_10_1, 15 s of CPU: +29 % against
    +4.9 % with the weight converted by the mean arc's cost per time unit).

    The penalties had the same fault. PyVRP starts them at 50,000 per unit, lowers them by 10 %
    per 500 iterations and not below 0.1 per unit: in the seconds a day gets, the time-warp
    penalty stayed thousands of times too high (a 100-visit day never left the feasible
    region) and could not fall below 6 km per minute late. They now start at a mean arc's cost
    per mean unit (load, time), are updated every `UPDATE_EVERY` solutions, with the floor
    converted like the waiting weight. Solomon, 52 instances, 5 s of CPU, seeds 1 / 2: mean
    gap 0.18 % / 0.14 % against 0.30 % / 0.34 %, 32 / 36 at optimum against 30 / 26. But
    Gehring & Homberger R1_10_1 at 60 s of CPU is worse (+2.45 % / +3.07 % against +2.76 % /
    +2.24 %; RC1_10_1 +2.76 % / +2.48 % against +2.12 % / +2.85 %); a trace with updates every
    500 solutions showed it searching infeasibly for its first 7,000 iterations.
    """
    cost = float(np.asarray(data.distance_matrix(0), dtype=float).mean())
    time = float(np.asarray(data.duration_matrix(0), dtype=float).mean())
    ratio = cost / time if time > 0 and cost > 0 else 1.0
    base = PARAMS.penalty
    penalty = StartPenaltyParams(
        solutions_between_updates=UPDATE_EVERY,
        penalty_increase=base.penalty_increase,
        penalty_decrease=base.penalty_decrease,
        target_feasible=base.target_feasible,
        feas_tolerance=base.feas_tolerance,
        min_penalty=MIN_PENALTY * min(ratio, 1.0),
        max_penalty=base.max_penalty,
        start=start_penalties(data, cost, time),
    )
    return SolveParams(
        ils=PARAMS.ils,
        penalty=penalty,
        neighbourhood=NeighbourhoodParams(weight_wait_time=WAIT_WEIGHT * ratio),
        operators=PARAMS.operators,
        display_interval=PARAMS.display_interval,
        perturbation=PARAMS.perturbation,
    )


def solve_day(
    problem: DayProblem,
    stop: StoppingCriterion,
    seed: int = 0,
    initial_routes: Sequence[Sequence[int]] | None = None,
    initial_windows: Mapping[int, int] | None = None,
) -> DayResult:
    """Best routes found before `stop` says so.

    `initial_routes` (visit indices per rep) warm-start the search, each visit in the window
    `initial_windows[visit]` when given (else its first usable window).
    """
    model = build_day_model(problem)
    if model.data.num_clients == 0:
        return _decode(problem, model, None)
    initial = None
    if initial_routes:
        initial = _initial_solution(problem, model, initial_routes, initial_windows or {})
    result = pyvrp_solve(
        model.data,
        stop=stop,
        seed=seed,
        collect_stats=False,
        params=solve_params(model.data),
        initial_solution=initial,
    )
    return _decode(problem, model, result.best)


def _initial_solution(
    problem: DayProblem,
    model: DayModel,
    routes: Sequence[Sequence[int]],
    windows: Mapping[int, int],
) -> Solution:
    """Map visit routes onto PyVRP clients in the wanted (else the first usable) window."""
    first: dict[int, int] = {}
    pairs = zip(model.client_visit.tolist(), model.client_window.tolist(), strict=True)
    for client, (visit, window) in enumerate(pairs):
        if visit >= 0 and (visit not in first or windows.get(visit) == window):
            first[visit] = client
    clients = [[first[v] for v in route if v in first] for route in routes]
    clients = [route for route in clients if route][: problem.reps]
    return Solution(model.data, clients)


def _decode(problem: DayProblem, model: DayModel, solution: Solution | None) -> DayResult:
    routes = [] if solution is None else solution.routes()
    plans = tuple(_route_plan(problem, model, rep, route) for rep, route in enumerate(routes))
    planned = {stop.visit for plan in plans for stop in plan.stops}
    skipped = set(model.ineligible)
    priority = problem.priorities()
    dropped = sorted(
        (
            Dropped(
                visit=v,
                reason=DropReason.NO_FEASIBLE_WINDOW if v in skipped else DropReason.DID_NOT_FIT,
                priority=int(priority[v]),
            )
            for v in range(problem.size)
            if v not in planned
        ),
        key=lambda d: (d.priority, d.visit),
    )
    required_met = all(not problem.required_mask()[d.visit] for d in dropped)
    feasible = required_met and (solution is None or solution.is_feasible())
    return DayResult(
        routes=plans,
        dropped=tuple(dropped),
        feasible=feasible,
        lunch_skipped=problem.lunch is not None and not model.lunch,
    )


def _route_plan(problem: DayProblem, model: DayModel, rep: int, route: object) -> RoutePlan:
    """Stops with arrival times, lunch, and the km and minutes driven along the route."""
    schedule = list(route.schedule())  # type: ignore[attr-defined]
    stops: list[Stop] = []
    lunch: Lunch | None = None
    path = [problem.start]
    for activity in schedule[1:-1]:
        client = activity.idx
        start, end = activity.start_time / TIME_SCALE, activity.end_time / TIME_SCALE
        path.append(int(model.locations[model.data.client(client).location]))
        visit = int(model.client_visit[client])
        if visit < 0:
            lunch = Lunch(start_min=start, end_min=end, after_stops=len(stops), location=path[-1])
            continue
        arrival = (activity.start_time - activity.wait_duration) / TIME_SCALE
        window = int(model.client_window[client])
        stops.append(Stop(visit, window, arrival, start, end))
    path.append(problem.end)
    legs = np.asarray(path[:-1]), np.asarray(path[1:])
    return RoutePlan(
        rep=rep,
        stops=tuple(stops),
        depart_min=schedule[0].start_time / TIME_SCALE,
        return_min=schedule[-1].start_time / TIME_SCALE,
        distance_km=float(problem.travel.distance_km[legs].sum()),
        travel_min=float(problem.travel.duration_min[legs].sum()),
        lunch=lunch,
    )
