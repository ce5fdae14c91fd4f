"""The whole horizon as ONE PyVRP instance: day `d` is a time band, its reps one vehicle type.

Day d's clock runs from `d × band` (band ≥ a day), so a rep of day d can only serve copies
whose windows lie in that band. An account visited on a pattern's days gets one required copy
per day; an account with a single visit and a choice of days gets one copy per allowed day in a
mutually exclusive group (consecutive full days merge into one wide window), so PyVRP itself
picks its day while routing. Preferences lower a copy's prize; lunch shortens each day by its
length (the exact lunch comes with each day's own route).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from pyvrp import Client, ClientGroup, Depot, Location, ProblemData, Route, Solution, VehicleType

from rumbo.engine.routing._day_model import (
    PRIZE_CAP,
    TIME_SCALE,
    distance_scale,
    tier_prizes,
    to_time,
)
from rumbo.engine.routing._day_model import usable_windows as _usable
from rumbo.engine.routing.day import Objective
from rumbo.engine.routing.plan import PlanProblem


@dataclass
class _Copies:
    """Clients under construction, with the account/day/window each stands for."""

    clients: list[Client] = field(default_factory=list)
    groups: list[ClientGroup] = field(default_factory=list)
    account: list[int] = field(default_factory=list)
    day: list[int] = field(default_factory=list)  # -1: a merged run, the route's day decides
    window: list[int] = field(default_factory=list)
    slot: dict[tuple[int, int], int] = field(default_factory=dict)  # (account, day) → client
    nth: dict[tuple[int, int, int], int] = field(default_factory=dict)  # relaxed: + visit no.

    def add(self, client: Client, account: int, day: int, window: int, days: range) -> None:
        index = len(self.clients)
        if client.group is not None:
            self.groups[client.group].add_client(index)
        self.clients.append(client)
        self.account.append(account)
        self.day.append(day)
        self.window.append(window)
        for covered in days:
            self.slot.setdefault((account, covered), index)


@dataclass(frozen=True)
class HorizonModel:
    """PyVRP data of the horizon and the meaning of each client."""

    data: ProblemData
    scale: float  # integer cost units per objective unit (km or minute)
    band: int  # time units per day band
    account: NDArray[np.int64]
    day: NDArray[np.int64]
    window: NDArray[np.int64]
    slot: dict[tuple[int, int], int]
    nth: dict[tuple[int, int, int], int]
    unreachable: tuple[tuple[int, int], ...]  # (account, day) visits no window can hold

    def routes(self, solution: Solution) -> list[tuple[int, list[int], list[int]]]:
        """(day, accounts, windows) per non-empty route of a solution."""
        found = []
        for route in solution.routes():
            clients = [activity.idx for activity in route.schedule()[1:-1]]
            accounts = [int(self.account[c]) for c in clients]
            found.append((route.vehicle_type(), accounts, [int(self.window[c]) for c in clients]))
        return found

    def solution(self, routes: list[tuple[int, list[int]]]) -> Solution:
        """Warm start from (day, accounts) routes; visits without a client here are skipped."""
        days_of: dict[int, list[int]] = {}
        for day, accounts in routes:
            for a in accounts:
                days_of.setdefault(a, []).append(day)
        built, used = [], set()
        for day, accounts in routes:
            visits = []
            for a in accounts:
                nth = sorted(days_of[a]).index(day)
                client = self.nth.get((a, day, nth), self.slot.get((a, day)))
                if client is not None and client not in used:
                    used.add(client)
                    visits.append(client)
            if visits:
                built.append(Route(self.data, visits, day))
        return Solution(self.data, built)


def build_horizon_model(
    problem: PlanProblem,
    chosen: NDArray[np.int64],
    free: NDArray[np.bool_],
    nominal_min: float | None = None,
    relaxed: NDArray[np.bool_] | None = None,
) -> HorizonModel:
    """The instance for patterns `chosen` (accounts with `free` True choose their own day).

    `relaxed` accounts drop the link between their visits: the i-th visit may fall on the
    i-th day of any of their patterns, chosen by PyVRP (a relaxation to read patterns from).
    """
    relaxed = np.zeros(problem.size, dtype=bool) if relaxed is None else relaxed
    order = _order(problem)
    cost, scale = _cost(problem, order)
    band_min = max(shift.end_min for shift in problem.shifts) + 1.0
    band = int(to_time(band_min))
    prize = _prizes(problem, chosen, free | relaxed, int(cost.max(initial=0)))
    copies, unreachable = _Copies(), []
    for a in np.flatnonzero((chosen >= 0) | free | relaxed).tolist():
        if relaxed[a]:
            _slot_copies(problem, a, band_min, int(prize[a]), copies)
        elif free[a]:
            unreachable += _free_copies(problem, a, band_min, prize[a], scale, copies)
        else:
            unreachable += _pattern_copies(problem, a, chosen[a], band_min, prize[a], copies)
    above_all = min(sum(prize.tolist()) + 2 * int(cost.max(initial=0)) + 1, PRIZE_CAP)
    unreachable += _appointments(problem, band_min, above_all, copies)
    depots = [Depot(location=0)] + ([Depot(location=1)] if problem.end != problem.start else [])
    data = ProblemData(
        locations=[Location(0.0, 0.0) for _ in range(cost.shape[0])],
        clients=copies.clients,
        depots=depots,
        vehicle_types=_vehicle_types(problem, len(depots) - 1, band_min, scale, nominal_min),
        distance_matrices=[cast(Any, cost)],
        duration_matrices=[cast(Any, to_time(problem.travel.duration_min[np.ix_(order, order)]))],
        groups=copies.groups,
    )
    return HorizonModel(
        data=data,
        scale=scale,
        band=band,
        account=np.asarray(copies.account, dtype=np.int64),
        day=np.asarray(copies.day, dtype=np.int64),
        window=np.asarray(copies.window, dtype=np.int64),
        slot=copies.slot,
        nth=copies.nth,
        unreachable=tuple(unreachable),
    )


def _order(problem: PlanProblem) -> NDArray[np.int64]:
    """The model's locations: start, [end], then each account's location (in travel indices)."""
    head = [problem.start] + ([problem.end] if problem.end != problem.start else [])
    return np.asarray(head + problem.location.tolist(), dtype=np.int64)


def _location(problem: PlanProblem, account: int) -> int:
    return account + (2 if problem.end != problem.start else 1)


def _cost(problem: PlanProblem, order: NDArray[np.int64]) -> tuple[NDArray[np.int64], float]:
    """Objective matrix over the model's locations, as integers, and its scale per unit."""
    rows, cols = np.ix_(order, order)
    if problem.objective is Objective.DISTANCE:
        distance = problem.travel.distance_km[rows, cols]
        scale = distance_scale(distance)
        cost = np.rint(distance * scale).astype(np.int64)
    else:
        scale = TIME_SCALE
        cost = to_time(problem.travel.duration_min[rows, cols])
    return cost, scale


