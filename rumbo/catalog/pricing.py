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
from typing import NamedTuple

from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.catalog.models import Product
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


RANK = {"account": 0, "channel": 1, "base": 2}


class _Item(NamedTuple):
    """The price of one product in one list, with what the book needs of the list."""

    price: Decimal
    price_list_id: int
    source: str
    prices_include_tax: bool


class PriceBook:
    """All prices that apply to one account on one day (any day when `on` is None), from the
    organisation's catalogue (rumbo.catalog.cache)."""

    def __init__(
        self,
        account: Account,
        tax_rate: Decimal,
        on: dt.date | None = None,
        *,
        products: Iterable[int] | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        """`products` (ids) narrows the book to the prices an order needs; `catalogue`, when the
        caller has it at hand."""
        self.account = account
        self.tax_rate = tax_rate
        self._best: dict[int, tuple[int, _Item]] = {}
        catalogue = catalogue or catalogue_of(account.organisation_id)
        for item in catalogue.price_rows(account.pk, account.channel_id, on, products):
            source = self._source(item.list_account_id, item.list_channel_id)
            current = self._best.get(item.product_id)
            if current is None or RANK[source] < current[0]:
                self._best[item.product_id] = (
                    RANK[source],
                    _Item(item.price, item.price_list_id, source, item.list_with_tax),
                )

    @staticmethod
    def _source(account_id: int | None, channel_id: int | None) -> str:
        if account_id:
            return "account"
        return "channel" if channel_id else "base"

    def price(self, product: Product) -> Price:
        found = self._best.get(product.pk)
        if found is None:
            return Price(product.pk, product.list_price, "list", None)
        item = found[1]
        value = item.price
        if item.prices_include_tax and not product.tax_exempt:
            value = net_of_tax(value, self.tax_rate)
        return Price(product.pk, value, item.source, item.price_list_id)
