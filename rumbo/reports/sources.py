"""The SELECTs that compute report rollup rows (rumbo.reports.models) from their sources, written
once for both a rebuild (INSERT … SELECT) and a refresh (compared row by row): the monthly
sales summaries and visits for the first rollups, the first rollups for the ones folded from
them. The SQL runs on SQLite and PostgreSQL alike (written by the ORM where it can be).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from rumbo.interactions.models import Interaction
from rumbo.orders.models import MonthlySales
from rumbo.reports.models import (
    MONTHS,
    AccountYear,
    AccountYearVisits,
    TerritoryCategorySales,
    net_column,
    orders_column,
    prev_net_column,
    quantity_column,
    visits_column,
)


@dataclass(frozen=True)
class Source:
    """A SELECT over a source table giving rollup rows: its SQL and parameters, and the rollup
    columns it fills, in SELECT order (the key columns first)."""

    sql: str
    params: list[Any]
    columns: list[str]
    keys: int  # how many leading columns identify a rollup row


def _sql(queryset: Any) -> tuple[str, list[Any]]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def territory_source(model: Any, where: Q, by_category: bool) -> Source:
    keys = ["organisation_id", "month", "territory_id", "rep_id"]
    keys += ["category_id"] if by_category else []
    sums: dict[str, Any] = {"s_net": Sum("net_amount"), "s_qty": Sum("quantity")}
    sums["s_lines"] = Sum("lines")
    columns = [*keys, "net_amount", "quantity", "lines"]
    if not by_category:
        sums |= {"s_orders": Sum("orders"), "s_accounts": Count("account_id", distinct=True)}
        columns += ["orders", "accounts"]
    rows = model.objects.filter(where).order_by().values(*keys).annotate(**sums)
    return Source(*_sql(rows), columns, len(keys))


def _pivot(
    sql: str, keys: list[str], amounts: list[str], flag: str = "", totals: bool = False
) -> str:
    """SQL: the rows of `sql` (keys, yr, mo and amounts), one per key and month, turned into
    one row per key and year with a column per amount and month (then, with `totals`, one per
    amount for the whole year) and, with a `flag`, the bitmask of the months whose `flag` is
    above zero. The date functions run once per source row, not per column."""
    quote = connection.ops.quote_name
    group = ", ".join(quote(k) for k in [*keys, "yr"])
    columns = []
    for alias in amounts:
        columns += [f"SUM(CASE WHEN mo = {m} THEN {quote(alias)} ELSE 0 END)" for m in MONTHS]
    if totals:
        columns += [f"SUM({quote(alias)})" for alias in amounts]
    if flag:
        columns.append(
            " + ".join(
                f"MAX(CASE WHEN mo = {m} AND {quote(flag)} > 0 THEN {1 << (m - 1)} ELSE 0 END)"
                for m in MONTHS
            )
        )
    return f"SELECT {group}, {', '.join(columns)} FROM ({sql}) t GROUP BY {group}"


def category_year_source(where: Q) -> Source:
    """TerritoryCategoryYear rows from TerritoryCategorySales rows matching `where`."""
    keys = ["organisation_id", "territory_id", "category_id"]
    inner = (
        TerritoryCategorySales.objects.filter(where).order_by()
        .annotate(yr=ExtractYear("month"), mo=ExtractMonth("month"))
        .values(*keys, "yr", "mo")
        .annotate(s_net=Sum("net_amount"), s_qty=Sum("quantity"), s_rows=Count("id"))
    )  # fmt: skip
    sql, params = _sql(inner)
    outer = _pivot(sql, keys, ["s_net", "s_qty"], "s_rows", totals=True)
    columns = [*keys, "year", *(net_column(m) for m in MONTHS)]
    columns += [*(quantity_column(m) for m in MONTHS), "net_year", "quantity_year", "months"]
    return Source(outer, params, columns, len(keys) + 1)


def account_source(where: Q) -> Source:
    keys = ["organisation_id", "account_id", "territory_id", "rep_id"]
    inner = (
        MonthlySales.objects.filter(where).order_by()
        .annotate(yr=ExtractYear("month"), mo=ExtractMonth("month"))
        .values(*keys, "yr", "mo").annotate(s_net=Sum("net_amount"), s_orders=Sum("orders"))
    )  # fmt: skip
    sql, params = _sql(inner)
    outer = _pivot(sql, keys, ["s_net", "s_orders"], "s_orders", totals=True)
    columns = [*keys, "year", *(net_column(m) for m in MONTHS)]
    columns += [*(orders_column(m) for m in MONTHS), "net_year", "orders_year", "order_months"]
    return Source(outer, params, columns, len(keys) + 1)


def visit_source(where: Q) -> Source:
    keys = ["organisation_id", "account_id", "user_id"]
    inner = (
        Interaction.objects.filter(where, kind=Interaction.Kind.VISIT).order_by()
        .annotate(yr=ExtractYear("occurred_at"), mo=ExtractMonth("occurred_at"))
        .values(*keys, "yr", "mo").annotate(s_visits=Count("id"))
    )  # fmt: skip
    sql, params = _sql(inner)
    outer = _pivot(sql, keys, ["s_visits"], "s_visits")
    columns = [*keys, "year", *(visits_column(m) for m in MONTHS), "visit_months"]
    return Source(outer, params, columns, len(keys) + 1)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _bits_or(column: str) -> str:
    """SQL: the bitwise OR of a month bitmask over the rows of a group (SQLite has no BIT_OR)."""
    return " + ".join(f"MAX({column} & {1 << (m - 1)})" for m in MONTHS)


def activity_source(organisation_id: int, account_ids: list[int] | None = None) -> Source:
    """AccountActivity rows from AccountYear and AccountYearVisits: of the organisation's
    accounts, or of these accounts only."""
    quote = connection.ops.quote_name
    only = ""
    if account_ids is not None:  # written out: six subqueries would need six times as many
        only = f" AND account_id IN ({', '.join(str(int(i)) for i in account_ids) or 'NULL'})"
    scope = f"WHERE organisation_id = %s{only}"
    sales_table, visits_table = _table(AccountYear), _table(AccountYearVisits)
    nets = ", ".join(f"SUM({quote(net_column(m))}) AS n{m}" for m in MONTHS)
    sales = (
        "SELECT account_id, year, MIN(COALESCE(territory_id, 0)) AS lo, "
        f"MAX(COALESCE(territory_id, 0)) AS hi, {_bits_or('order_months')} AS months, "
        f"{nets}, SUM(net_year) AS n0 FROM {sales_table} {scope} GROUP BY account_id, year"
    )
    visits_sums = ", ".join(f"SUM({quote(visits_column(m))}) AS v{m}" for m in MONTHS)
    visits = (
        f"SELECT account_id, year, {_bits_or('visit_months')} AS months, {visits_sums} "
        f"FROM {visits_table} {scope} GROUP BY account_id, year"
    )
    keys = (
        f"SELECT account_id, year FROM {sales_table} {scope} UNION "
        f"SELECT account_id, year + 1 FROM {sales_table} {scope} UNION "
        f"SELECT account_id, year FROM {visits_table} {scope}"
    )
    one = "CASE WHEN {t}.lo = {t}.hi AND {t}.lo <> 0 THEN {t}.lo END"
    amounts = [f"COALESCE({{t}}.n{m}, 0)" for m in [*MONTHS, 0]]  # the months, then the year
    values = [
        "%s", "k.account_id", "k.year",
        "CASE WHEN s.account_id IS NULL THEN FALSE ELSE TRUE END", one.format(t="s"),
        "COALESCE(s.months, 0)",
        "CASE WHEN p.account_id IS NULL THEN FALSE ELSE TRUE END", one.format(t="p"),
        "COALESCE(p.months, 0)",
        "CASE WHEN s.lo <> s.hi OR p.lo <> p.hi THEN TRUE ELSE FALSE END",
        *(a.format(t="s") for a in amounts), *(a.format(t="p") for a in amounts),
        "COALESCE(v.months, 0)", *(f"COALESCE(v.v{m}, 0)" for m in MONTHS),
    ]  # fmt: skip
    sql = (
        f"SELECT {', '.join(values)} FROM ({keys}) k "
        f"LEFT JOIN ({sales}) s ON s.account_id = k.account_id AND s.year = k.year "
        f"LEFT JOIN ({sales}) p ON p.account_id = k.account_id AND p.year = k.year - 1 "
        f"LEFT JOIN ({visits}) v ON v.account_id = k.account_id AND v.year = k.year "
        "ORDER BY k.year, k.account_id"  # a rebuild stores each year's rows together
    )
    columns = [
        "organisation_id", "account_id", "year", "has_sales", "territory_id", "order_months",
        "had_sales", "prev_territory_id", "prev_order_months", "mixed",
        *(net_column(m) for m in MONTHS), "net_year",
        *(prev_net_column(m) for m in MONTHS), "prev_net_year",
        "visit_months", *(visits_column(m) for m in MONTHS),
    ]  # fmt: skip
    # The organisation for the SELECT's first %s parameter, then for those of keys, s, p and v.
    return Source(sql, [organisation_id] * 7, columns, 3)


def category_source(organisation_id: int, months: list[dt.date] | None = None) -> Source:
    """CategorySales rows from TerritoryCategorySales: of every month, or of these."""
    params: list[Any] = [organisation_id]
    only = ""
    if months is not None:
        only = f" AND month IN ({', '.join(['%s'] * len(months))})"
        params += months
    credited = "CASE WHEN territory_id IS NULL THEN FALSE ELSE TRUE END"
    sql = (
        f"SELECT organisation_id, month, category_id, {credited}, SUM(net_amount), "
        f"SUM(quantity) FROM {_table(TerritoryCategorySales)} "
        f"WHERE organisation_id = %s{only} GROUP BY organisation_id, month, category_id, "
        f"{credited}"
    )
    columns = ["organisation_id", "month", "category_id", "credited", "net_amount", "quantity"]
    return Source(sql, params, columns, 4)
