"""Reads behind the order screens and endpoints: the scoped, filtered list, one order with its
lines and history, what an order to copy carries over, and the products a new order names.

Suggestions and the accounts of the order form are in form_data.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404

from rumbo.core.models import User
from rumbo.customers.models import Account
from rumbo.customers.selectors import search
from rumbo.orders.models import Order, OrderLine, OrderQuerySet, OrderStatusChange
from rumbo.territories.models import Territory


@dataclass(frozen=True)
class OrderFilters:
    """What the order list is narrowed to; every field optional."""

    status: str = ""
    account_id: int | None = None
    rep_id: int | None = None
    territory_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""
    updated_since: dt.datetime | None = None

    def apply(self, orders: OrderQuerySet, user: User) -> OrderQuerySet:
        if self.status:
            orders = orders.filter(status=self.status)
        if self.account_id is not None:
            orders = orders.filter(account_id=self.account_id)
        if self.rep_id is not None:
            orders = orders.filter(rep_id=self.rep_id)
        if self.territory_id is not None:
            path = (
                Territory.objects.visible_to(user)
                .filter(pk=self.territory_id)
                .values_list("path", flat=True)
                .first()
            )
            orders = orders.filter(territory__path__startswith=path) if path else orders.none()
        if self.since:
            orders = orders.filter(ordered_on__gte=self.since)
        if self.until:
            orders = orders.filter(ordered_on__lte=self.until)
        if self.updated_since:
            orders = orders.filter(updated_at__gte=self.updated_since)
        return _search(orders, self.text, user) if self.text.strip() else orders


def _search(orders: OrderQuerySet, text: str, user: User) -> OrderQuerySet:
    """The number or external code contains the text, or the account's name or RUC has every
    word of it (accents aside)."""
    text = text.strip()
    accounts = search(Account.objects.visible_to(user), text)
    return orders.filter(
        Q(number__icontains=text) | Q(external_code__icontains=text) | Q(account__in=accounts)
    )


def order_list(user: User, filters: OrderFilters) -> OrderQuerySet:
    """The orders the user may see, newest first, with what each row shows."""
    orders = Order.objects.visible_to(user).select_related("account", "rep", "territory")
    return filters.apply(orders, user).order_by("-ordered_on", "-id")


def with_lines_and_history(orders: OrderQuerySet) -> OrderQuerySet:
    lines = OrderLine.objects.select_related("product__unit", "promotion").order_by("pk")
    history = OrderStatusChange.objects.select_related("by").order_by("at", "pk")
    return orders.prefetch_related(Prefetch("lines", lines), Prefetch("history", history))


def order_detail(user: User, pk: int) -> Order:
    """The order `pk` if the user may see it (else 404), with lines and history."""
    orders = with_lines_and_history(
        Order.objects.visible_to(user).select_related("account", "rep", "territory", "created_by")
    )
    order = orders.filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def attach(order: Order, lines: list[OrderLine], history: list[OrderStatusChange]) -> Order:
    """Give an order in hand its lines and history as prefetch_related would (a queryset with
    its results filled in), so that showing a just-written order needs no query."""
    cache: dict[str, Any] = getattr(order, "_prefetched_objects_cache", {})
    for name, rows in (("lines", lines), ("history", history)):
        manager = getattr(order, name)
        cache.pop(name, None)
        queryset = manager.get_queryset()
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
    order._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    return order


def copy_lines(order: Order) -> list[dict[str, Any]]:
    """The lines to start a new order from (free units come back from the promotion)."""
    return [
        {"product": line.product_id, "quantity": str(line.quantity),
         "discount_pct": str(line.discount_pct)}
        for line in order.lines.all()
        if not line.is_free
    ]  # fmt: skip
