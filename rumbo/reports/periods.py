"""Report periods: a month, a quarter, a year or any run of whole months, and the two periods
every figure is compared with (the one just before, of the same length, and the same months a
year earlier). Written in URLs as `2026-10`, `2026-Q3`, `2026` or `2026-01..2026-06`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
CUSTOM = "custom"
MAX_MONTHS = 36

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(\d{4})$")
_RANGE_RE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


class BadPeriod(ValueError):
    """The text does not name a period; the message says why, in the user's language."""


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_span(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    """Whole months from `first` to `last` (first days of the months, both included)."""

    kind: str
    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.first, i) for i in range(len(self))]

    def __len__(self) -> int:
        return month_span(self.first, self.last)

    def __contains__(self, month: object) -> bool:
        return isinstance(month, dt.date) and self.first <= month <= self.last

    @property
    def end(self) -> dt.date:
        """The day after the period."""
        return add_months(self.last, 1)

    def shifted(self, months: int, kind: str | None = None) -> Period:
        return Period(
            kind or self.kind, add_months(self.first, months), add_months(self.last, months)
        )

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return self.shifted(-len(self))

    def last_year(self) -> Period:
        return self.shifted(-12)

    def next(self) -> Period:
        return self.shifted(len(self))

    @property
    def param(self) -> str:
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return f"{self.first.year}"
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return formats.date_format(self.first, "YEAR_MONTH_FORMAT")
        if self.kind == QUARTER:
            quarter = (self.first.month - 1) // 3 + 1
            return _("Q%(q)s %(year)s") % {"q": quarter, "year": self.first.year}
        if self.kind == YEAR:
            return str(self.first.year)
        first = formats.date_format(self.first, "YEAR_MONTH_FORMAT")
        last = formats.date_format(self.last, "YEAR_MONTH_FORMAT")
        return f"{first} – {last}"

    def in_progress(self, today: dt.date) -> bool:
        return self.first <= today < self.end


def month_period(month: dt.date) -> Period:
    month = month.replace(day=1)
    return Period(MONTH, month, month)


def parse_period(text: str) -> Period:
    """The period a URL names, or BadPeriod with a message for the user."""
    text = (text or "").strip()
    try:
        if m := _MONTH_RE.match(text):
            return month_period(dt.date(int(m[1]), int(m[2]), 1))
        if m := _QUARTER_RE.match(text):
            first = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return Period(QUARTER, first, add_months(first, 2))
        if m := _YEAR_RE.match(text):
            return Period(YEAR, dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 1))
        if m := _RANGE_RE.match(text):
            return custom_period(dt.date(int(m[1]), int(m[2]), 1), dt.date(int(m[3]), int(m[4]), 1))
    except ValueError as exc:
        if isinstance(exc, BadPeriod):
            raise
        raise BadPeriod(_("“%(text)s” is not a valid month.") % {"text": text}) from exc
    raise BadPeriod(
        _("“%(text)s” is not a period: write 2026-10, 2026-Q3, 2026 or 2026-01..2026-06.")
        % {"text": text}
    )


def custom_period(first: dt.date, last: dt.date) -> Period:
    first, last = first.replace(day=1), last.replace(day=1)
    if last < first:
        raise BadPeriod(_("The period ends before it starts."))
    if month_span(first, last) > MAX_MONTHS:
        raise BadPeriod(_("A period spans at most %(n)s months.") % {"n": MAX_MONTHS})
    return Period(CUSTOM, first, last)


def quick_periods(latest: dt.date) -> list[Period]:
    """The periods offered as one-click choices around the latest month with data."""
    quarter_first = dt.date(latest.year, 3 * ((latest.month - 1) // 3) + 1, 1)
    this_quarter = Period(QUARTER, quarter_first, add_months(quarter_first, 2))
    return [
        month_period(latest),
        month_period(add_months(latest, -1)),
        this_quarter,
        this_quarter.shifted(-3),
        Period(YEAR, dt.date(latest.year, 1, 1), dt.date(latest.year, 12, 1)),
        Period(YEAR, dt.date(latest.year - 1, 1, 1), dt.date(latest.year - 1, 12, 1)),
        Period(CUSTOM, add_months(latest, -11), latest),
    ]
