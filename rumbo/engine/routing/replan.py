"""The phone's "optimise my day": the rest of the day from where the rep stands, now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from rumbo.engine.routing.day import DayProblem, DayResult, LunchBreak, Shift
from rumbo.engine.routing.day_solver import solve_day
from rumbo.engine.stop import StoppingCriterion


def rest_of_day(
    problem: DayProblem,
    *,
    here: int,
    now_min: float,
    done: Sequence[int] = (),
    lunch_taken: bool = False,
) -> tuple[DayProblem, np.ndarray]:
    """The day's remaining visits, leaving location `here` at `now_min`.

    Returns the smaller problem and, per remaining visit, its index in `problem`. The time
    already worked (since the shift began) comes off the maximum duration.
    """
    keep = np.setdiff1d(np.arange(problem.size), np.asarray(done, dtype=np.int64))
    shift = problem.shift
    limit = shift.max_duration_min
    if limit is not None:
        limit = max(limit - max(now_min - shift.start_min, 0.0), 1e-3)
    end = max(shift.end_min, now_min)
    rest = DayProblem(
        travel=problem.travel,
        location=problem.location[keep],
        service_min=problem.service_min[keep],
        shift=Shift(now_min, end, limit, leave_at_start=True),
        windows=None if problem.windows is None else tuple(problem.windows[i] for i in keep),
        start=here,
        end=problem.end,
        priority=None if problem.priority is None else problem.priority[keep],
        required=None if problem.required is None else problem.required[keep],
        demand=None if problem.demand is None else problem.demand[keep],
        capacity=problem.capacity,
        reps=1,
        lunch=None if lunch_taken else _lunch_left(problem.lunch, now_min),
        objective=problem.objective,
    )
    return rest, keep


def optimise_from_here(
    problem: DayProblem,
    stop: StoppingCriterion,
    *,
    here: int,
    now_min: float,
    done: Sequence[int] = (),
    lunch_taken: bool = False,
    seed: int = 0,
) -> DayResult:
    """Route the rest of the day; stops and drops refer to the visits of `problem`."""
    rest, keep = rest_of_day(
        problem, here=here, now_min=now_min, done=done, lunch_taken=lunch_taken
    )
    result = solve_day(rest, stop, seed=seed)
    routes = tuple(
        replace(route, stops=tuple(replace(s, visit=int(keep[s.visit])) for s in route.stops))
        for route in result.routes
    )
    dropped = tuple(replace(d, visit=int(keep[d.visit])) for d in result.dropped)
    return replace(result, routes=routes, dropped=dropped)


def _lunch_left(lunch: LunchBreak | None, now_min: float) -> LunchBreak | None:
    """The lunch window from now on, or None when lunch no longer fits in it."""
    if lunch is None or now_min + lunch.duration_min > lunch.latest_min:
        return None
    return LunchBreak(max(lunch.earliest_min, now_min), lunch.latest_min, lunch.duration_min)
