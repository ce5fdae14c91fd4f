"""The reads behind the performance figures' sales, over the report rollups
(rumbo.reports.models): by territory, rep and month, by category, and per account. Accounts
active, won and lost are counted in rumbo.reports.counts, visits in rumbo.reports.visits.

Each function is one query whose cost depends on the slice and period, never on how many rows
the page shows. Amounts come back as Decimal to the cent (SQLite sums decimals as floats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from rumbo.reports.models import (
    MONTHS,
    AccountActivity,
    AccountYear,
    AccountYearVisits,
    CategorySales,
    TerritoryCategorySales,
    TerritoryCategoryYear,
    TerritorySales,
    net_column,
    orders_column,
    prev_net_column,
    quantity_column,
    visits_column,
)
from rumbo.reports.periods import Period
from rumbo.reports.sql import (
    Slice,
    as_date,
    fetch,
    groups_cte,
    in_list,
    money,
    quote,
    year_sum,
    years_of,
)

__all__ = ["Slice", "money"]  # read from here by the pages


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
    group: Any = None  # with month_rows(groups=...): the group's key (None: in none)


def month_rows(
    where: Slice,
    months: Iterable[dt.date],
    groups: Mapping[Any, Iterable[int | None]] | None = None,
) -> list[MonthRow]:
    """Sales by credited territory, rep and month (orders and accounts only without a
    category filter: an order spans categories). With `groups` (key → territory ids, None for
    sales credited to none), summed by group and month instead, in the database (the group
    None for sales of the slice in no group; with no groups, summed by month only)."""
    if groups is not None:
        return _group_month_rows(where, list(months), groups)
    by_category = where.category_ids is not None
    model: Any = TerritoryCategorySales if by_category else TerritorySales
    rows = model.objects.filter(organisation_id=where.organisation_id, month__in=list(months))
    if where.territory_ids is not None:
        rows = rows.filter(territory_id__in=where.territory_ids)
    elif where.credited:
        rows = rows.filter(territory_id__isnull=False)
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


def _group_month_rows(
    where: Slice, months: list[dt.date], groups: Mapping[Any, Iterable[int | None]]
) -> list[MonthRow]:
    by_category = where.category_ids is not None
    model: Any = TerritoryCategorySales if by_category else TerritorySales
    params: list[Any] = []
    cte = groups_cte(groups, params)
    clauses, where_params = replace(where, account_id=None).where("r")
    clauses.append(in_list("r.month", months, where_params))
    if by_category:
        clauses.append(in_list("r.category_id", where.category_ids or (), where_params))
    orders = "NULL" if by_category else "SUM(r.orders)"
    sql = (
        f"WITH {cte} SELECT g.grp, r.month, SUM(r.net_amount), SUM(r.quantity), {orders} "
        f"FROM {quote(model._meta.db_table)} r LEFT JOIN g ON g.id = COALESCE(r.territory_id, 0) "
        f"WHERE {' AND '.join(clauses)} GROUP BY g.grp, r.month"
    )
    keys = list(groups)
    return [
        MonthRow(None, None, as_date(m), money(n), Decimal(q or 0),
                 None if o is None else int(o), None, None if g is None else keys[g])
        for g, m, n, q, o in fetch(sql, params + where_params)
    ]  # fmt: skip


def category_rows(
    where: Slice, months: Iterable[dt.date], field: str = "net_amount"
) -> list[tuple[int, dt.date, Decimal]]:
    """(category id, month, net amount or `field`) of the slice, summed over territories and
    reps: the whole organisation's from CategorySales, some territories' from
    TerritoryCategoryYear (a row per territory, category and year), a rep's from
    TerritoryCategorySales."""
    months = list(months)
    if where.rep_id is None and where.account_id is None:
        if where.territory_ids is None:
            rows: Any = CategorySales.objects.filter(
                organisation_id=where.organisation_id, month__in=months
            )
            if where.credited:
                rows = rows.filter(credited=True)
        else:
            return _category_year_rows(where, months, field)
    else:
        rows = TerritoryCategorySales.objects.filter(
            organisation_id=where.organisation_id, month__in=months
        )
        if where.territory_ids is not None:
            rows = rows.filter(territory_id__in=where.territory_ids)
        elif where.credited:
            rows = rows.filter(territory_id__isnull=False)
        if where.rep_id is not None:
            rows = rows.filter(rep_id=where.rep_id)
    if where.category_ids is not None:
        rows = rows.filter(category_id__in=where.category_ids)
    sums = rows.values("category_id", "month").order_by().annotate(n=Sum(field))
    return [(r["category_id"], r["month"], _amount(r["n"], field)) for r in sums]


def _amount(value: Any, field: str) -> Decimal:
    return money(value) if field == "net_amount" else Decimal(value or 0)


def _category_year_rows(
    where: Slice, months: list[dt.date], field: str
) -> list[tuple[int, dt.date, Decimal]]:
    column = net_column if field == "net_amount" else quantity_column
    params: list[Any] = []
    clauses = ["y.organisation_id = %s"]
    params.append(where.organisation_id)
    clauses.append(in_list("y.territory_id", where.territory_ids or (), params))
    clauses.append(in_list("y.year", {m.year for m in months}, params))
    if where.category_ids is not None:
        clauses.append(in_list("y.category_id", where.category_ids, params))
    sums = ", ".join(f"SUM(y.{quote(column(m))})" for m in MONTHS)
    # The months some territory had rows in (SQLite has no BIT_OR): as the monthly table.
    had = ", ".join(f"MAX(y.months & {1 << (m - 1)})" for m in MONTHS)
    table = quote(TerritoryCategoryYear._meta.db_table)
    sql = (
        f"SELECT y.category_id, y.year, {sums}, {had} FROM {table} y "
        f"WHERE {' AND '.join(clauses)} GROUP BY y.category_id, y.year"
    )
    wanted = set(months)
    found = []
    for category_id, year, *values in fetch(sql, params):
        for m, value, seen in zip(MONTHS, values[:12], values[12:], strict=True):
            month = dt.date(year, m, 1)
            if seen and month in wanted:
                found.append((category_id, month, _amount(value, field)))
    return found


@dataclass(frozen=True)
class AccountAmounts:
    net: dict[str, Decimal]
    orders: dict[str, int]


def account_amounts(
    where: Slice, periods: dict[str, Period], limit_to: Iterable[int] | None = None
) -> dict[int, AccountAmounts]:
    """Account id → net amount and orders in each named period, for accounts with any."""
    sql, params = _amounts_sql(where, periods, limit_to)
    names = list(periods)
    result = {}
    for row in fetch(sql, params):
        found = _amounts(names, row[1 : 1 + 2 * len(names)])
        if found is not None:
            result[row[0]] = found
    return result


def _amounts_sql(
    where: Slice, periods: dict[str, Period], limit_to: Iterable[int] | None = None
) -> tuple[str, list[Any]]:
    """SQL (and parameters): account_id, then net amount and orders of each period (n0, o0,
    n1, o1...), per account of the slice, from AccountYear."""
    params: list[Any] = []
    columns = []
    for i, period in enumerate(periods.values()):
        net = year_sum(period, net_column, "a", params, "net_year")
        orders = year_sum(period, orders_column, "a", params, "orders_year")
        columns += [f"SUM({net}) AS n{i}", f"SUM({orders}) AS o{i}"]
    clauses, where_params = where.where("a")
    clauses.append(in_list("a.year", years_of(periods.values()), where_params))
    if limit_to is not None:
        clauses.append(in_list("a.account_id", limit_to, where_params))
    sql = (
        f"SELECT a.account_id AS account_id, {', '.join(columns)} "
        f"FROM {quote(AccountYear._meta.db_table)} a "
        f"WHERE {' AND '.join(clauses)} GROUP BY a.account_id"
    )
    return sql, params + where_params


def _amounts(names: list[str], values: Any) -> AccountAmounts | None:
    """An account's figures from the columns of _amounts_sql (None when all are nought)."""
    net = {n: money(values[2 * i]) for i, n in enumerate(names)}
    orders = {n: int(values[2 * i + 1] or 0) for i, n in enumerate(names)}
    return AccountAmounts(net, orders) if any(net.values()) or any(orders.values()) else None


