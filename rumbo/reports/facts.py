"""The reads behind every performance figure, over the report rollups (rumbo.reports.models).

A `Slice` says which sales a figure covers (territories, rep, account, categories); a grouping
says how rows split (by child territory, by rep, by account). Each function is one query whose
cost depends on the slice and period, never on how many rows the page shows. Amounts come back
as Decimal to the cent (SQLite sums decimals as floats).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Sum

from rumbo.reports.models import (
    AccountYear,
    AccountYearVisits,
    TerritoryCategorySales,
    TerritorySales,
    net_column,
    orders_column,
    visits_column,
)
from rumbo.reports.periods import Period

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """An amount from the database as Decimal to the cent (PostgreSQL's numeric sums already
    are; SQLite's are floats)."""
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        return value
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass(frozen=True)
class Slice:
    """Which sales: of an organisation, credited to some territories (None: any, including
    none), to one rep, of one account, in some product categories (None: all)."""

    organisation_id: int
    territory_ids: frozenset[int] | None = None
    rep_id: int | None = None
    account_id: int | None = None
    category_ids: frozenset[int] | None = None

    def where(self, alias: str = "") -> tuple[list[str], list[Any]]:
        """SQL conditions (and their parameters) on a rollup table with these columns."""
        p = f"{alias}." if alias else ""
        clauses, params = [f"{p}organisation_id = %s"], [self.organisation_id]
        if self.territory_ids is not None:
            clauses.append(_in(f"{p}territory_id", self.territory_ids, params))
        for name, value in (("rep_id", self.rep_id), ("account_id", self.account_id)):
            if value is not None:
                clauses.append(f"{p}{name} = %s")
                params.append(value)
        return clauses, params


def _in(column: str, values: Iterable[int], params: list[Any]) -> str:
    ids = sorted(values)
    if not ids:
        return "1 = 0"
    params.extend(ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _year_sum(period: Period, column: Any, alias: str, params: list[Any]) -> str:
    """SQL: the sum over the period's months of a monthly column of a year row."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for month in period.months:
        by_year[month.year].append(month.month)
    cases = []
    for year, months in sorted(by_year.items()):
        total = " + ".join(f"{alias}.{_quote(column(m))}" for m in months)
        cases.append(f"WHEN {alias}.year = %s THEN {total}")
        params.append(year)
    return f"(CASE {' '.join(cases)} ELSE 0 END)"


def _years(periods: Iterable[Period]) -> list[int]:
    return sorted({m.year for p in periods for m in p.months})


def _groups_cte(groups: Mapping[Any, Iterable[int | None]], params: list[Any]) -> str:
    """SQL: a CTE `g(id, grp)` listing each id (None as 0) with the index of its group; joined
    on an id column, it groups rows and drops those of no group, at the cost of a hash."""
    pairs = [(i or 0, index) for index, ids in enumerate(groups.values()) for i in ids]
    if not pairs:
        pairs = [(-1, -1)]
    for pair in pairs:
        params.extend(pair)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    return f"g(id, grp) AS (VALUES {values})"


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# ----- totals by territory, rep and month ------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    territory_id: int | None
    rep_id: int | None
    month: dt.date
    net: Decimal
    quantity: Decimal
    orders: int | None
    accounts: int | None


def month_rows(where: Slice, months: Iterable[dt.date]) -> list[MonthRow]:
    """Sales by credited territory, rep and month (orders and accounts only without a
    category filter: an order spans categories)."""
    by_category = where.category_ids is not None
    model: Any = TerritoryCategorySales if by_category else TerritorySales
    rows = model.objects.filter(organisation_id=where.organisation_id, month__in=list(months))
    if where.territory_ids is not None:
        rows = rows.filter(territory_id__in=where.territory_ids)
    if where.rep_id is not None:
        rows = rows.filter(rep_id=where.rep_id)
    if by_category:
        rows = rows.filter(category_id__in=where.category_ids)
        values = rows.values_list("territory_id", "rep_id", "month", "net_amount", "quantity")
        return [MonthRow(t, r, m, money(n), Decimal(q or 0), None, None)
                for t, r, m, n, q in values]  # fmt: skip
    values = rows.values_list(
        "territory_id", "rep_id", "month", "net_amount", "quantity", "orders", "accounts"
    )
    return [MonthRow(t, r, m, money(n), Decimal(q or 0), o, a) for t, r, m, n, q, o, a in values]


def category_rows(
    where: Slice, months: Iterable[dt.date], field: str = "net_amount"
) -> list[tuple[int, dt.date, Decimal]]:
    """(category id, month, net amount or `field`) of the slice, summed over territories and
    reps."""
    rows = TerritoryCategorySales.objects.filter(
        organisation_id=where.organisation_id, month__in=list(months)
    )
    if where.territory_ids is not None:
        rows = rows.filter(territory_id__in=where.territory_ids)
    if where.rep_id is not None:
        rows = rows.filter(rep_id=where.rep_id)
    if where.category_ids is not None:
        rows = rows.filter(category_id__in=where.category_ids)
    sums = rows.values("category_id", "month").order_by().annotate(n=Sum(field))
    if field == "net_amount":
        return [(r["category_id"], r["month"], money(r["n"])) for r in sums]
    return [(r["category_id"], r["month"], Decimal(r["n"] or 0)) for r in sums]


# ----- accounts: who bought when ---------------------------------------------------------------


@dataclass
class AccountCounts:
    """Accounts of a group that bought in each period, and those won and lost (against the
    same period last year)."""

    active: dict[str, int]
    won: int = 0
    lost: int = 0


def _bought(period: Period, column: str, params: list[Any]) -> str:
    """SQL: whether a year row's month bitmask `column` has a month of the period."""
    masks: dict[int, int] = defaultdict(int)
    for month in period.months:
        masks[month.year] |= 1 << (month.month - 1)
    tests = []
    for year, mask in sorted(masks.items()):
        tests.append(f"(a.year = %s AND ({column} & %s) <> 0)")
        params += [year, mask]
    return f"(CASE WHEN {' OR '.join(tests)} THEN 1 ELSE 0 END)"


TOTAL = "__total__"


def account_counts(
    where: Slice, periods: dict[str, Period], group_by: str, groups: Mapping[Any, Iterable[int]]
) -> dict[Any, AccountCounts]:
    """Per group and for all the groups together (key TOTAL): distinct accounts with orders in
    each named period ("now", "last_year", ...), won (bought now, not last year) and lost
    (bought last year, not now). One query, reading only the rollup's index on PostgreSQL.

    `group_by` is "territory" (groups map a key to territory ids, None for sales credited to
    no territory) or "rep" (to rep ids)."""
    params: list[Any] = []
    cte = _groups_cte(groups, params)
    column = {"territory": "a.territory_id", "rep": "a.rep_id"}[group_by]
    names = list(periods)
    flags = [f"MAX({_bought(p, 'a.order_months', params)}) AS f_{n}" for n, p in periods.items()]
    if group_by == "territory":  # the groups' join already keeps only their territories
        where = replace(where, territory_ids=None)
    clauses, where_params = where.where("a")
    clauses.append(_in("a.year", _years(periods.values()), where_params))
    sums = ", ".join(f"SUM(f_{n})" for n in names)
    counts = (
        f"{sums}, SUM(CASE WHEN f_now = 1 AND f_last_year = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN f_now = 0 AND f_last_year = 1 THEN 1 ELSE 0 END)"
    )
    per_account = ", ".join(f"MAX(f_{n}) AS f_{n}" for n in names)
    sql = (
        f"WITH {cte}, t AS (SELECT g.grp AS grp, a.account_id AS account_id, {', '.join(flags)} "
        f"FROM {_quote(AccountYear._meta.db_table)} a JOIN g ON g.id = COALESCE({column}, 0) "
        f"WHERE {' AND '.join(clauses)} GROUP BY g.grp, a.account_id) "
        f"SELECT grp, {counts} FROM t GROUP BY grp UNION ALL "
        f"SELECT -2, {counts} FROM (SELECT account_id, {per_account} FROM t GROUP BY account_id) u"
    )
    keys = list(groups)
    result: dict[Any, AccountCounts] = {}
    for row in _fetch(sql, params + where_params):
        active = {n: int(v or 0) for n, v in zip(names, row[1 : 1 + len(names)], strict=True)}
        key = TOTAL if row[0] == -2 else keys[row[0]]
        result[key] = AccountCounts(active, int(row[-2] or 0), int(row[-1] or 0))
    return result


@dataclass(frozen=True)
class AccountAmounts:
    net: dict[str, Decimal]
    orders: dict[str, int]


def account_amounts(
    where: Slice, periods: dict[str, Period], limit_to: Iterable[int] | None = None
) -> dict[int, AccountAmounts]:
    """Account id → net amount and orders in each named period, for accounts with any."""
    params: list[Any] = []
    columns = []
    for period in periods.values():
        columns.append(f"SUM({_year_sum(period, net_column, 'a', params)})")
        columns.append(f"SUM({_year_sum(period, orders_column, 'a', params)})")
    clauses, where_params = where.where("a")
    clauses.append(_in("a.year", _years(periods.values()), where_params))
    if limit_to is not None:
        clauses.append(_in("a.account_id", limit_to, where_params))
    sql = (
        f"SELECT a.account_id, {', '.join(columns)} FROM {_quote(AccountYear._meta.db_table)} a "
        f"WHERE {' AND '.join(clauses)} GROUP BY a.account_id"
    )
    names = list(periods)
    result = {}
    for row in _fetch(sql, params + where_params):
        values = row[1:]
        net = {n: money(values[2 * i]) for i, n in enumerate(names)}
        orders = {n: int(values[2 * i + 1] or 0) for i, n in enumerate(names)}
        if any(net.values()) or any(orders.values()):
            result[row[0]] = AccountAmounts(net, orders)
    return result


def account_pairs(where: Slice, now: Period, before: Period) -> dict[int, tuple[Decimal, Decimal]]:
    """Account id → (net amount in `now`, in `before`), for accounts with either."""
    params: list[Any] = []
    a = _year_sum(now, net_column, "a", params)
    b = _year_sum(before, net_column, "a", params)
    clauses, where_params = where.where("a")
    clauses.append(_in("a.year", _years([now, before]), where_params))
    sql = (
        f"SELECT a.account_id, SUM({a}), SUM({b}) FROM {_quote(AccountYear._meta.db_table)} a "
        f"WHERE {' AND '.join(clauses)} GROUP BY a.account_id"
    )
    found = {}
    for account_id, x, y in _fetch(sql, params + where_params):
        if x or y:
            found[account_id] = (money(x), money(y))
    return found


# ----- visits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitCounts:
    accounts: int  # active accounts of the group now
    visited: int  # of those, visited at least once in the period
    visits: int  # visits to them in the period
    planned: float | None = None  # visits their coverage plans asked for (None: not segmented)

    def with_plan(self, planned: float | None) -> VisitCounts:
        return replace(self, planned=planned)


def planned_visits(
    organisation_id: int, period: Period, groups: Mapping[Any, Iterable[int]], by: str
) -> dict[Any, float]:
    """Visits the coverage plans asked for in the period's segmented months, per group of
    territories (`by="territory"`) or per rep id among the groups' territories (`by="rep"`)."""
    from rumbo.coverage.models import AccountSegment

    of_territory = {t: key for key, ids in groups.items() for t in ids}
    rows = (
        AccountSegment.objects.filter(
            organisation_id=organisation_id,
            month__in=period.months,
            territory_id__in=list(of_territory),
        )
        .order_by()
        .values_list("territory_id" if by == "territory" else "rep_id")
        .annotate(p=Sum("visits_planned"))
    )
    found: dict[Any, float] = defaultdict(float)
    for key, planned in rows:
        found[of_territory[key] if by == "territory" else key] += planned or 0.0
    return dict(found)


def visit_counts(
    organisation_id: int,
    period: Period,
    groups: Mapping[Any, Iterable[int]],
    user_id: int | None = None,
) -> dict[Any, VisitCounts]:
    """Per group of territories: the active accounts there now, how many were visited in the
    period (by `user_id` only, when given) and how many visits they had."""
    from rumbo.customers.models import Account

    params: list[Any] = []
    cte = _groups_cte(groups, params)
    visits = _year_sum(period, visits_column, "v", params)
    visited = _bought(period, "v.visit_months", params).replace("a.year", "v.year")
    join = [_in("v.year", _years([period]), params)]
    if user_id is not None:
        join.append("v.user_id = %s")
        params.append(user_id)
    params += [organisation_id, Account.Status.ACTIVE]
    account_table = _quote(Account._meta.db_table)
    visit_table = _quote(AccountYearVisits._meta.db_table)
    inner = (
        f"SELECT g.grp AS grp, c.id AS account_id, SUM(COALESCE({visits}, 0)) AS n, "
        f"MAX(COALESCE({visited}, 0)) AS seen "
        f"FROM {account_table} c JOIN g ON g.id = c.territory_id "
        f"LEFT JOIN {visit_table} v ON v.account_id = c.id AND {' AND '.join(join)} "
        "WHERE c.organisation_id = %s AND c.status = %s GROUP BY g.grp, c.id"
    )
    sql = f"WITH {cte} SELECT grp, COUNT(*), SUM(seen), SUM(n) FROM ({inner}) t GROUP BY grp"
    keys = list(groups)
    return {
        keys[g]: VisitCounts(int(n or 0), int(seen or 0), int(total or 0))
        for g, n, seen, total in _fetch(sql, params)
    }


def visits_by_user(
    organisation_id: int, period: Period, territory_ids: Iterable[int], user_ids: Iterable[int]
) -> dict[int, tuple[int, int]]:
    """User id → (accounts of these territories they visited in the period, their visits)."""
    from rumbo.customers.models import Account

    params: list[Any] = []
    visits = _year_sum(period, visits_column, "v", params)
    clauses = ["c.organisation_id = %s", "c.status = %s"]
    params += [organisation_id, Account.Status.ACTIVE]
    clauses.append(_in("c.territory_id", territory_ids, params))
    clauses.append(_in("v.year", _years([period]), params))
    clauses.append(_in("v.user_id", user_ids, params))
    sql = (
        f"SELECT user_id, SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END), SUM(n) FROM ("
        f"SELECT v.user_id AS user_id, v.account_id, SUM({visits}) AS n "
        f"FROM {_quote(AccountYearVisits._meta.db_table)} v "
        f"JOIN {_quote(Account._meta.db_table)} c ON c.id = v.account_id "
        f"WHERE {' AND '.join(clauses)} GROUP BY v.user_id, v.account_id) t GROUP BY user_id"
    )
    return {u: (int(seen or 0), int(n or 0)) for u, seen, n in _fetch(sql, params)}


def visits_by_account(
    organisation_id: int,
    periods: dict[str, Period],
    account_ids: Iterable[int],
    user_id: int | None = None,
) -> dict[int, dict[str, int]]:
    """Account id → visits in each named period (by `user_id` only, when given)."""
    params: list[Any] = []
    columns = [f"SUM({_year_sum(p, visits_column, 'v', params)})" for p in periods.values()]
    clauses = ["v.organisation_id = %s"]
    params.append(organisation_id)
    clauses.append(_in("v.account_id", account_ids, params))
    clauses.append(_in("v.year", _years(periods.values()), params))
    if user_id is not None:
        clauses.append("v.user_id = %s")
        params.append(user_id)
    sql = (
        f"SELECT v.account_id, {', '.join(columns)} "
        f"FROM {_quote(AccountYearVisits._meta.db_table)} v "
        f"WHERE {' AND '.join(clauses)} GROUP BY v.account_id"
    )
    names = list(periods)
    return {
        row[0]: {n: int(v or 0) for n, v in zip(names, row[1:], strict=True)}
        for row in _fetch(sql, params)
    }
