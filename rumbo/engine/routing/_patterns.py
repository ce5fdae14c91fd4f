"""Pattern search: which of its allowed day sets each multi-visit account gets.

Works on the current routes of every day. Moving an account from pattern P to Q takes its
visits out of the days only in P and inserts them at the cheapest place on the days only in Q.
Load and day length are soft here (excess costs `Weights`): PyVRP repairs a small excess by
moving single-visit accounts between days, which a hard check could not foresee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.routing.day import Objective
from rumbo.engine.routing.plan import PlanProblem

IMPROVEMENT = 1e-7


@dataclass(frozen=True)
class Weights:
    """Objective cost of one unit of excess load and of one minute beyond the day's length."""

    load: float
    minute: float

    @classmethod
    def of(cls, problem: PlanProblem, cost: NDArray[np.float64]) -> Weights:
        """About two typical hops per unit of excess, so moves stay near feasibility."""
        nodes = problem.location
        sub = cost[np.ix_(nodes, nodes)] + np.diag(np.full(len(nodes), np.inf))
        hop = float(np.median(sub.min(axis=1))) if len(nodes) > 1 else 1.0
        hop = max(hop, 1e-6)
        time = problem.travel.duration_min[np.ix_(nodes, nodes)] + np.diag(
            np.full(len(nodes), np.inf)
        )
        minutes = float(np.median(time.min(axis=1))) if len(nodes) > 1 else 1.0
        demand = float(problem.demands().mean()) if problem.size else 1.0
        return cls(load=2 * hop / max(demand, 1.0), minute=2 * hop / max(minutes, 1e-6))


@dataclass
class Insertion:
    cost: float
    route: int
    position: int


