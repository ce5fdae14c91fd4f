"""The figures of one row of a performance table, for the period and the two it is compared
with, and the ratios shown beside them (attainment, growth, average ticket, coverage)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rumbo.reports.counts import AccountCounts
from rumbo.reports.visits import VisitCounts

ONE_DECIMAL = Decimal("0.1")


def ratio_pct(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """100 × part / whole to one decimal (halves up, as people round), or None when it means
    nothing."""
    if part is None or not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def change_pct(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or not before:
        return None
    return (Decimal(100) * (Decimal(now) / Decimal(before) - 1)).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )


@dataclass
class Figures:
    """What happened in one period: sales (amount or units), orders, buying accounts."""

    sales: Decimal = Decimal(0)
    orders: int | None = 0
    accounts: int | None = None

    @property
    def ticket(self) -> Decimal | None:
        if not self.orders:
            return None
        return (self.sales / self.orders).quantize(Decimal("0.01"))


@dataclass
class Line:
    """One row: a territory, a rep, an account or a category, or the total of a page."""

    key: str
    label: str
    kind: str
    url: str = ""
    gap_url: str = ""
    note: str = ""
    periods: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))
    target: Decimal | None = None
    target_source: str = ""
    target_ly: Decimal | None = None
    target_full: Decimal | None = None  # of the whole period asked for, when shown to date
    won: int | None = None
    lost: int | None = None
    visits: VisitCounts | None = None
    visits_ly: int | None = None
    monthly: dict[dt.date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    monthly_target: dict[dt.date, Decimal] = field(default_factory=dict)
    threshold: Decimal | None = None

    @property
    def now(self) -> Figures:
        return self.periods["now"]

    @property
    def previous(self) -> Figures:
        return self.periods["previous"]

    @property
    def last_year(self) -> Figures:
        return self.periods["last_year"]

    @property
    def attainment(self) -> Decimal | None:
        return ratio_pct(self.now.sales, self.target)

    @property
    def gap(self) -> Decimal | None:
        return None if self.target is None else self.now.sales - self.target

    @property
    def growth(self) -> Decimal | None:
        return change_pct(self.now.sales, self.last_year.sales)

    @property
    def change(self) -> Decimal | None:
        return change_pct(self.now.sales, self.previous.sales)

    @property
    def difference_ly(self) -> Decimal:
        return self.now.sales - self.last_year.sales

    @property
    def coverage(self) -> Decimal | None:
        if self.visits is None:
            return None
        return ratio_pct(self.visits.visited, self.visits.accounts)

    @property
    def flagged(self) -> bool:
        """Below the organisation's threshold of attainment."""
        attainment = self.attainment
        return self.threshold is not None and attainment is not None and attainment < self.threshold

    def add_counts(self, counts: AccountCounts | None) -> None:
        if counts is None:
            for figures in self.periods.values():
                figures.accounts = 0
            self.won = self.lost = 0
            return
        for name, n in counts.active.items():
            self.periods[name].accounts = n
        self.won, self.lost = counts.won, counts.lost

    def month_attainment(self, month: dt.date) -> Decimal | None:
        return ratio_pct(self.monthly.get(month), self.monthly_target.get(month))