@dataclass(frozen=True)
class AccountSheet:
    """One account of a rep's page: its figures, its name and code, and its visits."""

    account_id: int
    amounts: AccountAmounts
    name: str
    code: str
    visits: dict[str, int]


def account_sheets(
    where: Slice, periods: dict[str, Period], visit_periods: dict[str, Period], visitor_id: int
) -> list[AccountSheet]:
    """account_amounts, with each account's name and code and its visits by `visitor_id` in
    each of `visit_periods`, in one query (a rep's page lists hundreds of accounts)."""
    from rumbo.customers.models import Account

    sql, params = _amounts_sql(where, periods)
    sums = [
        f"SUM({year_sum(p, visits_column, 'v', params)}) AS w{i}"
        for i, p in enumerate(visit_periods.values())
    ]
    clauses = ["v.organisation_id = %s", "v.user_id = %s"]
    params += [where.organisation_id, visitor_id]
    clauses.append(in_list("v.year", years_of(visit_periods.values()), params))
    visits = (
        f"SELECT v.account_id AS account_id, {', '.join(sums)} "
        f"FROM {quote(AccountYearVisits._meta.db_table)} v "
        f"WHERE {' AND '.join(clauses)} GROUP BY v.account_id"
    )
    names, seen = list(periods), list(visit_periods)
    amounts = ", ".join(f"s.n{i}, s.o{i}" for i in range(len(names)))
    counts = ", ".join(f"v.w{i}" for i in range(len(seen)))
    sql = (
        f"SELECT s.account_id, {amounts}, c.trade_name, c.legal_name, c.external_code, "
        f"c.tax_id, {counts} FROM ({sql}) s "
        f"JOIN {quote(Account._meta.db_table)} c ON c.id = s.account_id "
        f"LEFT JOIN ({visits}) v ON v.account_id = s.account_id"
    )
    found = []
    width = 1 + 2 * len(names)
    for row in fetch(sql, params):
        figures = _amounts(names, row[1:width])
        if figures is None:
            continue
        trade, legal, code, tax = row[width : width + 4]
        visited = {n: int(v or 0) for n, v in zip(seen, row[width + 4 :], strict=True)}
        found.append(AccountSheet(row[0], figures, trade or legal, code or tax, visited))
    return found


