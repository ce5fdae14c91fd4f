"""The amounts of an order's lines: the account's price, the promotions, the rep's discount, IGV.

Unit prices are rounded to four decimals before anything is computed with them, so a line's
amounts follow from what it stores (net = quantity × unit price − discount, to the céntimo).
A promotion's tier discount and the rep's discount compound: 10 % and then 5 % is 14.5 %.
Free units of a "buy N, get M" promotion become a separate line of the same product with a
100 % discount: it counts in the units, never in the net amount or IGV.
The order form repeats this arithmetic in JavaScript (static/js/orders/pricing.js).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.catalog.models import Product, Promotion
from rumbo.catalog.pricing import PriceBook, line_amounts, money
from rumbo.catalog.promotions import PromotionBook
from rumbo.customers.models import Account

ZERO = Decimal("0")
HUNDRED = Decimal("100")
PRICE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: Decimal
    discount_pct: Decimal = ZERO
    # Only used with trust_prices (imports of historical orders); else the price book decides.
    unit_price: Decimal | None = None


@dataclass(frozen=True)
class PricedLine:
    """One line as it will be stored; `line_no` is the input line it comes from (1-based)."""

    line_no: int
    product: Product
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    promotion_pct: Decimal
    promotion: Promotion | None
    is_free: bool
    discount: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    discount: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.tax

    @classmethod
    def of(cls, lines: Sequence[PricedLine]) -> Totals:
        return cls(
            net=sum((line.net for line in lines), ZERO),
            discount=sum((line.discount for line in lines), ZERO),
            tax=sum((line.tax for line in lines), ZERO),
        )


def compound_pct(first: Decimal, then: Decimal) -> Decimal:
    """Two discounts one after the other, as one percentage: 10 and 5 → 14.5."""
    return first + then - first * then / HUNDRED


def _tax_rate(product: Product, rate: Decimal) -> Decimal:
    return ZERO if product.tax_exempt else rate


def _paid_line(
    n: int, line: LineInput, unit_price: Decimal, promo_pct: Decimal, promo: Promotion | None,
    rate: Decimal,
) -> PricedLine:  # fmt: skip
    amounts = line_amounts(
        quantity=line.quantity,
        net_unit_price=unit_price,
        discount_pct=compound_pct(promo_pct, line.discount_pct),
        tax_rate=_tax_rate(line.product, rate),
    )
    return PricedLine(
        n, line.product, line.quantity, unit_price, line.discount_pct, promo_pct, promo,
        False, amounts.discount, amounts.net, amounts.tax,
    )  # fmt: skip


def _free_line(
    n: int, product: Product, quantity: Decimal, unit_price: Decimal, promo: Promotion
) -> PricedLine:
    value = money(quantity * unit_price)
    return PricedLine(
        n, product, quantity, unit_price, ZERO, HUNDRED, promo, True, value, ZERO, ZERO
    )


def price_lines(
    *, account: Account, lines: Sequence[LineInput], on: dt.date, tax_rate: Decimal,
    catalogue: Catalogue | None = None,
) -> list[PricedLine]:  # fmt: skip
    """Price the lines for the account on that day, promotions included."""
    catalogue = catalogue or catalogue_of(account.organisation_id)
    book = PriceBook(
        account, tax_rate, on=on, products=[line.product.pk for line in lines],
        catalogue=catalogue,
    )  # fmt: skip
    promotions = PromotionBook(
        organisation_id=account.organisation_id, channel_id=account.channel_id, on=on,
        catalogue=catalogue,
    )  # fmt: skip
    given = promotions.apply([(line.product, line.quantity) for line in lines])
    priced: list[PricedLine] = []
    for n, (line, promo) in enumerate(zip(lines, given, strict=True), start=1):
        unit_price = book.price(line.product).net_unit_price.quantize(
            PRICE_PLACES, rounding=ROUND_HALF_UP
        )
        priced.append(
            _paid_line(n, line, unit_price, promo.discount_pct, promo.volume_promotion, tax_rate)
        )
        if promo.free_promotion is not None and promo.free_quantity > 0:
            priced.append(
                _free_line(n, line.product, promo.free_quantity, unit_price, promo.free_promotion)
            )
    return priced


def trusted_lines(*, lines: Sequence[LineInput], tax_rate: Decimal) -> list[PricedLine]:
    """Lines of an imported historical order, at the prices its ERP gave (no promotions)."""
    priced = []
    for n, line in enumerate(lines, start=1):
        if line.unit_price is None:
            raise ValidationError(_("Imported lines need a unit price."))
        amounts = line_amounts(
            quantity=line.quantity,
            net_unit_price=line.unit_price,
            discount_pct=line.discount_pct,
            tax_rate=_tax_rate(line.product, tax_rate),
        )
        priced.append(
            PricedLine(
                n,
                line.product,
                line.quantity,
                line.unit_price.quantize(PRICE_PLACES),
                line.discount_pct,
                ZERO,
                None,
                False,
                amounts.discount,
                amounts.net,
                amounts.tax,
            )
        )
    return priced
