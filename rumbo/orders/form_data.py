"""What the order form needs, online and offline: the accounts a user may write orders for
(nearest first when the device gives its location), what each one owes on open orders, the
suggestions for each account, and the rules the form checks before sending.

Everything here is scoped: the accounts come from `Account.objects.visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Lower

from rumbo.core.fastsql import columns, select
from rumbo.core.models import Organisation, Role, User
from rumbo.customers.models import Account, AccountQuerySet
from rumbo.customers.selectors import search
from rumbo.engine.geo import haversine_km
from rumbo.orders.models import (
    OPEN_STATUSES,
    SALES_STATUSES,
    Order,
    OrderLine,
    OrderPolicy,
    QuantityLimit,
)
from rumbo.orders.rules import MAX_QUANTITY, allowed_discount
from rumbo.territories.scoping import scope_for

CENT = Decimal("0.01")
WRITERS = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})
USUAL_WINDOW_DAYS = 182  # the usual basket looks at the last six months
USUAL_SHARE = 0.4  # a product is usual when it is in 40 % of those orders (and at least 2)
MAX_SUGGESTIONS = 12
ACCOUNT_FIELDS = (
    "pk", "trade_name", "legal_name", "tax_id", "external_code", "channel_id", "channel__name",
    "address", "distrito__name", "lat", "lon", "location_precision", "credit_limit",
    "territory_id", "status",
)  # fmt: skip


def may_write_orders(user: User) -> bool:
    return user.role in WRITERS


def order_accounts_qs(user: User, text: str = "") -> AccountQuerySet:
    """The accounts the user may write orders for: visible, not lost."""
    accounts = Account.objects.visible_to(user).exclude(status=Account.Status.INACTIVE)
    return search(accounts, text) if text.strip() else accounts


def account_for_order(user: User, account_id: int) -> Account | None:
    """The account with its organisation, if the user may write orders for it (as in
    `order_accounts_qs`: visible, not lost); else None. In SQL of our own, the scope checked on
    the row in hand (`Scope.covers`): it runs on every order, and building the ORM's query costs
    more CPU than its run."""
    found = select(
        f"SELECT {columns(Account, 'a')}, {columns(Organisation, 'o')} FROM customers_account a "
        "JOIN core_organisation o ON o.id = a.organisation_id WHERE a.id = %s",
        [account_id],
        Account,
        Organisation,
    )
    if not found:
        return None
    account, organisation = found[0]
    visible = scope_for(user).covers(account.organisation_id, account.territory_id)
    if not visible or account.status == Account.Status.INACTIVE:
        return None
    account.organisation = organisation
    return account


def _minimums(organisation_id: int) -> dict[int | None, Decimal]:
    rows = OrderPolicy.objects.filter(organisation_id=organisation_id)
    return {row.channel_id: row.min_order_amount for row in rows}


def _open_amounts(accounts: AccountQuerySet) -> dict[int, Decimal]:
    rows = (
        Order.objects.filter(account__in=accounts.order_by().values("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("account_id")
        .annotate(s=Sum("total_amount"))
    )
    return {row["account_id"]: Decimal(row["s"]).quantize(CENT) for row in rows}


def _row(values: dict[str, Any], open_amount: Decimal, minimum: Decimal) -> dict[str, Any]:
    return {
        "id": values["pk"],
        "name": values["trade_name"] or values["legal_name"],
        "legal_name": values["legal_name"],
        "tax_id": values["tax_id"],
        "code": values["external_code"],
        "channel_id": values["channel_id"],
        "channel": values["channel__name"],
        "address": values["address"],
        "distrito": (values["distrito__name"] or "").title(),
        "lat": values["lat"],
        "lon": values["lon"],
        "approximate": values["location_precision"] == Account.LocationPrecision.DISTRICT,
        "status": values["status"],
        "territory_id": values["territory_id"],
        "credit_limit": values["credit_limit"],
        "open_amount": open_amount,
        "min_order_amount": minimum,
        "distance_km": None,
    }


def _by_distance(rows: list[dict[str, Any]], near: tuple[float, float]) -> list[dict[str, Any]]:
    """Nearest first (great-circle km from the device), accounts without a location last."""
    placed = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
    if placed:
        km = haversine_km(near[0], near[1], [r["lat"] for r in placed], [r["lon"] for r in placed])
        for row, distance in zip(placed, km.tolist(), strict=True):
            row["distance_km"] = round(distance, 3)
    return sorted(rows, key=lambda r: (r["distance_km"] is None, r["distance_km"] or 0.0))


def order_accounts(
    user: User, *, text: str = "", near: tuple[float, float] | None = None
) -> list[dict[str, Any]]:
    """Compact rows of the accounts the user may write orders for, by name or by distance."""
    accounts = order_accounts_qs(user, text)
    open_amounts = _open_amounts(accounts)
    minimums = _minimums(user.organisation_id)
    general = minimums.get(None, Decimal("0"))
    values = accounts.annotate(_name=Lower("trade_name")).order_by("_name", "legal_name", "pk")
    rows = [
        _row(v, open_amounts.get(v["pk"], Decimal("0")), minimums.get(v["channel_id"], general))
        for v in values.values(*ACCOUNT_FIELDS)
    ]
    return _by_distance(rows, near) if near is not None else rows


def _rounded(value: Decimal, whole: bool) -> Decimal:
    """A suggested quantity: whole units when the account buys whole units, never below one
    step."""
    step = Decimal("1") if whole else Decimal("0.001")
    return max(value.quantize(step, rounding=ROUND_HALF_UP), step)


def _is_whole(values: Any) -> bool:
    return all(v == v.to_integral_value() for v in values)


def _lines(account_ids: list[int], since: dt.date, until: dt.date) -> list[tuple[Any, ...]]:
    return list(
        OrderLine.objects.filter(
            order__account_id__in=account_ids,
            order__status__in=SALES_STATUSES,
            order__ordered_on__gte=since,
            order__ordered_on__lte=until,
            is_free=False,
            product__is_active=True,
            product__discontinued=False,
        ).values_list("order__account_id", "order_id", "product_id", "quantity")
    )


def _grouped(
    rows: list[tuple[Any, ...]],
) -> dict[int, tuple[set[int], dict[int, dict[int, Decimal]]]]:
    """account → (its orders, product → order → units)."""
    out: dict[int, tuple[set[int], dict[int, dict[int, Decimal]]]] = {}
    for account_id, order_id, product_id, quantity in rows:
        orders, products = out.setdefault(account_id, (set(), defaultdict(dict)))
        orders.add(order_id)
        per_order = products[product_id]
        per_order[order_id] = per_order.get(order_id, Decimal("0")) + quantity
    return out


def _usual(orders: set[int], products: dict[int, dict[int, Decimal]]) -> list[dict[str, Any]]:
    needed = max(2, math.ceil(USUAL_SHARE * len(orders)))
    found: list[tuple[int, int, Decimal]] = [
        (len(per), pid, _rounded(Decimal(statistics.median(per.values())), _is_whole(per.values())))
        for pid, per in products.items()
        if len(per) >= needed
    ]
    found.sort(key=lambda row: (-row[0], row[1]))
    return [
        {"product": pid, "quantity": quantity, "times": times, "of": len(orders)}
        for times, pid, quantity in found[:MAX_SUGGESTIONS]
    ]


def _last_year(orders: set[int], products: dict[int, dict[int, Decimal]]) -> list[dict[str, Any]]:
    """What the account bought that month, with the quantity per order of that month."""
    found: list[tuple[Decimal, int, dict[int, Decimal]]] = [
        (sum(per.values(), Decimal("0")), pid, per) for pid, per in products.items()
    ]
    found.sort(key=lambda row: (-row[0], row[1]))
    return [
        {"product": pid, "quantity": _rounded(bought / len(orders), _is_whole(per.values())),
         "bought": bought, "orders": len(per)}
        for bought, pid, per in found[:MAX_SUGGESTIONS]
    ]  # fmt: skip


def same_month_last_year(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today.replace(year=today.year - 1, day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def suggestions(account_ids: list[int], today: dt.date) -> dict[int, dict[str, Any]]:
    """Per account: its usual basket (products in 40 % of its orders of the last six months,
    with their median quantity) and what it bought in the same month last year (spread over
    that month's orders)."""
    usual = _grouped(_lines(account_ids, today - dt.timedelta(days=USUAL_WINDOW_DAYS), today))
    start, end = same_month_last_year(today)
    seasonal = _grouped(_lines(account_ids, start, end))
    out: dict[int, dict[str, Any]] = {}
    for account_id in account_ids:
        found = usual.get(account_id)
        last = seasonal.get(account_id)
        out[account_id] = {
            "usual": _usual(*found) if found else [],
            "last_year": _last_year(*last) if last else [],
            "last_year_month": start.isoformat()[:7],
        }
    return out


def order_rules(user: User) -> dict[str, Any]:
    """The limits the order form checks before sending (the server checks them again)."""
    org = user.organisation
    policies = OrderPolicy.objects.filter(organisation_id=org.pk).order_by("pk")
    limits = QuantityLimit.objects.filter(organisation_id=org.pk).order_by("product_id")
    return {
        "currency": org.currency,
        "tax_rate": org.tax_rate,
        "max_quantity": MAX_QUANTITY,
        "max_discount_pct": allowed_discount(user),
        "policies": [
            {
                "channel": p.channel_id,
                "min_order_amount": p.min_order_amount,
                "max_line_quantity": p.max_line_quantity,
            }
            for p in policies
        ],
        "limits": [
            {
                "product": q.product_id,
                "min_quantity": q.min_quantity,
                "max_quantity": q.max_quantity,
                "multiple_of": q.multiple_of,
            }
            for q in limits
        ],
    }
