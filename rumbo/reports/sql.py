"""SQL building blocks for the reads over the report rollups: which sales a figure covers (a
`Slice`), conditions and sums over the rollups' month columns and bitmasks, groups of ids as a
CTE, and amounts as Decimal to the cent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from rumbo.reports.models import MONTHS
from rumbo.reports.periods import Period

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """An amount from the database as Decimal to the cent (PostgreSQL's numeric sums already
    are; SQLite's are floats)."""
    if type(value) is Decimal:
        return value.quantize(CENT)
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass(frozen=True)
class Slice:
    """Which sales: of an organisation, credited to some territories (None: any, including
    none; with `credited`, any but none), to one rep, of one account, in some product
    categories (None: all)."""

    organisation_id: int
    territory_ids: frozenset[int] | None = None
    rep_id: int | None = None
    account_id: int | None = None
    category_ids: frozenset[int] | None = None
    credited: bool = False

    def where(self, alias: str = "") -> tuple[list[str], list[Any]]:
        """SQL conditions (and their parameters) on a rollup table with these columns."""
        p = f"{alias}." if alias else ""
        clauses, params = [f"{p}organisation_id = %s"], [self.organisation_id]
        if self.territory_ids is not None:
            clauses.append(in_list(f"{p}territory_id", self.territory_ids, params))
        elif self.credited:
            clauses.append(f"{p}territory_id IS NOT NULL")
        for name, value in (("rep_id", self.rep_id), ("account_id", self.account_id)):
            if value is not None:
                clauses.append(f"{p}{name} = %s")
                params.append(value)
        return clauses, params


def in_list(column: str, values: Iterable[Any], params: list[Any]) -> str:
    ids = sorted(values)
    if not ids:
        return "1 = 0"
    params.extend(ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})"


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def year_sum(period: Period, column: Any, alias: str, params: list[Any], whole: str = "") -> str:
    """SQL: the sum over the period's months of a monthly column of a year row (the `whole`
    year's column, if any, for all twelve months)."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for month in period.months:
        by_year[month.year].append(month.month)
    cases = []
    for year, months in sorted(by_year.items()):
        total = " + ".join(f"{alias}.{quote(column(m))}" for m in months)
        if whole and len(months) == len(MONTHS):
            total = f"{alias}.{quote(whole)}"
        cases.append(f"WHEN {alias}.year = %s THEN {total}")
        params.append(year)
    return f"(CASE {' '.join(cases)} ELSE 0 END)"


def years_of(periods: Iterable[Period]) -> list[int]:
    return sorted({m.year for p in periods for m in p.months})


def groups_cte(groups: Mapping[Any, Iterable[int | None]], params: list[Any]) -> str:
    """SQL: a CTE `g(id, grp)` listing each id (None as 0) with the index of its group; joined
    on an id column, it groups rows and drops those of no group, at the cost of a hash."""
    pairs = [(i or 0, index) for index, ids in enumerate(groups.values()) for i in ids]
    if not pairs:
        pairs = [(-1, -1)]
    for pair in pairs:
        params.extend(pair)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    return f"g(id, grp) AS (VALUES {values})"


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def bought(period: Period, column: str, params: list[Any]) -> str:
    """SQL: whether a year row's month bitmask `column` has a month of the period."""
    masks: dict[int, int] = defaultdict(int)
    for month in period.months:
        masks[month.year] |= 1 << (month.month - 1)
    tests = []
    for year, mask in sorted(masks.items()):
        tests.append(f"(a.year = %s AND ({column} & %s) <> 0)")
        params += [year, mask]
    return f"(CASE WHEN {' OR '.join(tests)} THEN 1 ELSE 0 END)"


def month_mask(period: Period) -> int:
    return sum(1 << (m.month - 1) for m in period.months)


def as_date(value: Any) -> dt.date:
    """A date from raw SQL (SQLite returns text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
