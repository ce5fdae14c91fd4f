"""The daily route problem of one rep (or a team) and its result, as plain frozen dataclasses.

Times are minutes from midnight, distances km. A visit's opening windows are the intervals in
which the whole visit must take place (arrive, serve, leave); a shop open 08:00–13:00 and
15:00–20:00 has two windows. Priorities decide which visits are dropped when a day is too full.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.routing.travel import TravelMatrix


class Objective(StrEnum):
    """What a route costs: minutes at the wheel (reps) or kilometres (classic VRP benchmarks)."""

    TRAVEL_TIME = "travel_time"
    DISTANCE = "distance"


class DropReason(StrEnum):
    """Why a visit is not in the plan."""

    NO_FEASIBLE_WINDOW = "no_feasible_window"  # cannot be reached open within the working day
    DID_NOT_FIT = "did_not_fit"  # the day is full; visits of higher priority were kept
    NO_ALLOWED_DAY = "no_allowed_day"  # no visit pattern satisfies the account's day rules


@dataclass(frozen=True)
class Shift:
    """The working day: leave no earlier than `start_min`, be back by `end_min`.

    `max_duration_min` caps the time from departure to return; `leave_at_start` pins the
    departure to `start_min` ("start from here, now").
    """

    start_min: float
    end_min: float
    max_duration_min: float | None = None
    leave_at_start: bool = False

    def __post_init__(self) -> None:
        if self.end_min < self.start_min:
            raise ValueError("the shift ends before it starts")
        if self.max_duration_min is not None and self.max_duration_min <= 0:
            raise ValueError("max_duration_min must be positive")


@dataclass(frozen=True)
class LunchBreak:
    """`duration_min` of unavailability, wholly inside [earliest_min, latest_min].

    Modelled as a stop taken where the rep already is (home base, or right after a visit),
    which is how reps lunch; a break in the middle of a drive is not represented.
    """

    earliest_min: float
    latest_min: float
    duration_min: float

    def __post_init__(self) -> None:
        if self.duration_min <= 0 or self.latest_min - self.earliest_min < self.duration_min:
            raise ValueError("the lunch window must be at least as long as the break")


@dataclass(frozen=True)
class DayProblem:
    """Visits to route in one day from `start` to `end` (location indices into `travel`).

    Optional arrays default to: priority 0, nothing required, no demand (no capacity). Required
    visits are never dropped (classic VRP); optional ones are dropped lowest priority first.
    `windows[i]` has shape (k, 2); `None` means open all day.
    """

    travel: TravelMatrix
    location: NDArray[np.int64]
    service_min: NDArray[np.float64]
    shift: Shift
    windows: tuple[NDArray[np.float64], ...] | None = None
    start: int = 0
    end: int = 0
    priority: NDArray[np.int64] | None = None
    required: NDArray[np.bool_] | None = None
    demand: NDArray[np.int64] | None = None
    capacity: int | None = None
    reps: int = 1
    lunch: LunchBreak | None = None
    objective: Objective = Objective.TRAVEL_TIME
    rep_fixed_cost: float = 0.0

    def __post_init__(self) -> None:
        n, size = len(self.location), self.travel.distance_km.shape[0]
        if self.service_min.shape != (n,) or (self.service_min < 0).any():
            raise ValueError("give one non-negative service time per visit")
        if n and (self.location.min() < 0 or self.location.max() >= size):
            raise ValueError("visit locations must index the travel matrix")
        if not (0 <= self.start < size and 0 <= self.end < size):
            raise ValueError("start and end must index the travel matrix")
        if self.windows is not None and len(self.windows) != n:
            raise ValueError("give one window array per visit")
        for name in ("priority", "required", "demand"):
            values = getattr(self, name)
            if values is not None and values.shape != (n,):
                raise ValueError(f"{name} must have one entry per visit")
        if self.reps < 1:
            raise ValueError("reps must be >= 1")
        if self.lunch is not None and self.reps != 1:
            raise ValueError("a lunch break is modelled for the day of one rep")

    @property
    def size(self) -> int:
        """Number of visits."""
        return len(self.location)

    def priorities(self) -> NDArray[np.int64]:
        return np.zeros(self.size, np.int64) if self.priority is None else self.priority

    def required_mask(self) -> NDArray[np.bool_]:
        return np.zeros(self.size, bool) if self.required is None else self.required

    def demands(self) -> NDArray[np.int64]:
        return np.zeros(self.size, np.int64) if self.demand is None else self.demand

    def windows_of(self, visit: int) -> NDArray[np.float64]:
        """The (k, 2) opening windows of a visit; the whole shift when none were given."""
        if self.windows is None:
            return np.array([[self.shift.start_min, self.shift.end_min]])
        return np.asarray(self.windows[visit], dtype=float).reshape(-1, 2)


@dataclass(frozen=True)
class Stop:
    """A planned visit: arrival, start and end of service (minutes), and the window used."""

    visit: int
    window: int
    arrival_min: float
    start_min: float
    end_min: float


@dataclass(frozen=True)
class Lunch:
    """The lunch break on a route: after the first `after_stops` visits, at `location`."""

    start_min: float
    end_min: float
    after_stops: int
    location: int


@dataclass(frozen=True)
class RoutePlan:
    """One rep's route: leave the start at `depart_min`, visit `stops` in order, be back."""

    rep: int
    stops: tuple[Stop, ...]
    depart_min: float
    return_min: float
    distance_km: float
    travel_min: float
    lunch: Lunch | None = None


@dataclass(frozen=True)
class Dropped:
    """A visit left out of the plan, and why."""

    visit: int
    reason: DropReason
    priority: int


@dataclass(frozen=True)
class DayResult:
    """Routes of the day, the visits dropped (lowest priority first) and whether all is sound.

    `feasible` is False only when a required visit could not be planned.
    """

    routes: tuple[RoutePlan, ...]
    dropped: tuple[Dropped, ...]
    feasible: bool
    lunch_skipped: bool = False

    @property
    def distance_km(self) -> float:
        return sum(route.distance_km for route in self.routes)

    @property
    def travel_min(self) -> float:
        return sum(route.travel_min for route in self.routes)

    def planned(self) -> list[int]:
        """Visit indices in route order."""
        return [stop.visit for route in self.routes for stop in route.stops]
