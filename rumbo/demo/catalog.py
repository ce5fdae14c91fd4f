"""The demo catalogue in the database, and every price it implies as one numpy table.

Price lists change every 1 March: a base list, channel lists (mayoristas and supermercados get
their own, minimarkets a partial one) and, for a few big accounts, negotiated lists. `Prices`
resolves them exactly as `rumbo.catalog.pricing.PriceBook` does (account list, then channel
list, then base list, then the product's list price), for whole arrays of order lines at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from rumbo.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from rumbo.core.models import Organisation
from rumbo.customers.models import Channel
from rumbo.demo import catalog_data as data

TOPS = ("BEB", "SNK", "LAC", "LIM", "CPE")
# Channel lists: channel code → (share of products listed, price factor by top category).
CHANNEL_LISTS = {
    "mayorista": (1.0, {"BEB": 0.92, "SNK": 0.91, "LAC": 0.93, "LIM": 0.90, "CPE": 0.90}),
    "supermercado": (1.0, dict.fromkeys(TOPS, 0.95)),
    "minimarket": (0.6, dict.fromkeys(TOPS, 0.97)),
}


def decimal(units: int, places: int = 4) -> Decimal:
    """An integer count of 10^-places soles as a Decimal."""
    return Decimal(int(units)).scaleb(-places)


def ean13(body: str) -> str:
    """Complete 12 digits with the EAN-13 check digit (775 is Peru's GS1 prefix)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass
class Prices:
    """table[epoch, group, product] in 1/10,000 soles; groups are channels, then accounts with
    their own list. `group[a, epoch]` is the group that prices account a in that period."""

    epochs: list[dt.date]
    table: np.ndarray
    group: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int32))

    def unit_price(self, account: np.ndarray, epoch: np.ndarray, product: np.ndarray) -> np.ndarray:
        return self.table[epoch, self.group[account, epoch], product]


@dataclass
class Catalog:
    product_ids: np.ndarray
    category_code: list[str]
    top: np.ndarray  # index into TOPS
    popularity: np.ndarray
    available_from: np.ndarray  # ordinal day
    available_to: np.ndarray  # ordinal day (exclusive)
    channel_ids: np.ndarray
    channel_codes: list[str]
    base: np.ndarray  # [epoch, product] base-list price, 1/10,000 soles
    prices: Prices
    category_ids: dict[str, int]


def create_channels(org: Organisation) -> list[Channel]:
    return Channel.objects.bulk_create(
        Channel(organisation=org, code=code, name=name, sort_order=i)
        for i, (code, name, *_) in enumerate(data.CHANNELS)
    )


def _create_products(
    org: Organisation, rng: np.random.Generator, base_last: np.ndarray
) -> tuple[list[Product], dict[str, int]]:
    units = {
        u.code: u
        for u in Unit.objects.bulk_create(
            Unit(organisation=org, code=code, name=name) for code, name in data.UNITS
        )
    }
    categories: dict[str, Category] = {}
    for code, name, parent in data.CATEGORIES:
        categories[code] = Category.objects.create(
            organisation=org, code=code, name=name, parent=categories.get(parent or "")
        )
    margin = rng.uniform(0.68, 0.82, len(data.PRODUCTS))
    products = [
        Product(
            organisation=org,
            sku=f"{spec.category}-{i + 1:03d}",
            name=spec.name,
            category=categories[spec.category],
            unit=units[spec.unit],
            units_per_case=spec.units_per_case,
            brand=spec.brand,
            barcode=ean13(f"775{1000 + i // 40:04d}{i % 40 * 100 + 7:05d}"),
            list_price=decimal(int(base_last[i])),
            cost=decimal(int(round(base_last[i] * margin[i], -2))),
            discontinued=spec.status == "gone",
        )
        for i, spec in enumerate(data.PRODUCTS)
    ]
    return Product.objects.bulk_create(products), {c: v.pk for c, v in categories.items()}


def base_prices(rng: np.random.Generator, epochs: int) -> np.ndarray:
    """Base-list prices per period: the catalogue price, up ~4.5 % a year, to 10 céntimos."""
    start = np.array([spec.price for spec in data.PRODUCTS])
    rise = 1 + np.clip(rng.normal(0.045, 0.02, (epochs, len(start))), 0.0, 0.10)
    rise[0] = 1.0
    soles = start[None, :] * np.cumprod(rise, axis=0)
    return (np.round(soles * 10) * 1000).astype(np.int64)


def _period(epochs: list[dt.date], e: int) -> tuple[dt.date, dt.date | None]:
    end = epochs[e + 1] - dt.timedelta(days=1) if e + 1 < len(epochs) else None
    return epochs[e], end


