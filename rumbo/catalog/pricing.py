"""Which price applies to an account, and the IGV arithmetic.

Precedence: the account's own price list, then its channel's list, then the organisation's base
list (a list with neither channel nor account), then the product's list price. Only active lists
valid on the order date count. Every price is turned into a net unit price (without IGV).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from rumbo.catalog.models import PriceList, PriceListItem, Product
from rumbo.customers.models import Account

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def net_of_tax(gross: Decimal, rate: Decimal) -> Decimal:
    return gross / (1 + rate)


@dataclass(frozen=True)
class Price:
    product_id: int
    net_unit_price: Decimal
    source: str  # "account", "channel", "base" or "list"
    price_list_id: int | None


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    discount: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def line_amounts(
    *, quantity: Decimal, net_unit_price: Decimal, discount_pct: Decimal, tax_rate: Decimal
) -> LineAmounts:
    """Net (after discount), discount and IGV of one line, each rounded to cents."""
    gross_net = quantity * net_unit_price
    discount = money(gross_net * discount_pct / 100)
    net = money(gross_net) - discount
    return LineAmounts(net=net, discount=discount, tax=money(net * tax_rate))


class PriceBook:
    """All prices that apply to one account on one day, loaded with one query."""

    def __init__(
        self,
        account: Account,
        tax_rate: Decimal,
        on: dt.date | None = None,
        *,
        products: Iterable[int] | None = None,
    ) -> None:
        """`products` (ids) narrows the book to the prices an order needs."""
        self.account = account
        self.tax_rate = tax_rate
        lists = PriceList.objects.filter(
            organisation_id=account.organisation_id, is_active=True
        ).filter(
            Q(account=account)
            | Q(channel_id=account.channel_id)
            | Q(account__isnull=True, channel__isnull=True)
        )
        if on is not None:
            lists = lists.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=on)
            )
        items = PriceListItem.objects.filter(price_list__in=lists).select_related("price_list")
        if products is not None:
            items = items.filter(product_id__in=list(products))
        rank = {"account": 0, "channel": 1, "base": 2}
        self._best: dict[int, tuple[int, PriceListItem]] = {}
        for item in items:
            source = self._source(item.price_list)
            current = self._best.get(item.product_id)
            if current is None or rank[source] < current[0]:
                self._best[item.product_id] = (rank[source], item)

    @staticmethod
    def _source(price_list: PriceList) -> str:
        if price_list.account_id:
            return "account"
        return "channel" if price_list.channel_id else "base"

    def price(self, product: Product) -> Price:
        found = self._best.get(product.pk)
        if found is None:
            return Price(product.pk, product.list_price, "list", None)
        item = found[1]
        value = item.price
        if item.price_list.prices_include_tax and not product.tax_exempt:
            value = net_of_tax(value, self.tax_rate)
        return Price(product.pk, value, self._source(item.price_list), item.price_list_id)
