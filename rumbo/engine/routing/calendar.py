"""Visit rhythms as day patterns over a horizon of 1–4 weeks of 5 or 6 working days.

A frequency is stated per 4 weeks: 1 = monthly, 2 = every two weeks, 4 = weekly, 8 = twice a
week, 4k = k times a week. Patterns keep a regular rhythm: a weekly account on the same
weekday every week; k times a week on the same weekdays every week, at least two days apart
when the week allows; every two weeks (or monthly) on one weekday, in weeks two (four) apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Horizon:
    """`weeks` weeks of `workdays` working days (Monday first); day i is weekday i % workdays."""

    weeks: int
    workdays: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= 4:
            raise ValueError("plan 1 to 4 weeks")
        if self.workdays not in (5, 6):
            raise ValueError("a working week has 5 or 6 days")

    @property
    def days(self) -> int:
        return self.weeks * self.workdays

    def weekday(self) -> NDArray[np.int64]:
        """Weekday (0 = Monday) of every day of the horizon."""
        return np.arange(self.days, dtype=np.int64) % self.workdays

    def day(self, week: int, weekday: int) -> int:
        return week * self.workdays + weekday


@dataclass(frozen=True)
class CallPlan:
    """How often and when an account wants a visit.

    `allowed_weekdays` None means any working weekday; `first_week` bounds the week of the
    first visit for rhythms slower than weekly (e.g. (2, 3) when the last visit was two weeks
    ago on a monthly rhythm); `preference_cost` is what a visit off the preferred weekdays
    costs, in the planner's objective units.
    """

    visits_per_4_weeks: int
    allowed_weekdays: frozenset[int] | None = None
    preferred_weekdays: frozenset[int] = frozenset()
    first_week: tuple[int, int] | None = None
    preference_cost: float = 15.0

    def __post_init__(self) -> None:
        f = self.visits_per_4_weeks
        if f < 1 or (f > 3 and f % 4):
            raise ValueError("visits per 4 weeks must be 1, 2, 3 or a multiple of 4")


def visit_patterns(
    horizon: Horizon,
    plan: CallPlan,
    open_weekdays: frozenset[int] | None = None,
    appointment_days: frozenset[int] = frozenset(),
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Allowed patterns (rows of days) and their preference penalties for one account.

    Weekdays the account is closed (`open_weekdays`) are never used. When an appointment
    falls on some pattern's day, only patterns holding all appointment days remain (the
    appointment is one of the rhythm's visits); otherwise the appointment is an extra visit.
    """
    weekdays = set(range(horizon.workdays))
    if plan.allowed_weekdays is not None:
        weekdays &= plan.allowed_weekdays
    if open_weekdays is not None:
        weekdays &= open_weekdays
    f = plan.visits_per_4_weeks
    sets = (
        _weekly(horizon, f // 4, sorted(weekdays)) if f >= 4 else _spaced(horizon, plan, weekdays)
    )
    rows = np.zeros((len(sets), horizon.days), dtype=bool)
    for r, days in enumerate(sets):
        rows[r, days] = True
    if appointment_days:
        holding = rows[:, sorted(appointment_days)].all(axis=1)
        if holding.any():
            rows = rows[holding]
    return rows, _penalties(horizon, plan, rows)


def _weekly(horizon: Horizon, per_week: int, weekdays: list[int]) -> list[list[int]]:
    """The same `per_week` weekdays every week, consecutive ones at least two days apart
    when the week has room for that."""
    gap = 2 if 2 * per_week - 1 <= horizon.workdays else 1
    found = []
    for chosen in combinations(weekdays, per_week):
        if all(b - a >= gap for a, b in pairwise(chosen)):
            found.append([horizon.day(w, d) for w in range(horizon.weeks) for d in chosen])
    return found


def _spaced(horizon: Horizon, plan: CallPlan, weekdays: set[int]) -> list[list[int]]:
    """One weekday, in `f` of every 4 weeks as evenly spaced as possible, for each start week."""
    f = plan.visits_per_4_weeks
    lo, hi = plan.first_week if plan.first_week is not None else (0, 3)
    found = []
    for phase in range(4):
        weeks = sorted({(phase + round(i * 4 / f)) % 4 for i in range(f)})
        inside = [w for w in weeks if w < horizon.weeks]
        if not inside or not lo <= inside[0] <= hi:
            continue
        found += [[horizon.day(w, d) for w in inside] for d in sorted(weekdays)]
    unique = {tuple(days) for days in found}
    return [list(days) for days in sorted(unique)]


def _penalties(horizon: Horizon, plan: CallPlan, rows: NDArray[np.bool_]) -> NDArray[np.float64]:
    """The share of a pattern's visits off the preferred weekdays, times the preference cost."""
    if not plan.preferred_weekdays or len(rows) == 0:
        return np.zeros(len(rows))
    preferred = np.isin(horizon.weekday(), sorted(plan.preferred_weekdays))
    off = (rows & ~preferred).sum(axis=1) / np.maximum(rows.sum(axis=1), 1)
    return off * plan.preference_cost