class RouteState:
    """Routes of every day as account lists, with loads and estimated durations (no waiting)."""

    def __init__(
        self, problem: PlanProblem, routes: list[tuple[int, list[int]]], nominal: float | None
    ) -> None:
        self.problem = problem
        self.nominal = math.inf if nominal is None else nominal
        travel = problem.travel
        self.cost = (
            travel.distance_km if problem.objective is Objective.DISTANCE else travel.duration_min
        )
        self.time = travel.duration_min
        self.node = problem.location
        self.weights = Weights.of(problem, self.cost)
        self.days: list[list[list[int]]] = [[] for _ in range(problem.days)]
        for day, accounts in routes:
            self.days[day].append(list(accounts))
        lunch = 0.0 if problem.lunch is None else problem.lunch.duration_min
        self.limit = np.array(
            [(s.end_min - s.start_min if s.max_duration_min is None else s.max_duration_min) - lunch
             for s in problem.shifts]
        )  # fmt: skip
        self.capacity = np.inf if problem.capacity is None else float(problem.capacity)
        self._edges: dict[int, tuple[NDArray, ...]] = {}

    def routes(self) -> list[tuple[int, list[int]]]:
        return [(d, list(r)) for d, day in enumerate(self.days) for r in day if r]

    def _path(self, route: list[int]) -> NDArray[np.int64]:
        problem = self.problem
        return np.asarray([problem.start, *self.node[route].tolist(), problem.end], dtype=np.int64)

    def _excess(self, load: NDArray | float, duration: NDArray | float, day: int) -> NDArray:
        """Cost of a route's excess load and length, and of its time beyond the average day
        (the balance term, as PyVRP counts it in overtime)."""
        over_load = np.maximum(np.asarray(load) - self.capacity, 0.0)
        over_time = np.maximum(np.asarray(duration) - self.limit[day], 0.0)
        over_average = np.maximum(np.asarray(duration) - self.nominal, 0.0)
        balance = self.problem.balance_weight * over_average
        return self.weights.load * over_load + self.weights.minute * over_time + balance

    def _day_excess(self, load: float, duration: float, day: int) -> float:
        """Cost of a day's total load and work beyond what all its reps can do together:
        ten times a route's, since moving single visits elsewhere may not absorb it."""
        reps = self.problem.reps
        over_load = max(load - reps * self.capacity, 0.0)
        over_time = max(duration - reps * self.limit[day], 0.0)
        return 10 * (self.weights.load * over_load + self.weights.minute * over_time)

    def _day_edges(self, day: int) -> tuple[NDArray, ...]:
        """Per edge: from, to, route, position; per route: load and duration (cached)."""
        if day not in self._edges:
            routes = [r for r in self.days[day] if r]
            self.days[day] = routes
            if len(routes) < self.problem.reps:
                routes = [*routes, []]
            frm, to, route_of, pos, load, duration = [], [], [], [], [], []
            demand, service = self.problem.demands(), self.problem.service_min
            for k, route in enumerate(routes):
                path = self._path(route)
                frm += path[:-1].tolist()
                to += path[1:].tolist()
                route_of += [k] * (len(path) - 1)
                pos += list(range(len(path) - 1))
                load.append(float(demand[route].sum()) if route else 0.0)
                travel = float(self.time[path[:-1], path[1:]].sum())
                duration.append(travel + (float(service[route].sum()) if route else 0.0))
            self._edges[day] = tuple(
                np.asarray(x) for x in (frm, to, route_of, pos, load, duration)
            )
        return self._edges[day]

    def insertion(self, account: int, day: int) -> Insertion:
        """Cheapest place for the account on the day, counting the excess it adds."""
        frm, to, route_of, pos, load, duration = self._day_edges(day)
        node = int(self.node[account])
        delta = self.cost[frm, node] + self.cost[node, to] - self.cost[frm, to]
        extra = self.time[frm, node] + self.time[node, to] - self.time[frm, to]
        extra = extra + self.problem.service_min[account]
        before = self._excess(load, duration, day)[route_of]
        after = self._excess(
            load[route_of] + self.problem.demands()[account], duration[route_of] + extra, day
        )
        total = delta + after - before
        total_load, total_time = float(load.sum()), float(duration.sum())
        grown = self._day_excess(
            total_load + self.problem.demands()[account], total_time + float(extra.min()), day
        )
        total = total + grown - self._day_excess(total_load, total_time, day)
        best = int(np.argmin(total))
        return Insertion(float(total[best]), int(route_of[best]), int(pos[best]))

    def removal(self, account: int, day: int) -> float:
        """Saving from taking the account out of the day, excess included (0 if absent)."""
        _, _, _, _, load, duration = self._day_edges(day)
        for k, route in enumerate(self.days[day]):
            if account in route:
                path = self._path(route)
                i = route.index(account) + 1
                a, b, c = path[i - 1], path[i], path[i + 1]
                saving = float(self.cost[a, b] + self.cost[b, c] - self.cost[a, c])
                less = float(self.time[a, b] + self.time[b, c] - self.time[a, c])
                less += float(self.problem.service_min[account])
                now = self._excess(load[k], duration[k], day)
                then = self._excess(
                    load[k] - self.problem.demands()[account], duration[k] - less, day
                )
                total_load, total_time = float(load.sum()), float(duration.sum())
                shrunk = self._day_excess(
                    total_load - self.problem.demands()[account], total_time - less, day
                )
                return (
                    saving
                    + float(now - then)
                    + self._day_excess(total_load, total_time, day)
                    - shrunk
                )
        return 0.0

    def remove(self, account: int, day: int) -> None:
        for route in self.days[day]:
            route[:] = [a for a in route if a != account]
        self._edges.pop(day, None)

    def present(self, account: int) -> NDArray[np.bool_]:
        """Days the account is on; a second visit on one day (from a relaxation) is dropped."""
        found = np.zeros(self.problem.days, dtype=bool)
        for day, routes in enumerate(self.days):
            for route in routes:
                while account in route and (found[day] or route.count(account) > 1):
                    route.reverse()
                    route.remove(account)
                    route.reverse()
                    self._edges.pop(day, None)
                found[day] |= account in route
        return found

    def insert(self, account: int, day: int, at: Insertion) -> None:
        self._day_edges(day)
        routes = self.days[day]
        if at.route == len(routes):
            routes.append([])
        routes[at.route].insert(at.position, account)
        self._edges.pop(day, None)


