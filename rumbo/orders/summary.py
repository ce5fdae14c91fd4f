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

from rumbo.core.fastsql import insert
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


def _where(key: dict[str, Any]) -> tuple[str, list[Any]]:
    """The WHERE of a summary row's key (column names); None is IS NULL, as the ORM writes it."""
    parts, params = [], []
    for column, value in key.items():
        if value is None:
            parts.append(f"{connection.ops.quote_name(column)} IS NULL")
            continue
        parts.append(f"{connection.ops.quote_name(column)} = %s")
        if isinstance(value, dt.date):
            value = connection.ops.adapt_datefield_value(value)
        params.append(value)
    return " AND ".join(parts), params


def _add(model: Any, key: dict[str, Any], amounts: dict[str, Any]) -> None:
    """Add the amounts to the key's row, or create it. The UPDATE is in SQL of our own: it
    runs on every sale, and the ORM's statement costs more CPU than its run."""
    quote = connection.ops.quote_name
    where, params = _where(key)
    sets = ", ".join(f"{quote(f)} = {quote(f)} + %s" for f in amounts)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*amounts.values(), *params])
        updated = cursor.rowcount
    if not updated:
        insert([model(**key, **amounts)])


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


def _increment(rows: list[tuple[int, Decimal, Decimal, int]]) -> None:
    """Add (net, units, lines) to category summary rows by id, in one UPDATE."""
    table = connection.ops.quote_name(MonthlyCategorySales._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"WITH v(id, net, qty, n) AS (VALUES {values}) UPDATE {table} SET "
        f"net_amount = {table}.net_amount + v.net, quantity = {table}.quantity + v.qty, "
        f"lines = {table}.lines + v.n FROM v WHERE {table}.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _add_categories(key: dict[str, Any], rows: list[dict[str, Any]], sign: int) -> None:
    """All of an order's categories in three statements: find their summary rows, add to them,
    create the missing ones (the caller holds the account's lock, so nobody writes them
    meanwhile)."""
    wanted = {row["product__category_id"]: row for row in rows}
    if not wanted:
        return
    where, params = _where(key)
    marks = ", ".join(["%s"] * len(wanted))
    table = connection.ops.quote_name(MonthlyCategorySales._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, category_id FROM {table} WHERE {where} AND category_id IN ({marks})",
            [*params, *wanted],
        )
        existing = cursor.fetchall()
    updates = []
    for pk, category in existing:
        row = wanted.pop(category, None)
        if row is not None:  # (a second row of one category gets nothing)
            updates.append((pk, sign * row["net"], sign * row["qty"], sign * row["n"]))
    if updates:
        _increment(updates)
    insert([
        MonthlyCategorySales(
            **key, category_id=category, net_amount=sign * row["net"],
            quantity=sign * row["qty"], lines=sign * row["n"],
        )
        for category, row in wanted.items()
    ])  # fmt: skip


def record_sale(order: Order, sign: int, lines: Sequence[OrderLine] | None = None) -> None:
    """Add (sign=1) or remove (sign=-1) an order's lines in its month's summaries."""
    key = {
        "organisation_id": order.organisation_id,
        "month": order.ordered_on.replace(day=1),
        "account_id": order.account_id,
        "territory_id": order.territory_id,
        "rep_id": order.rep_id,
    }
    by_category = _by_category(order, lines)
    _add_categories(key, by_category, sign)
    totals = {
        "net_amount": sign * sum((row["net"] for row in by_category), Decimal(0)),
        "quantity": sign * sum((row["qty"] for row in by_category), Decimal(0)),
        "lines": sign * sum(row["n"] for row in by_category),
        "orders": sign,
    }
    _add(MonthlySales, key, totals)
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
