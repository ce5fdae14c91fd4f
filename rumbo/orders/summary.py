"""The monthly sales summaries that reports read instead of the order lines.

`record_sale` adds an order to (or, with sign -1, takes it out of) the summaries when it enters
or leaves the sales statuses; the order services call it inside their transaction, after locking
the account row, so that two orders of one account never race on the same summary row.
`rebuild` recomputes an organisation's summaries from the order lines in two SQL statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum

from rumbo.core.fastsql import Writes
from rumbo.customers.models import Account
from rumbo.orders.models import (
    SALES_STATUSES,
    MonthlyCategorySales,
    MonthlySales,
    Order,
    OrderLine,
)


def lock_account(account_id: int) -> None:
    """Serialise the writes that touch one account's summaries (inside a transaction). In SQL
    of our own: it runs on every order, and the ORM's query costs more CPU than its run."""
    table = connection.ops.quote_name(Account._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # not on SQLite
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id = %s{lock}", [account_id])


def _mark(field: str) -> str:
    """The parameter marker (%s) for a value of a summary column, which both summaries share:
    typed on PostgreSQL, where a value that an INSERT ... SELECT takes from its SELECT list
    needs a type."""
    if connection.vendor != "postgresql":
        return "%s"
    found: Any = MonthlySales._meta.get_field(field)
    return f"%s::{found.db_type(connection)}"


def _where(key: dict[str, Any], table: str) -> tuple[str, list[Any]]:
    """The WHERE of a summary row's key (column names); None is IS NULL, as the ORM writes it."""
    parts, params = [], []
    for column, value in key.items():
        if value is None:
            parts.append(f"{table}.{connection.ops.quote_name(column)} IS NULL")
            continue
        parts.append(f"{table}.{connection.ops.quote_name(column)} = %s")
        params.append(_value(value))
    return " AND ".join(parts), params


def _value(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value


def _key_values(key: dict[str, Any]) -> tuple[str, str, list[Any]]:
    """The key's columns, their typed parameter markers, and their values, for an INSERT."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in key)
    marks = ", ".join(_mark(column.removesuffix("_id")) for column in key)
    return columns, marks, [_value(value) for value in key.values()]


def _add(key: dict[str, Any], amounts: dict[str, Any], writes: Writes) -> None:
    """Add the amounts to the key's account row, or create it: an UPDATE, and an INSERT when
    no row had the key before (the caller holds the account's lock, so nobody writes it
    meanwhile)."""
    quote = connection.ops.quote_name
    table = quote(MonthlySales._meta.db_table)
    where, params = _where(key, table)
    sets = ", ".join(f"{quote(f)} = {table}.{quote(f)} + %s" for f in amounts)
    writes.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*amounts.values(), *params])
    columns, marks, values = _key_values(key)
    names = ", ".join(quote(f) for f in amounts)
    amount_marks = ", ".join(_mark(f) for f in amounts)
    where, params = _where(key, "s")
    writes.execute(
        f"INSERT INTO {table} ({columns}, {names}) SELECT {marks}, {amount_marks} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE {where})",
        [*values, *amounts.values(), *params],
    )


def _by_category(order: Order, lines: Sequence[OrderLine] | None) -> list[dict[str, Any]]:
    """Net, units and line count per category: summed from the lines in hand when the caller
    has them (a new order), else by the database."""
    if lines is None:
        return list(
            order.lines.values("product__category_id")
            .order_by()
            .annotate(net=Sum("net_amount"), qty=Sum("quantity"), n=Count("id"))
        )
    sums: dict[int, dict[str, Any]] = {}
    for line in lines:
        row = sums.setdefault(
            line.product.category_id,
            {"product__category_id": line.product.category_id, "net": Decimal(0),
             "qty": Decimal(0), "n": 0},
        )  # fmt: skip
        row["net"] += line.net_amount
        row["qty"] += line.quantity
        row["n"] += 1
    return sorted(sums.values(), key=lambda row: row["product__category_id"])


def _categories(rows: list[tuple[int, Decimal, Decimal, int]]) -> tuple[str, list[Any]]:
    """The rows (category, net, units, lines) as a table `v` to select from: on PostgreSQL
    one array per column, so that the statement's text is the same for any number of rows."""
    if connection.vendor == "postgresql":
        return (
            "unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::integer[]) "
            "AS v(category_id, net, qty, n)",
            [list(column) for column in zip(*rows, strict=True)],
        )
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    return (
        "(SELECT column1 AS category_id, column2 AS net, column3 AS qty, column4 AS n "
        f"FROM (VALUES {values})) AS v",
        [value for row in rows for value in row],
    )


def _add_categories(
    key: dict[str, Any], rows: list[dict[str, Any]], sign: int, writes: Writes
) -> None:
    """Add each category's net, units and lines to its row, and create the rows missing: an
    UPDATE and an INSERT of the categories that had no row before (under the account's lock)."""
    if not rows:
        return
    table = connection.ops.quote_name(MonthlyCategorySales._meta.db_table)
    source, values = _categories([
        (row["product__category_id"], sign * row["net"], sign * row["qty"], sign * row["n"])
        for row in rows
    ])  # fmt: skip
    where, params = _where(key, table)
    writes.execute(
        f"UPDATE {table} SET net_amount = {table}.net_amount + v.net, "
        f"quantity = {table}.quantity + v.qty, lines = {table}.lines + v.n "
        f"FROM {source} WHERE {where} AND {table}.category_id = v.category_id",
        [*values, *params],
    )
    columns, marks, key_values = _key_values(key)
    where, params = _where(key, "s")
    writes.execute(
        f"INSERT INTO {table} ({columns}, category_id, net_amount, quantity, lines) "
        f"SELECT {marks}, v.category_id, v.net, v.qty, v.n FROM {source} WHERE NOT EXISTS "
        f"(SELECT 1 FROM {table} s WHERE {where} AND s.category_id = v.category_id)",
        [*key_values, *values, *params],
    )


def record_sale(
    order: Order, sign: int, lines: Sequence[OrderLine] | None = None,
    writes: Writes | None = None,
) -> None:  # fmt: skip
    """Add (sign=1) or remove (sign=-1) an order's lines in its month's summaries; with
    `writes`, the statements go with the caller's other writes."""
    key = {
        "organisation_id": order.organisation_id,
        "month": order.ordered_on.replace(day=1),
        "account_id": order.account_id,
        "territory_id": order.territory_id,
        "rep_id": order.rep_id,
    }
    own = writes is None
    writes = writes or Writes()
    by_category = _by_category(order, lines)
    _add_categories(key, by_category, sign, writes)
    totals = {
        "net_amount": sign * sum((row["net"] for row in by_category), Decimal(0)),
        "quantity": sign * sum((row["qty"] for row in by_category), Decimal(0)),
        "lines": sign * sum(row["n"] for row in by_category),
        "orders": sign,
    }
    _add(key, totals, writes)
    if own:
        writes.send()
    if sign < 0:
        MonthlySales.objects.filter(**key, orders__lte=0).delete()
        MonthlyCategorySales.objects.filter(**key, lines__lte=0).delete()


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _insert_select(
    table: str, keys: list[tuple[str, str]], sums: list[tuple[str, str]], join: str, where: str
) -> str:
    """INSERT INTO table the sums per key; keys and sums are (column, SQL expression) pairs."""
    columns = ", ".join(column for column, _ in keys + sums)
    selected = ", ".join(expression for _, expression in keys + sums)
    grouped = ", ".join(expression for _, expression in keys)
    return (
        f"INSERT INTO {table} ({columns}) SELECT {selected} "
        f"FROM orders_order o JOIN orders_orderline l ON l.order_id = o.id {join} "
        f"WHERE {where} GROUP BY {grouped}"
    )


def _sql(organisation_id: int) -> list[tuple[str, list[Any]]]:
    statuses = [str(s) for s in SALES_STATUSES]
    where = f"o.organisation_id = %s AND o.status IN ({', '.join(['%s'] * len(statuses))})"
    params = [organisation_id, *statuses]
    keys = [
        ("organisation_id", "o.organisation_id"),
        ("month", _month("o.ordered_on")),
        ("account_id", "o.account_id"),
        ("territory_id", "o.territory_id"),
        ("rep_id", "o.rep_id"),
    ]
    amounts = [("net_amount", "SUM(l.net_amount)"), ("quantity", "SUM(l.quantity)")]
    accounts = _insert_select(
        MonthlySales._meta.db_table,
        keys,
        [*amounts, ("orders", "COUNT(DISTINCT o.id)"), ("lines", "COUNT(l.id)")],
        "",
        where,
    )
    categories = _insert_select(
        MonthlyCategorySales._meta.db_table,
        [*keys, ("category_id", "p.category_id")],
        [*amounts, ("lines", "COUNT(l.id)")],
        "JOIN catalog_product p ON p.id = l.product_id",
        where,
    )
    return [(accounts, params), (categories, params)]


@transaction.atomic
def rebuild(*, organisation_id: int) -> dict[str, int]:
    """Recompute one organisation's summaries from its order lines; returns row counts."""
    MonthlySales.objects.filter(organisation_id=organisation_id).delete()
    MonthlyCategorySales.objects.filter(organisation_id=organisation_id).delete()
    with connection.cursor() as cursor:
        for sql, params in _sql(organisation_id):
            cursor.execute(sql, params)
    return {
        "monthly_sales": MonthlySales.objects.filter(organisation_id=organisation_id).count(),
        "monthly_category_sales": MonthlyCategorySales.objects.filter(
            organisation_id=organisation_id
        ).count(),
    }
