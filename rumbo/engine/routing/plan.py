"""The multi-day visit plan: which accounts to visit on which days, and the routes of each day.

Each account comes with the day sets (patterns) it may be visited on, e.g. "every Tuesday" or
"days 2 and 4"; the planner picks one pattern per account and routes every day. Day `d` of the
horizon has its own working day (`shifts[d]`) and weekday (for opening hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.routing.day import DayResult, DropReason, LunchBreak, Objective, Shift, Stop
from rumbo.engine.routing.travel import TravelMatrix


@dataclass(frozen=True)
class Appointment:
    """A fixed visit: `account` is seen on `day` starting at `start_min`; it comes first."""

    account: int
    day: int
    start_min: float


@dataclass(frozen=True)
class PlanProblem:
    """Accounts, their allowed patterns, and the working days of the horizon.

    `patterns[a]` is a boolean (p, days) array, one row per allowed day set (no rows: no day
    allowed); `pattern_penalty[a]` a soft cost per row (e.g. not the preferred weekday), in
    objective units. `opening[a]` holds rows (weekday, open_min, close_min); an account with
    rows but none for a weekday is closed that weekday; `None` means open whenever the rep works.
    `balance_weight` is the objective cost of a minute a day lasts beyond the average day.
    """

    travel: TravelMatrix
    location: NDArray[np.int64]
    service_min: NDArray[np.float64]
    patterns: tuple[NDArray[np.bool_], ...]
    shifts: tuple[Shift, ...]
    start: int = 0
    end: int = 0
    pattern_penalty: tuple[NDArray[np.float64], ...] | None = None
    weekday: NDArray[np.int64] | None = None
    opening: tuple[NDArray[np.float64] | None, ...] | None = None
    priority: NDArray[np.int64] | None = None
    required: NDArray[np.bool_] | None = None
    demand: NDArray[np.int64] | None = None
    capacity: int | None = None
    reps: int = 1
    lunch: LunchBreak | None = None
    appointments: tuple[Appointment, ...] = ()
    objective: Objective = Objective.TRAVEL_TIME
    balance_weight: float = 0.0

    def __post_init__(self) -> None:
        n, days = len(self.location), len(self.shifts)
        if len(self.patterns) != n or self.service_min.shape != (n,):
            raise ValueError("give patterns and a service time for every account")
        for rows in self.patterns:
            if rows.ndim != 2 or rows.shape[1] != days:
                raise ValueError("every pattern array must be (patterns, days)")
        if self.pattern_penalty is not None:
            shapes = [p.shape[0] for p in self.patterns]
            if [len(p) for p in self.pattern_penalty] != shapes:
                raise ValueError("give one penalty per pattern")
        if self.opening is not None and (self.weekday is None or len(self.opening) != n):
            raise ValueError("opening hours need one entry per account and the weekday of each day")
        if self.weekday is not None and self.weekday.shape != (days,):
            raise ValueError("give the weekday of every day")
        for name in ("priority", "required", "demand"):
            values = getattr(self, name)
            if values is not None and values.shape != (n,):
                raise ValueError(f"{name} must have one entry per account")
        for appointment in self.appointments:
            if not (0 <= appointment.account < n and 0 <= appointment.day < days):
                raise ValueError("an appointment refers to an unknown account or day")
        if self.reps < 1 or (self.lunch is not None and self.reps != 1):
            raise ValueError("reps must be >= 1, and a lunch break needs a single rep")

    @property
    def size(self) -> int:
        return len(self.location)

    @property
    def days(self) -> int:
        return len(self.shifts)

    def priorities(self) -> NDArray[np.int64]:
        return np.zeros(self.size, np.int64) if self.priority is None else self.priority

    def required_mask(self) -> NDArray[np.bool_]:
        return np.zeros(self.size, bool) if self.required is None else self.required

    def demands(self) -> NDArray[np.int64]:
        return np.zeros(self.size, np.int64) if self.demand is None else self.demand

    def penalties(self, account: int) -> NDArray[np.float64]:
        if self.pattern_penalty is None:
            return np.zeros(len(self.patterns[account]))
        return np.asarray(self.pattern_penalty[account], dtype=float)

    def windows(self, account: int, day: int) -> NDArray[np.float64]:
        """Opening windows (k, 2) of an account on a day of the horizon (k = 0: closed)."""
        shift = self.shifts[day]
        rows = None if self.opening is None else self.opening[account]
        if rows is None or self.weekday is None:
            return np.array([[shift.start_min, shift.end_min]])
        rows = np.asarray(rows, dtype=float).reshape(-1, 3)
        return rows[rows[:, 0] == self.weekday[day], 1:]


@dataclass(frozen=True)
class DroppedVisit:
    """A visit the plan leaves out: of `account` on `day` (-1 when no day was given), and why."""

    account: int
    day: int
    reason: DropReason
    priority: int


@dataclass(frozen=True)
class PlanResult:
    """The chosen pattern per account (-1: none), each day's routes, and the dropped visits.

    `days[d]` is the route result of day d; its visit indices refer to `day_accounts[d]`.
    """

    pattern: NDArray[np.int64]
    days: tuple[DayResult, ...]
    day_accounts: tuple[NDArray[np.int64], ...]
    dropped: tuple[DroppedVisit, ...]

    @property
    def distance_km(self) -> float:
        return sum(day.distance_km for day in self.days)

    @property
    def travel_min(self) -> float:
        return sum(day.travel_min for day in self.days)

    def visits(self) -> list[tuple[int, int, Stop]]:
        """(day, account, stop) for every planned visit, day by day in route order."""
        return [
            (d, int(self.day_accounts[d][stop.visit]), stop)
            for d, day in enumerate(self.days)
            for route in day.routes
            for stop in route.stops
        ]
