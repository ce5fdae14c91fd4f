"""The periodic planner: patterns for every account, then the routes of every day.

1. Accounts with one visit and a choice of days go into the horizon model as alternatives,
   so PyVRP picks their day while it routes; accounts with a single pattern are fixed.
2. Accounts with several multi-visit patterns ("movable") get theirs from the pattern search
   (`_search`): rounds of whole-horizon PyVRP routing and pattern moves on its routes.
3. Each day is finally routed on its own (`solve_day`, warm-started from the horizon plan) with
   the exact lunch break, which yields arrival times and any visit the day cannot hold.
"""

from __future__ import annotations

import numpy as np

from rumbo.engine.routing._search import PatternSearch, Roles
from rumbo.engine.routing.plan import PlanProblem, PlanResult
from rumbo.engine.routing.plan_days import assemble
from rumbo.engine.stop import StoppingCriterion


def plan_visits(
    problem: PlanProblem, stop: StoppingCriterion, seed: int = 0, polish_iterations: int = 500
) -> PlanResult:
    """Plan the horizon until `stop`, then route each day on its own.

    Without a lunch break the days keep the horizon's routes exactly; with one, each day gets
    a short search of its own (until `polish_iterations` pass without improvement) to fit the
    lunch, which runs after `stop` and so adds a little to the time it allows.
    """
    roles = assign_roles(problem)
    best = PatternSearch(problem, roles, stop, seed).run()
    return assemble(problem, roles, best.model, best.solution, best.chosen, polish_iterations, seed)


def assign_roles(problem: PlanProblem) -> Roles:
    """Fixed, free (one visit, any of several days) and movable accounts.

    A free account with an appointment on one of its days is pinned to that day.
    """
    chosen = np.full(problem.size, -1, dtype=np.int64)
    free = np.zeros(problem.size, dtype=bool)
    booked: dict[int, set[int]] = {}
    for appointment in problem.appointments:
        booked.setdefault(appointment.account, set()).add(appointment.day)
    movable = []
    for a, rows in enumerate(problem.patterns):
        if len(rows) == 1:
            chosen[a] = 0
        elif len(rows) > 1 and (rows.sum(axis=1) == 1).all():
            pinned = [
                r for r in range(len(rows)) if set(np.flatnonzero(rows[r])) & booked.get(a, set())
            ]
            chosen[a] = pinned[0] if pinned else -1
            free[a] = not pinned
        elif len(rows) > 1:
            movable.append(a)
    return Roles(chosen=chosen, free=free, movable=np.asarray(movable, dtype=np.int64))