def _prizes(
    problem: PlanProblem, chosen: NDArray[np.int64], free: NDArray[np.bool_], max_cost: int
) -> NDArray[np.int64]:
    """Tiered prizes of optional accounts (0 for required ones); appointments are a tier above."""
    prize = np.zeros(problem.size, dtype=np.int64)
    optional = ((chosen >= 0) | free) & ~problem.required_mask()
    if optional.any():
        prize[optional] = tier_prizes(problem.priorities()[optional], 2 * max_cost + 1)
    return prize


def _reach(problem: PlanProblem, account: int, day: int) -> list[tuple[int, float, float]]:
    """Usable windows of an account on a day, before lunch is taken out of the day."""
    route = (problem.start, problem.end, problem.shifts[day])
    return _usable(
        problem.travel.duration_min,
        route,
        int(problem.location[account]),
        float(problem.service_min[account]),
        problem.windows(account, day),
    )


def _client(
    problem: PlanProblem,
    account: int,
    times: tuple[float, float],
    prize: int,
    required: bool,
    group: int | None,
) -> Client:
    dims = 0 if problem.capacity is None else 1
    return Client(
        location=_location(problem, account),
        delivery=[int(problem.demands()[account])] * dims,
        service_duration=int(to_time(problem.service_min[account])),
        tw_early=int(to_time(times[0])),
        tw_late=int(to_time(times[1], up=False)),
        prize=max(0, prize),
        required=required,
        group=group,
    )


def _pattern_copies(
    problem: PlanProblem, account: int, row: int, band: float, prize: int, copies: _Copies
) -> list[tuple[int, int]]:
    """Required (or prized) copies on each day of the chosen pattern; returns unreachable days."""
    required = bool(problem.required_mask()[account])
    missing = []
    booked = {a.day for a in problem.appointments if a.account == account}
    for day in np.flatnonzero(problem.patterns[account][row]).tolist():
        if day in booked:
            continue  # the appointment is this day's visit
        options = _reach(problem, account, day)
        if not options:
            missing.append((account, day))
            continue
        group = None
        if len(options) > 1:
            group = len(copies.groups)
            copies.groups.append(ClientGroup(required=required))
        for k, early, late in options:
            single = group is None
            times = (day * band + early, day * band + late)
            client = _client(problem, account, times, prize, required and single, group)
            copies.add(client, account, day, k, range(day, day + 1))
    return missing


