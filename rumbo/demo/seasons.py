"""The Peruvian sales calendar: national holidays and the seasonality of each category.

December carries Christmas (panetón and chocolatada), July Fiestas Patrias, January–March the
summer (beverages) and March the start of the school year (snacks, milk for lunch boxes).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# Index 0 is January. Multipliers of a normal month's volume.
OVERALL = (0.92, 0.90, 1.00, 0.97, 1.00, 0.95, 1.08, 0.97, 0.97, 1.00, 1.03, 1.15)
BY_CATEGORY: dict[str, tuple[float, ...]] = {
    "BEB": (1.25, 1.25, 1.10, 0.95, 0.88, 0.82, 0.95, 0.82, 0.85, 0.95, 1.05, 1.20),
    "SNK": (0.90, 0.90, 1.25, 1.10, 1.00, 0.95, 1.05, 1.00, 0.95, 1.00, 1.00, 1.15),
    "LAC": (0.95, 0.95, 1.10, 1.00, 1.00, 1.05, 1.05, 1.00, 1.00, 1.00, 1.00, 1.20),
    "LIM": (1.00, 0.97, 1.00, 1.00, 1.00, 0.98, 1.05, 1.00, 1.00, 1.00, 1.00, 1.10),
    "CPE": (1.00, 0.97, 1.05, 1.00, 1.12, 1.00, 1.05, 1.00, 1.00, 1.00, 1.00, 1.15),
    # Panetones and drinking chocolate: almost nothing until the Christmas season.
    "SNK-NAV": (0.25, 0.10, 0.10, 0.10, 0.10, 0.15, 0.35, 0.15, 0.15, 0.40, 1.60, 4.00),
}
# Prices go up once a year, on 1 March (after the summer campaign).
PRICE_CHANGE_MONTH = 3

_FIXED_HOLIDAYS = (
    (1, 1), (5, 1), (6, 7), (6, 29), (7, 23), (7, 28), (7, 29), (8, 6), (8, 30), (10, 8),
    (11, 1), (12, 8), (12, 9), (12, 25),
)  # fmt: skip


def easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holidays(years: range) -> set[dt.date]:
    """Peru's national holidays (Holy Thursday and Good Friday included) in `years`."""
    days: set[dt.date] = set()
    for year in years:
        days.update(dt.date(year, m, d) for m, d in _FIXED_HOLIDAYS)
        sunday = easter(year)
        days.update({sunday - dt.timedelta(days=3), sunday - dt.timedelta(days=2)})
    return days


def season_factor(month: int, category_code: str) -> float:
    """Volume multiplier of a (sub)category in a calendar month (1–12)."""
    table = BY_CATEGORY.get(category_code) or BY_CATEGORY[category_code[:3]]
    return OVERALL[month - 1] * table[month - 1]


def price_epochs(first: dt.date, last: dt.date) -> list[dt.date]:
    """Start days of the price periods that cover `first`..`last`: every 1 March."""
    year = first.year if first.month >= PRICE_CHANGE_MONTH else first.year - 1
    starts = []
    while dt.date(year, PRICE_CHANGE_MONTH, 1) <= last:
        starts.append(dt.date(year, PRICE_CHANGE_MONTH, 1))
        year += 1
    return starts


def epoch_index(days: np.ndarray, epochs: list[dt.date]) -> np.ndarray:
    """For ordinal days, the index of the price period each falls in."""
    bounds = np.array([e.toordinal() for e in epochs])
    return np.searchsorted(bounds, days, side="right") - 1
