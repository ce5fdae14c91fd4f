"""The search over patterns: rounds of horizon routing (PyVRP) and pattern moves.

Round 0 routes a relaxation in which the visits of movable accounts choose their days
independently; each account then takes the pattern closest to its days there. Each later round
routes the horizon for the current patterns until PyVRP stalls; after an improving round the
pattern moves of `_patterns` run on its routes, otherwise a kick changes a few accounts (at
random, or by relaxing a region). A plan within `ACCEPT` of the best may become the next start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import count
from typing import cast

import numpy as np
from numpy.typing import NDArray
from pyvrp import CostEvaluator, Solution
from pyvrp import solve as pyvrp_solve

from rumbo.engine.routing._day_model import TIME_SCALE
from rumbo.engine.routing._horizon_model import HorizonModel, build_horizon_model
from rumbo.engine.routing._patterns import RouteState, improve_patterns, kick, project
from rumbo.engine.routing.plan import PlanProblem
from rumbo.engine.stop import FirstOf, StoppingCriterion

Routes = list[tuple[int, list[int]]]  # (day, accounts in visiting order) per route

INFEASIBLE = float(np.iinfo(np.int64).max) / 2  # PyVRP's cost of an infeasible solution
ACCEPT = 0.01  # a plan within 1 % of the best may become the next round's start
PATIENCE = 100  # PyVRP iterations without improvement that end a round ...
PER_CLIENT = 0.5  # ... plus this many per client (measured best of 100–1000 and 0.5–2)
RELAX_SHARE = 0.5  # share of kicks that relax a region instead of moving accounts at random


class Stalled:
    """Stop a round after `patience` iterations without a better feasible plan; a round that
    has no feasible plan yet goes on (up to 50 times as long) since its patterns may be fine."""

    def __init__(self, patience: int) -> None:
        self.patience = patience
        self._best = math.inf
        self._since = 0
        self._count = 0

    def __call__(self, best_cost: float) -> bool:
        self._count += 1
        if best_cost >= INFEASIBLE:
            return self._count > 50 * self.patience
        if best_cost < self._best:
            self._best, self._since = best_cost, 0
        else:
            self._since += 1
        return self._since >= self.patience


@dataclass(frozen=True)
class Roles:
    """How each account is planned: fixed pattern row, free day choice, or pattern search."""

    chosen: NDArray[np.int64]  # pattern row, -1 for free accounts and those with none
    free: NDArray[np.bool_]
    movable: NDArray[np.int64]

    @property
    def relaxable(self) -> NDArray[np.bool_]:
        mask = np.zeros(len(self.free), dtype=bool)
        mask[self.movable] = True
        return mask


@dataclass(frozen=True)
class Best:
    """The best horizon plan so far: its cost, patterns, model and PyVRP solution."""

    cost: float
    chosen: NDArray[np.int64]
    model: HorizonModel
    solution: Solution


class PatternSearch:
    """Runs the rounds until `stop`; `run()` returns the best plan found."""

    def __init__(
        self, problem: PlanProblem, roles: Roles, stop: StoppingCriterion, seed: int
    ) -> None:
        self.problem, self.roles, self.stop, self.seed = problem, roles, stop, seed
        self.rounds = roles.movable.size > 0 or problem.balance_weight > 0
        self.calibrate = problem.balance_weight > 0
        self.nominal: float | None = None
        self.best: Best | None = None
        self.current: Best | None = None

    def run(self) -> Best:
        chosen, routes = self.roles.chosen.copy(), cast(Routes | None, None)
        relaxed = self.roles.relaxable if self.roles.movable.size else None
        for round_ in count():
            model, found = self._route(chosen, routes, relaxed, round_)
            routes = [(day, accounts) for day, accounts, _ in model.routes(found)]
            if relaxed is not None:  # read the relaxed accounts' patterns off the plan
                state = RouteState(self.problem, routes, self.nominal)
                project(state, chosen, np.flatnonzero(relaxed).tolist(), self.seed + round_)
                routes, relaxed = state.routes(), None
                continue
            improved = self._record(model, found, chosen)
            if self.calibrate:  # the balance aims at the average day of this first plan
                self.nominal, self.calibrate = mean_route_minutes(found), False
                self.best = self.current = None
                self.rounds = self.roles.movable.size > 0
                continue
            assert self.best is not None and self.current is not None
            if not self.rounds or self.stop(self.best.cost):
                break
            chosen, routes, relaxed = next_patterns(
                self.problem, self.roles, self.current, improved, self.seed + round_, self.nominal
            )
        assert self.best is not None
        return self.best

    def _route(
        self,
        chosen: NDArray[np.int64],
        routes: Routes | None,
        relaxed: NDArray[np.bool_] | None,
        round_: int,
    ) -> tuple[HorizonModel, Solution]:
        """One PyVRP run over the horizon, warm-started from `routes`."""
        model = build_horizon_model(self.problem, chosen, self.roles.free, self.nominal, relaxed)
        initial = model.solution(routes) if routes else None
        patience = PATIENCE + int(PER_CLIENT * model.data.num_clients)
        criterion = FirstOf(self.stop, Stalled(patience)) if self.rounds else self.stop
        result = pyvrp_solve(
            model.data,
            criterion,
            seed=self.seed + round_,
            collect_stats=False,
            initial_solution=initial,
        )
        return model, result.best

    def _record(self, model: HorizonModel, found: Solution, chosen: NDArray[np.int64]) -> bool:
        """Keep the plan as best and/or current; whether it is a new best."""
        cost = plan_cost(self.problem, model, found, chosen)
        plan = Best(cost, chosen.copy(), model, found)
        improved = self.best is None or cost < self.best.cost
        if improved:
            self.best = plan
        assert self.best is not None
        if self.current is None or cost <= self.best.cost * (1 + ACCEPT):
            self.current = plan
        return improved


def next_patterns(
    problem: PlanProblem,
    roles: Roles,
    start: Best,
    improved: bool,
    seed: int,
    nominal: float | None = None,
) -> tuple[NDArray[np.int64], list[tuple[int, list[int]]], NDArray[np.bool_] | None]:
    """The next round's patterns, routes and relaxed accounts.

    After an improving round: pattern moves on its routes. Otherwise, or when no move helps,
    a kick: either a few neighbouring accounts change pattern at random, or a region of
    accounts is relaxed so that PyVRP proposes their days together.
    """
    routes = [(day, accounts) for day, accounts, _ in start.model.routes(start.solution)]
    state = RouteState(problem, routes, nominal)
    chosen = start.chosen.copy()
    if roles.movable.size == 0:  # nothing to move: the next round just routes on
        return chosen, routes, None
    if improved and improve_patterns(state, chosen, roles.movable, seed) > 0:
        return chosen, state.routes(), None
    rng = np.random.default_rng(seed)
    if rng.random() < RELAX_SHARE:
        count = int(rng.integers(2, max(3, roles.movable.size // 4) + 1))
        relaxed = np.zeros(problem.size, dtype=bool)
        relaxed[neighbours(state, roles.movable, count, rng)] = True
        return chosen, routes, relaxed
    count = int(rng.integers(1, max(2, roles.movable.size // 8) + 1))
    kicked = kick(state, chosen, roles.movable, count, seed)
    improve_patterns(state, chosen, roles.movable, seed + 1, frozen=kicked)
    return chosen, state.routes(), None


def neighbours(
    state: RouteState, movable: NDArray[np.int64], count: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """`count` movable accounts nearest to a random one of them."""
    centre = int(state.node[int(rng.choice(movable))])
    order = np.argsort(state.cost[centre, state.node[movable]] + rng.random(movable.size) * 1e-9)
    return movable[order[:count]]


def plan_cost(
    problem: PlanProblem, model: HorizonModel, solution: Solution, chosen: NDArray[np.int64]
) -> float:
    """PyVRP's objective (travel, unvisited prizes, overtime) plus pattern penalties."""
    if not solution.is_feasible():
        return math.inf
    penalty = sum(
        float(problem.penalties(a)[chosen[a]]) for a in np.flatnonzero(chosen >= 0).tolist()
    )
    evaluator = CostEvaluator([0.0] * model.data.num_load_dimensions, 0.0, 0.0)
    return evaluator.cost(solution) / model.scale + penalty


def mean_route_minutes(solution: Solution) -> float:
    """Average working minutes of a used route: the day length the balance aims at."""
    durations = [route.duration() for route in solution.routes()]
    return float(np.mean(durations)) / TIME_SCALE if durations else 0.0