def _free_copies(
    problem: PlanProblem, account: int, band: float, prize: int, scale: float, copies: _Copies
) -> list[tuple[int, int]]:
    """One copy per allowed day (and window) in one group; full consecutive days merge.

    Returns [(account, -1)] when no allowed day has a usable window.
    """
    rows, penalty = problem.patterns[account], problem.penalties(account)
    day_penalty: dict[int, float] = {}
    for r in range(len(rows)):
        for day in np.flatnonzero(rows[r]).tolist():
            day_penalty[day] = min(day_penalty.get(day, math.inf), float(penalty[r]))
    spans = _spans(problem, account, day_penalty)
    if not spans:
        return [(account, -1)]
    worst = max(p for *_, p in spans)
    required = bool(problem.required_mask()[account])
    group = None
    if len(spans) > 1:
        group = len(copies.groups)
        copies.groups.append(ClientGroup(required=required))
    for first, last, k, early, late, pen in spans:
        bonus = round((worst - pen) * scale)
        times = (first * band + early, last * band + late)
        client = _client(problem, account, times, prize + bonus, required and group is None, group)
        copies.add(client, account, first if first == last else -1, k, range(first, last + 1))
    return []


def _slot_copies(
    problem: PlanProblem, account: int, band: float, prize: int, copies: _Copies
) -> None:
    """For each i, one group of copies on the i-th days of the account's patterns."""
    days = [np.flatnonzero(row) for row in problem.patterns[account]]
    required = bool(problem.required_mask()[account])
    for i in range(max(len(d) for d in days)):
        allowed = sorted({int(d[i]) for d in days if len(d) > i})
        options = [(day, *w) for day in allowed for w in _reach(problem, account, day)]
        group = None
        if len(options) > 1:
            group = len(copies.groups)
            copies.groups.append(ClientGroup(required=required))
        for day, k, early, late in options:
            times = (day * band + early, day * band + late)
            client = _client(problem, account, times, prize, required and group is None, group)
            copies.nth.setdefault((account, day, i), len(copies.clients))
            copies.add(client, account, day, k, range(day, day + 1))


def _spans(
    problem: PlanProblem, account: int, day_penalty: dict[int, float]
) -> list[tuple[int, int, int, float, float, float]]:
    """(first day, last day, window, open, latest start, penalty) for each copy to create."""
    open_all_day = problem.opening is None or problem.opening[account] is None
    spans: list[tuple[int, int, int, float, float, float]] = []
    for day in sorted(day_penalty):
        for k, early, late in _reach(problem, account, day):
            prev = spans[-1] if spans else None
            mergeable = (
                open_all_day
                and prev is not None
                and prev[1] == day - 1
                and prev[5] == day_penalty[day]
            )
            if mergeable and prev is not None:
                spans[-1] = (prev[0], day, k, prev[3], late, prev[5])
            else:
                spans.append((day, day, k, early, late, day_penalty[day]))
    return spans


def _appointments(
    problem: PlanProblem, band: float, prize: int, copies: _Copies
) -> list[tuple[int, int]]:
    """Appointments as single-time copies worth more than any other visit."""
    missing = []
    for appointment in problem.appointments:
        a, day, at = appointment.account, appointment.day, appointment.start_min
        route = (problem.start, problem.end, problem.shifts[day])
        booked = np.array([[at, at + float(problem.service_min[a])]])
        place, service = int(problem.location[a]), float(problem.service_min[a])
        if not _usable(problem.travel.duration_min, route, place, service, booked):
            missing.append((a, day))
            continue
        times = (day * band + at, day * band + at)
        copies.add(_client(problem, a, times, prize, False, None), a, day, -1, range(day, day + 1))
    return missing


def _vehicle_types(
    problem: PlanProblem, end_depot: int, band: float, scale: float, nominal_min: float | None
) -> list[VehicleType]:
    """One vehicle type per day, in its band; lunch comes off the day's length."""
    lunch = 0.0 if problem.lunch is None else problem.lunch.duration_min
    types = []
    for day, shift in enumerate(problem.shifts):
        length = shift.end_min - shift.start_min - lunch
        limit = length if shift.max_duration_min is None else shift.max_duration_min - lunch
        kwargs: dict[str, object] = {
            "num_available": problem.reps,
            "capacity": [] if problem.capacity is None else [int(problem.capacity)],
            "start_depot": 0,
            "end_depot": end_depot,
            "tw_early": int(to_time(day * band + shift.start_min)),
            "tw_late": int(to_time(day * band + shift.end_min - lunch, up=False)),
            "shift_duration": int(to_time(limit, up=False)),
        }
        if nominal_min is not None and problem.balance_weight > 0 and nominal_min < limit:
            kwargs["shift_duration"] = int(to_time(nominal_min, up=False))
            kwargs["max_overtime"] = int(to_time(limit - nominal_min, up=False))
            kwargs["unit_overtime_cost"] = max(
                1, round(problem.balance_weight * scale / TIME_SCALE)
            )
        types.append(VehicleType(**kwargs))  # type: ignore[arg-type]
    return types
