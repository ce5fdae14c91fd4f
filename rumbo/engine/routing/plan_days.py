"""From a horizon plan to each day's exact route, and the account of every visit left out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from pyvrp import Solution

from rumbo.engine.routing._horizon_model import HorizonModel
from rumbo.engine.routing._search import Roles
from rumbo.engine.routing.day import DayProblem, DayResult, DropReason
from rumbo.engine.routing.day_solver import solve_day
from rumbo.engine.routing.plan import DroppedVisit, PlanProblem, PlanResult
from rumbo.engine.stop import MaxIterations, NoImprovement, StoppingCriterion


def day_problem(problem: PlanProblem, day: int, accounts: Sequence[int]) -> DayProblem:
    """The day of the plan as a route problem over `accounts` (appointments at their time,
    and above every other priority)."""
    chosen = np.asarray(accounts, dtype=np.int64)
    booked = {a.account: a.start_min for a in problem.appointments if a.day == day}
    service = problem.service_min[chosen]
    windows = tuple(
        np.array([[booked[a], booked[a] + service[i]]]) if a in booked else problem.windows(a, day)
        for i, a in enumerate(chosen.tolist())
    )
    priority = problem.priorities()[chosen].copy()
    if booked and len(chosen):
        top = int(problem.priorities().max()) + 1
        priority[[i for i, a in enumerate(chosen.tolist()) if a in booked]] = top
    required = problem.required_mask()[chosen] & ~np.isin(chosen, list(booked))
    return DayProblem(
        travel=problem.travel,
        location=problem.location[chosen],
        service_min=service,
        shift=problem.shifts[day],
        windows=windows,
        start=problem.start,
        end=problem.end,
        priority=priority,
        required=required,
        demand=problem.demands()[chosen],
        capacity=problem.capacity,
        reps=problem.reps,
        lunch=problem.lunch,
        objective=problem.objective,
    )


def assemble(
    problem: PlanProblem,
    roles: Roles,
    model: HorizonModel,
    solution: Solution,
    chosen: NDArray[np.int64],
    polish_iterations: int,
    seed: int,
) -> PlanResult:
    """Route each day on its own from the horizon plan and collect every dropped visit."""
    routed = model.routes(solution)
    exact = problem.lunch is None and solution.is_feasible()
    days, accounts_of, dropped = [], [], _unplanned(problem, roles, model, routed, chosen)
    for day in range(problem.days):
        routes = [(accounts, windows) for d, accounts, windows in routed if d == day]
        stop: StoppingCriterion = MaxIterations(0) if exact else NoImprovement(polish_iterations)
        result, accounts = _route_day(problem, day, routes, stop, seed)
        days.append(result)
        accounts_of.append(np.asarray(accounts, dtype=np.int64))
        dropped += [
            DroppedVisit(accounts[d.visit], day, d.reason, d.priority) for d in result.dropped
        ]
    dropped.sort(key=lambda d: (d.priority, d.account, d.day))
    return PlanResult(
        pattern=_patterns_used(problem, roles, chosen, days, accounts_of),
        days=tuple(days),
        day_accounts=tuple(accounts_of),
        dropped=tuple(dropped),
    )


def _route_day(
    problem: PlanProblem,
    day: int,
    routes: list[tuple[list[int], list[int]]],
    stop: StoppingCriterion,
    seed: int,
) -> tuple[DayResult, list[int]]:
    """Solve the day warm-started from the horizon's routes (accounts and windows used)."""
    accounts = [a for route, _ in routes for a in route]
    local = {a: i for i, a in enumerate(accounts)}
    windows = {local[a]: max(w, 0) for route, ws in routes for a, w in zip(route, ws, strict=True)}
    result = solve_day(
        day_problem(problem, day, accounts),
        stop,
        seed=seed,
        initial_routes=[[local[a] for a in route] for route, _ in routes],
        initial_windows=windows,
    )
    return result, accounts


def _unplanned(
    problem: PlanProblem,
    roles: Roles,
    model: HorizonModel,
    routed: list[tuple[int, list[int], list[int]]],
    chosen: NDArray[np.int64],
) -> list[DroppedVisit]:
    """Visits the horizon plan could not hold: no allowed day, no usable window, no room."""
    priority = problem.priorities()
    seen = {(a, d) for d, accounts, _ in routed for a in accounts}
    seen |= {(a, -1) for a, _ in seen if roles.free[a]}
    expected = {(a, -1) for a in np.flatnonzero(roles.free).tolist()}
    for a in np.flatnonzero(chosen >= 0).tolist():
        expected |= {(a, d) for d in np.flatnonzero(problem.patterns[a][chosen[a]]).tolist()}
    expected |= {(x.account, x.day) for x in problem.appointments}
    unreachable = set(model.unreachable)
    dropped = [
        DroppedVisit(a, -1, DropReason.NO_ALLOWED_DAY, int(priority[a]))
        for a, rows in enumerate(problem.patterns)
        if len(rows) == 0
    ]
    for a, d in sorted(expected - seen):
        reason = DropReason.NO_FEASIBLE_WINDOW if (a, d) in unreachable else DropReason.DID_NOT_FIT
        dropped.append(DroppedVisit(a, d, reason, int(priority[a])))
    return dropped


def _patterns_used(
    problem: PlanProblem,
    roles: Roles,
    chosen: NDArray[np.int64],
    days: list[DayResult],
    accounts_of: list[NDArray[np.int64]],
) -> NDArray[np.int64]:
    """The chosen pattern row per account; for free accounts the row of the day they got."""
    pattern = chosen.copy()
    for day, result in enumerate(days):
        for visit in result.planned():
            account = int(accounts_of[day][visit])
            if roles.free[account]:
                rows = np.flatnonzero(problem.patterns[account][:, day])
                pattern[account] = int(rows[0]) if rows.size else -1
    return pattern