def account_pairs(where: Slice, now: Period, before: Period) -> dict[int, tuple[int, int]]:
    """Account id → (net amount in `now`, in `before`) in céntimos, for accounts with either
    (whole numbers: a region's bridge does arithmetic on tens of thousands). For the
    territories of a region or company, `now` in one calendar year and `before` in the year
    before, one pass over AccountActivity (one row per account, both years in it) reads them,
    and the few accounts whose sales went to several territories are read from AccountYear."""
    year = now.first.year
    one_year = {m.year for m in now.months} == {year}
    whole = where.rep_id is None and where.account_id is None
    if not whole or not one_year or years_of([before]) != [year - 1]:
        return _account_pairs(where, now, before)
    found = _activity_pairs(where, year, now, before)
    mixed = list(
        AccountActivity.objects.filter(
            organisation_id=where.organisation_id, year=year, mixed=True
        ).values_list("account_id", flat=True)
    )
    if mixed:
        found |= _account_pairs(where, now, before, only=mixed)
    return found


def _months_sum(period: Period, column: Any, whole: str) -> str:
    """SQL: the sum of a row's monthly columns over the period's months (all in one year)."""
    if len(period.months) == len(MONTHS):
        return f"x.{quote(whole)}"
    return " + ".join(f"x.{quote(column(m.month))}" for m in period.months)


def _activity_pairs(
    where: Slice, year: int, now: Period, before: Period
) -> dict[int, tuple[int, int]]:
    params: list[Any] = []
    here, there = "TRUE", "TRUE"
    if where.territory_ids is not None:
        here = in_list("x.territory_id", where.territory_ids, params)
        there = in_list("x.prev_territory_id", where.territory_ids, params)
    elif where.credited:
        here, there = "x.territory_id IS NOT NULL", "x.prev_territory_id IS NOT NULL"
    a = _months_sum(now, net_column, "net_year")
    b = _months_sum(before, prev_net_column, "prev_net_year")
    rows = (
        f"SELECT x.account_id AS account_id, x.has_sales AND {here} AS here, "
        f"x.had_sales AND {there} AS there, {a} AS a, {b} AS b "
        f"FROM {quote(AccountActivity._meta.db_table)} x "
        "WHERE x.organisation_id = %s AND x.year = %s AND NOT x.mixed"
    )
    sql = (
        f"SELECT account_id, {_cents('CASE WHEN here THEN a ELSE 0 END')}, "
        f"{_cents('CASE WHEN there THEN b ELSE 0 END')} FROM ({rows}) t WHERE here OR there"
    )
    return _nonzero(fetch(sql, [*params, where.organisation_id, year]))


def _cents(amount: str) -> str:
    """SQL: an amount as a whole number of céntimos (SQLite's sums are floats: rounded)."""
    return f"CAST(ROUND(({amount}) * 100) AS BIGINT)"


def _nonzero(rows: list[tuple[Any, ...]]) -> dict[int, tuple[int, int]]:
    return {a: (int(x), int(y)) for a, x, y in rows if x or y}


def _account_pairs(
    where: Slice, now: Period, before: Period, only: list[int] | None = None
) -> dict[int, tuple[int, int]]:
    """account_pairs from AccountYear (of the accounts `only`, when given)."""
    params: list[Any] = []
    a = year_sum(now, net_column, "a", params, "net_year")
    b = year_sum(before, net_column, "a", params, "net_year")
    clauses, where_params = where.where("a")
    clauses.append(in_list("a.year", years_of([now, before]), where_params))
    if only is not None:
        clauses.append(in_list("a.account_id", only, where_params))
    sql = (
        f"SELECT a.account_id, {_cents(f'SUM({a})')}, {_cents(f'SUM({b})')} "
        f"FROM {quote(AccountYear._meta.db_table)} a "
        f"WHERE {' AND '.join(clauses)} GROUP BY a.account_id"
    )
    return _nonzero(fetch(sql, params + where_params))
