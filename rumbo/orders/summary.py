"""The monthly sales summaries that reports read instead of the order lines.

`record_sale` adds an order to (or, with sign -1, takes it out of) the summaries when it enters
or leaves the sales statuses; the order services call it inside their transaction, after locking
the account row, so that two orders of one account never race on the same summary row.
`rebuild` recomputes an organisation's summaries from the order lines in two SQL statements.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Sum

from rumbo.customers.models import Account
from rumbo.orders.models import SALES_STATUSES, MonthlyCategorySales, MonthlySales, Order


def lock_account(account_id: int) -> None:
    """Serialise the writes that touch one account's summaries."""
    list(Account.objects.select_for_update().filter(pk=account_id).values_list("pk"))


def _add(model: Any, key: dict[str, Any], amounts: dict[str, Any]) -> None:
    updated = model.objects.filter(**key).update(**{f: F(f) + v for f, v in amounts.items()})
    if not updated:
        model.objects.create(**key, **amounts)


def record_sale(order: Order, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) an order's lines in its month's summaries."""
    key = {
        "organisation_id": order.organisation_id,
        "month": order.ordered_on.replace(day=1),
        "account_id": order.account_id,
        "territory_id": order.territory_id,
        "rep_id": order.rep_id,
    }
    by_category = (
        order.lines.values("product__category_id")
        .order_by()
        .annotate(net=Sum("net_amount"), qty=Sum("quantity"), n=Count("id"))
    )
    totals = {"net_amount": Decimal(0), "quantity": Decimal(0), "lines": 0, "orders": sign}
    for row in by_category:
        amounts = {
            "net_amount": sign * row["net"],
            "quantity": sign * row["qty"],
            "lines": sign * row["n"],
        }
        _add(MonthlyCategorySales, {**key, "category_id": row["product__category_id"]}, amounts)
        for field, value in amounts.items():
            totals[field] += value
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
