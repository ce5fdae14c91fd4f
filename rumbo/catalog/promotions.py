"""Which promotions apply to the lines of one order: volume tiers and "buy N, get M free".

A volume promotion on a product counts the units of that product; one on a category counts the
units of every line in the category or its subcategories, and gives its tier to each of them.
When several volume promotions reach a line, the highest discount wins; when several
"buy N, get M" promotions do, the one giving the most free units wins (the older on a tie).
The order form mirrors these rules in JavaScript to show totals offline; the server decides.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.catalog.models import Product, Promotion, PromotionTier

ZERO = Decimal("0")


@dataclass(frozen=True)
class LinePromotion:
    """What the promotions give one line: a tier discount and free units."""

    discount_pct: Decimal = ZERO
    volume_promotion: Promotion | None = None
    free_quantity: Decimal = ZERO
    free_promotion: Promotion | None = None


def free_units(promotion: Promotion, quantity: Decimal) -> Decimal:
    """`free_quantity` units for every full `buy_quantity` ordered."""
    if not promotion.buy_quantity or not promotion.free_quantity:
        return ZERO
    rounds = (quantity / promotion.buy_quantity).to_integral_value(rounding=ROUND_FLOOR)
    return rounds * promotion.free_quantity


def tier_pct(tiers: Sequence[PromotionTier], quantity: Decimal) -> Decimal:
    """The discount of the highest of the tiers (by min_quantity) the quantity reaches (0 below
    the first)."""
    best = ZERO
    for tier in tiers:
        if quantity >= tier.min_quantity:
            best = tier.discount_pct
    return best


class PromotionBook:
    """The promotions that apply to one account's channel on one day: those for every channel
    and those for the account's (an account without a channel gets only the former), from the
    organisation's catalogue (rumbo.catalog.cache)."""

    def __init__(
        self, *, organisation_id: int, channel_id: int | None, on: dt.date,
        catalogue: Catalogue | None = None,
    ) -> None:  # fmt: skip
        self._catalogue = catalogue or catalogue_of(organisation_id)
        self.promotions = self._catalogue.promotions(channel_id, on)
        self._parents: dict[int, int | None] = {}
        if any(p.category_id for p in self.promotions):
            self._parents = self._catalogue.category_parents()

    def __bool__(self) -> bool:
        return bool(self.promotions)

    def _categories_of(self, product: Product) -> set[int]:
        """The product's category and every category above it."""
        found: set[int] = set()
        current: int | None = product.category_id
        while current is not None and current not in found:
            found.add(current)
            current = self._parents.get(current)
        return found

    def _reaches(self, promotion: Promotion, product: Product) -> bool:
        if promotion.product_id is not None:
            return promotion.product_id == product.pk
        return promotion.category_id in self._categories_of(product)

    def apply(self, items: Sequence[tuple[Product, Decimal]]) -> list[LinePromotion]:
        """The promotion of each (product, quantity) line, in the same order."""
        if not self.promotions:
            return [LinePromotion() for _ in items]
        counted: dict[int, Decimal] = defaultdict(Decimal)  # promotion → units it counts
        reached: list[list[Promotion]] = []
        for product, quantity in items:
            hits = [p for p in self.promotions if self._reaches(p, product)]
            for promotion in hits:
                counted[promotion.pk] += quantity
            reached.append(hits)
        return [
            self._best(hits, quantity, counted)
            for hits, (_product, quantity) in zip(reached, items, strict=True)
        ]

    def _best(
        self, hits: list[Promotion], quantity: Decimal, counted: dict[int, Decimal]
    ) -> LinePromotion:
        pct, volume, free, giver = ZERO, None, ZERO, None
        for promotion in hits:
            if promotion.kind == Promotion.Kind.VOLUME:
                value = tier_pct(self._catalogue.tiers(promotion.pk), counted[promotion.pk])
                if value > pct:
                    pct, volume = value, promotion
            else:
                units = free_units(promotion, quantity)
                if units > free:
                    free, giver = units, promotion
        return LinePromotion(pct, volume, free, giver)
