"""How big a demo company is: accounts, reps, months of history and which zones it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone


@dataclass(frozen=True)
class Size:
    """One demo size. `zones` names the coverage tier: "tiny", "core" or "all" (see geography)."""

    name: str
    accounts: int
    reps: int
    months: int
    zones: str


SIZES: dict[str, Size] = {
    # For tests: a few dozen accounts, long enough to hold a December and a price change.
    "tiny": Size("tiny", accounts=60, reps=5, months=14, zones="tiny"),
    "small": Size("small", accounts=2_000, reps=15, months=36, zones="core"),
    "medium": Size("medium", accounts=20_000, reps=90, months=36, zones="all"),
    "large": Size("large", accounts=50_000, reps=220, months=36, zones="all"),
}


def default_end(today: dt.date | None = None) -> dt.date:
    """The last day of the month before `today` (Lima time): history ends with last month."""
    today = today or timezone.localdate()
    return today.replace(day=1) - dt.timedelta(days=1)


def month_starts(end: dt.date, months: int) -> list[dt.date]:
    """First days of the `months` months that end with `end`'s month, oldest first."""
    year, month = end.year, end.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def generator(seed: int, stream: int) -> np.random.Generator:
    """The random generator of one phase or month: (seed, stream) fixes every draw in it,
    whatever the other phases drew."""
    return np.random.default_rng([seed, stream])
