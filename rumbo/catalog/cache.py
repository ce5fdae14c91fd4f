"""An organisation's catalogue as every order reads it, kept in the process while the version of
the catalogue's tables (`rumbo.core.versions`, "catalogue") stays the same.

Writing an order reads its products, the price lists that apply to the account, the promotions
and the order rules. Read from the database, that is five statements and some fifty model
instances per order, for rows that change a few times a day. Here one small query (the version)
tells whether the copy is current; when it is not, the next order starts a new copy. Each part
is loaded the first time an order needs it:
- products with their units, by id, as orders name them;
- the heads of all active price lists, and the items of each list an order reaches (the items
  of lists that belong to one account, of which there may be thousands, in a bounded cache);
- the active promotions with their tiers, and the category tree when a promotion is on a
  category;
- `memo`: what other apps derive from tables that change this version (the order rules).

The instances are shared by the requests of the process: read them, never change them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import connection

from rumbo.catalog.models import PriceList, PriceListItem, Product, Promotion, PromotionTier, Unit
from rumbo.core import versions
from rumbo.core.fastsql import columns, select

VERSION = "catalogue"
ACCOUNT_LISTS_KEPT = 1000  # the items of this many accounts' own lists stay in a copy

T = TypeVar("T")


@dataclass(frozen=True)
class ListHead:
    """What pricing needs of an active price list."""

    id: int
    account_id: int | None
    channel_id: int | None
    prices_include_tax: bool
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    def reaches(self, account_id: int, channel_id: int | None) -> bool:
        """The account's own list, its channel's list, or a base list (neither)."""
        if self.account_id is not None:
            return self.account_id == account_id
        return self.channel_id is None or self.channel_id == channel_id


class PriceRow(NamedTuple):
    """A price list item with what the price book needs of its list."""

    product_id: int
    price: Decimal
    price_list_id: int
    list_account_id: int | None
    list_channel_id: int | None
    list_with_tax: bool


class Catalogue:
    """One organisation's catalogue at one version (None: a copy for one use, never kept)."""

    def __init__(self, organisation_id: int, version: int | None) -> None:
        self.organisation_id = organisation_id
        self.version = version
        self._lock = threading.Lock()
        self._products: dict[int, Product] = {}
        self._lists: list[ListHead] | None = None
        self._items: dict[int, dict[int, Decimal]] = {}
        self._account_items: OrderedDict[int, dict[int, Decimal]] = OrderedDict()
        self._promotions: tuple[list[Promotion], dict[int, list[PromotionTier]]] | None = None
        self._parents: dict[int, int | None] | None = None
        self._memo: dict[str, Any] = {}

    def products(self, wanted: Iterable[int]) -> dict[int, Product]:
        """The organisation's products among `wanted` (ids), with their units, by id."""
        wanted = set(wanted)
        missing = [pk for pk in wanted if pk not in self._products]
        if missing:
            rows = select(
                f"SELECT {columns(Product, 'p')}, {columns(Unit, 'u')} FROM catalog_product p "
                "JOIN catalog_unit u ON u.id = p.unit_id WHERE p.organisation_id = %s "
                f"AND p.id IN ({', '.join(['%s'] * len(missing))})",
                [self.organisation_id, *missing],
                Product,
                Unit,
            )
            for product, unit in rows:
                product.unit = unit
                self._products[product.pk] = product
        return {pk: self._products[pk] for pk in wanted if pk in self._products}

    def _heads(self) -> list[ListHead]:
        if self._lists is None:
            meta = PriceList._meta
            names = ("id", "account", "channel", "prices_include_tax", "valid_from", "valid_to")
            fields: list[Any] = [meta.get_field(name) for name in names]
            rows = select(
                "SELECT l.id, l.account_id, l.channel_id, l.prices_include_tax, l.valid_from, "
                "l.valid_to FROM catalog_pricelist l WHERE l.organisation_id = %s "
                "AND l.is_active = %s ORDER BY l.id",
                [self.organisation_id, True],
                *fields,
            )
            self._lists = [ListHead(*row) for row in rows]
        return self._lists

    def _load_items(self, price_list_id: int) -> dict[int, Decimal]:
        meta = PriceListItem._meta
        rows = select(
            "SELECT i.product_id, i.price FROM catalog_pricelistitem i WHERE i.price_list_id = %s",
            [price_list_id],
            meta.get_field("product"),
            meta.get_field("price"),
        )
        return dict(rows)

    def _list_items(self, head: ListHead) -> dict[int, Decimal]:
        if head.account_id is None:
            found = self._items.get(head.id)
            if found is None:
                found = self._items[head.id] = self._load_items(head.id)
            return found
        with self._lock:
            found = self._account_items.get(head.id)
            if found is not None:
                self._account_items.move_to_end(head.id)
                return found
        found = self._load_items(head.id)
        with self._lock:
            self._account_items[head.id] = found
            while len(self._account_items) > ACCOUNT_LISTS_KEPT:
                self._account_items.popitem(last=False)
        return found

    def price_rows(
        self, account_id: int, channel_id: int | None, on: dt.date | None,
        products: Iterable[int] | None,
    ) -> list[PriceRow]:  # fmt: skip
        """The items of the active lists that apply to the account on that day (any day when
        None): its own lists, its channel's, the base lists; of `products` only, when given."""
        wanted = None if products is None else set(products)
        rows = []
        for head in self._heads():
            if not (head.reaches(account_id, channel_id) and head.valid_on(on)):
                continue
            items = self._list_items(head)
            pairs = (
                items.items()
                if wanted is None
                else ((pk, items[pk]) for pk in wanted if pk in items)
            )
            rows += [
                PriceRow(pk, price, head.id, head.account_id, head.channel_id,
                         head.prices_include_tax)
                for pk, price in pairs
            ]  # fmt: skip
        return rows

    def _all_promotions(self) -> tuple[list[Promotion], dict[int, list[PromotionTier]]]:
        if self._promotions is None:
            promotions = [
                row[0]
                for row in select(
                    f"SELECT {columns(Promotion, 'p')} FROM catalog_promotion p "
                    "WHERE organisation_id = %s AND is_active = %s ORDER BY id",
                    [self.organisation_id, True],
                    Promotion,
                )
            ]
            tiers: dict[int, list[PromotionTier]] = defaultdict(list)
            volume = [p.pk for p in promotions if p.kind == Promotion.Kind.VOLUME]
            if volume:
                rows = select(
                    f"SELECT {columns(PromotionTier, 't')} FROM catalog_promotiontier t "
                    f"WHERE t.promotion_id IN ({', '.join(['%s'] * len(volume))}) "
                    "ORDER BY t.min_quantity, t.id",
                    volume,
                    PromotionTier,
                )
                for (tier,) in rows:
                    tiers[tier.promotion_id].append(tier)
            self._promotions = (promotions, dict(tiers))
        return self._promotions

    def promotions(self, channel_id: int | None, on: dt.date) -> list[Promotion]:
        """The promotions active on that day for every channel or the given one, oldest first."""
        return [
            p
            for p in self._all_promotions()[0]
            if (p.valid_from is None or p.valid_from <= on)
            and (p.valid_to is None or p.valid_to >= on)
            and (p.channel_id is None or p.channel_id == channel_id)
        ]

    def tiers(self, promotion_id: int) -> list[PromotionTier]:
        """A volume promotion's tiers, by min_quantity."""
        return self._all_promotions()[1].get(promotion_id, [])

    def category_parents(self) -> dict[int, int | None]:
        """Each category's parent (None at the top)."""
        if self._parents is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, parent_id FROM catalog_category WHERE organisation_id = %s",
                    [self.organisation_id],
                )
                self._parents = dict(cursor.fetchall())
        return self._parents

    def memo(self, name: str, load: Callable[[], T]) -> T:
        """`load()` once per copy: for data of tables that change this version."""
        if name not in self._memo:
            self._memo[name] = load()
        found: T = self._memo[name]
        return found


_kept: dict[int, Catalogue] = {}


def catalogue(organisation_id: int) -> Catalogue:
    """The organisation's catalogue, current as of this call (one small query)."""
    version = versions.read(VERSION, connection)
    found = _kept.get(organisation_id)
    if found is not None and version is not None and found.version == version:
        return found
    fresh = Catalogue(organisation_id, version)
    if version is not None:
        _kept[organisation_id] = fresh
    return fresh