def _save_list(
    org: Organisation,
    code: str,
    name: str,
    period: tuple[dt.date, dt.date | None],
    prices: dict[int, int],
    channel: Channel | None = None,
    account_id: int | None = None,
) -> list[PriceListItem]:
    price_list = PriceList.objects.create(
        organisation=org,
        code=code,
        name=name,
        channel=channel,
        account_id=account_id,
        valid_from=period[0],
        valid_to=period[1],
    )
    return [
        PriceListItem(price_list=price_list, product_id=pid, price=decimal(value))
        for pid, value in prices.items()
    ]


def create_catalog(
    org: Organisation,
    rng: np.random.Generator,
    channels: list[Channel],
    epochs: list[dt.date],
    first_day: dt.date,
    last_day: dt.date,
) -> Catalog:
    """Units, categories, products, and the base and channel lists of every price period."""
    base = base_prices(rng, len(epochs))
    products, category_ids = _create_products(org, rng, base[-1])
    ids = np.array([p.pk for p in products])
    top = np.array([TOPS.index(spec.category[:3]) for spec in data.PRODUCTS])
    table = np.repeat(base[:, None, :], len(channels), axis=1)
    items: list[PriceListItem] = []
    for c, channel in enumerate(channels):
        if channel.code not in CHANNEL_LISTS:
            continue
        share, factors = CHANNEL_LISTS[channel.code]
        listed = np.sort(rng.permutation(len(ids))[: round(share * len(ids))])
        factor = np.array([factors[TOPS[t]] for t in top[listed]])
        for e in range(len(epochs)):
            cents = np.round(base[e, listed] * factor / 100).astype(np.int64)
            table[e, c, listed] = cents * 100
            items += _save_list(
                org,
                f"{channel.code.upper()}-{epochs[e].year}",
                f"{channel.name} {epochs[e].year}",
                _period(epochs, e),
                dict(zip(ids[listed].tolist(), (cents * 100).tolist(), strict=True)),
                channel=channel,
            )
    for e in range(len(epochs)):
        items += _save_list(
            org,
            f"BASE-{epochs[e].year}",
            f"Lista base {epochs[e].year}",
            _period(epochs, e),
            dict(zip(ids.tolist(), base[e].tolist(), strict=True)),
        )
    PriceListItem.objects.bulk_create(items, batch_size=2000)
    return Catalog(
        product_ids=ids,
        category_code=[spec.category for spec in data.PRODUCTS],
        top=top,
        popularity=rng.lognormal(0.0, 0.6, len(ids)),
        available_from=_launches(rng, first_day, last_day, "new", 0.3, 0.6),
        available_to=_launches(rng, first_day, last_day, "gone", 0.6, 0.85, default=10**7),
        channel_ids=np.array([c.pk for c in channels]),
        channel_codes=[c.code for c in channels],
        base=base,
        prices=Prices(epochs=epochs, table=table),
        category_ids=category_ids,
    )


def _launches(
    rng: np.random.Generator,
    first: dt.date,
    last: dt.date,
    status: str,
    low: float,
    high: float,
    default: int = 0,
) -> np.ndarray:
    """Days products appear ("new") or stop ("gone"), somewhere between low and high of
    the history; other products keep `default`."""
    span = last.toordinal() - first.toordinal()
    days = np.full(len(data.PRODUCTS), default, dtype=np.int64)
    for i, spec in enumerate(data.PRODUCTS):
        if spec.status == status:
            days[i] = first.toordinal() + int(span * rng.uniform(low, high))
    return days


def add_account_lists(
    org: Organisation,
    rng: np.random.Generator,
    catalog: Catalog,
    channel: np.ndarray,
    account_ids: np.ndarray,
    names: list[str],
    negotiated: dict[int, np.ndarray],
) -> None:
    """Negotiated lists for a few big accounts: `negotiated[a]` are the products of account a
    priced 2–6 % under its channel price, from a price period on; then the group table."""
    prices, epochs = catalog.prices, catalog.prices.epochs
    n_channels = len(catalog.channel_ids)
    group = np.repeat(channel[:, None], len(epochs), axis=1).astype(np.int32)
    extra = []
    items: list[PriceListItem] = []
    for k, (a, products) in enumerate(sorted(negotiated.items())):
        first = int(rng.integers(1, len(epochs))) if len(epochs) > 1 else 0
        factor = rng.uniform(0.94, 0.98)
        rows = prices.table[:, channel[a], :].copy()
        for e in range(first, len(epochs)):
            cents = np.round(rows[e, products] * factor / 100).astype(np.int64)
            rows[e, products] = cents * 100
            items += _save_list(
                org,
                f"CLI-{account_ids[a]}-{epochs[e].year}",
                f"Precios especiales {names[a]} {epochs[e].year}"[:120],
                _period(epochs, e),
                dict(
                    zip(catalog.product_ids[products].tolist(), (cents * 100).tolist(), strict=True)
                ),
                account_id=int(account_ids[a]),
            )
        group[a, first:] = n_channels + k
        extra.append(rows)
    PriceListItem.objects.bulk_create(items, batch_size=2000)
    if extra:
        prices.table = np.concatenate([prices.table, np.stack(extra, axis=1)], axis=1)
    prices.group = group