def move_delta(
    state: RouteState, account: int, rows: tuple[int, int]
) -> tuple[float, dict[int, Insertion]]:
    """Cost change of moving an account from pattern rows[0] to rows[1], and where it goes."""
    problem = state.problem
    old, new = (problem.patterns[account][r] for r in rows)
    penalty = problem.penalties(account)
    delta = float(penalty[rows[1]] - penalty[rows[0]])
    inserts = {day: state.insertion(account, day) for day in np.flatnonzero(new & ~old).tolist()}
    delta += sum(i.cost for i in inserts.values())
    delta -= sum(state.removal(account, day) for day in np.flatnonzero(old & ~new).tolist())
    return delta, inserts


def apply_move(
    state: RouteState, account: int, rows: tuple[int, int], inserts: dict[int, Insertion]
) -> None:
    old, new = (state.problem.patterns[account][r] for r in rows)
    for day in np.flatnonzero(old & ~new).tolist():
        state.remove(account, day)
    for day, at in inserts.items():
        state.insert(account, day, at)


def improve_patterns(
    state: RouteState,
    chosen: NDArray[np.int64],
    movable: NDArray[np.int64],
    seed: int,
    frozen: frozenset[int] = frozenset(),
) -> int:
    """Best-improvement pattern moves, account by account (`frozen` ones stay), until none
    improves; returns the number of moves made."""
    rng = np.random.default_rng(seed)
    movable = np.asarray([a for a in movable.tolist() if a not in frozen], dtype=np.int64)
    moves, improved = 0, True
    while improved and moves < 50 * max(1, movable.size):
        improved = False
        for account in rng.permutation(movable).tolist():
            best_delta, best = -IMPROVEMENT, None
            for row in range(len(state.problem.patterns[account])):
                if row != chosen[account]:
                    delta, inserts = move_delta(state, account, (int(chosen[account]), row))
                    if delta < best_delta:
                        best_delta, best = delta, (row, inserts)
            if best is not None:
                apply_move(state, account, (int(chosen[account]), best[0]), best[1])
                chosen[account] = best[0]
                moves += 1
                improved = True
    return moves


def kick(
    state: RouteState, chosen: NDArray[np.int64], movable: NDArray[np.int64], count: int, seed: int
) -> frozenset[int]:
    """Move `count` accounts near a random one to a random other pattern each: a jump out of
    a local optimum that the next PyVRP round judges. Returns the accounts kicked."""
    rng = np.random.default_rng(seed)
    centre = int(state.node[int(rng.choice(movable))])
    near = np.argsort(state.cost[centre, state.node[movable]] + rng.random(movable.size) * 1e-9)
    kicked = movable[near[:count]].tolist()
    for account in kicked:
        rows = [r for r in range(len(state.problem.patterns[account])) if r != chosen[account]]
        if rows:
            row = int(rng.choice(rows))
            _, inserts = move_delta(state, account, (int(chosen[account]), row))
            apply_move(state, account, (int(chosen[account]), row), inserts)
            chosen[account] = row
    return frozenset(kicked)


def project(state: RouteState, chosen: NDArray[np.int64], accounts: list[int], seed: int) -> None:
    """Give each relaxed account the pattern keeping most of its visits where the relaxation
    put them (ties: the cheapest change), then move the other visits accordingly."""
    rng = np.random.default_rng(seed)
    for account in rng.permutation(accounts).tolist():
        present = state.present(account)
        rows = state.problem.patterns[account]
        overlap = (rows & present).sum(axis=1)
        penalty = state.problem.penalties(account)
        best: tuple[float, int, dict[int, Insertion]] | None = None
        for row in np.flatnonzero(overlap == overlap.max()).tolist():
            adds = np.flatnonzero(rows[row] & ~present).tolist()
            inserts = {d: state.insertion(account, d) for d in adds}
            cost = sum(i.cost for i in inserts.values()) + float(penalty[row])
            drops = np.flatnonzero(present & ~rows[row]).tolist()
            cost -= sum(state.removal(account, d) for d in drops)
            if best is None or cost < best[0]:
                best = (cost, row, inserts)
        assert best is not None
        _, row, inserts = best
        for day in np.flatnonzero(present & ~rows[row]).tolist():
            state.remove(account, day)
        for day, at in inserts.items():
            state.insert(account, day, at)
        chosen[account] = row
