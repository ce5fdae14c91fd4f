"""What each account usually buys: a basket of products, how often each appears on an order
and in what quantity, sized so that the account's orders add up to its monthly purchases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rumbo.demo import catalog_data as data
from rumbo.demo.accounts import Accounts
from rumbo.demo.catalog import TOPS, Catalog

WEEKS_PER_MONTH = 52.18 / 12
VISIT_HAPPENS = 0.95  # the rep is off sick, on holiday, ...
SHOP_OPEN = 0.97  # the shop was closed when the rep came
CALL_ORDERS = {1: 0.05, 2: 0.2, 4: 0.35}  # orders phoned in per month, by visit rhythm
TOP_CHANCE = {
    "bodega": 0.85, "minimarket": 0.8, "mayorista": 0.7, "supermercado": 0.75,
    "farmacia": 0.8, "restaurante": 0.9, "panaderia": 0.85, "ferreteria": 0.85,
}  # fmt: skip
CHRISTMAS_SELLERS = {"bodega", "minimarket", "mayorista", "supermercado", "panaderia"}
CHUNK = 4096


@dataclass
class Baskets:
    start: np.ndarray  # account a's items are start[a]:start[a+1]
    product: np.ndarray
    chance: np.ndarray  # probability the item is on an order in a normal month
    quantity: np.ndarray  # typical quantity when it is
    call_rate: np.ndarray  # orders phoned in per month, per account


def orders_per_month(acc: Accounts, call_rate: np.ndarray) -> np.ndarray:
    return WEEKS_PER_MONTH / acc.freq * VISIT_HAPPENS * SHOP_OPEN * acc.p_order + call_rate


def _weights(catalog: Catalog, channel: str) -> np.ndarray:
    affinity = data.AFFINITY[channel]
    w = catalog.popularity * np.array([affinity[TOPS[t]] for t in catalog.top])
    if channel in CHRISTMAS_SELLERS:
        christmas = np.array([c == "SNK-NAV" for c in catalog.category_code])
        w = np.where(christmas, w * 2.0, w)
    return np.maximum(w, 1e-9)


def _choose(rng: np.random.Generator, weights: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Weighted sampling without replacement, one row per account (Gumbel top-k)."""
    chosen: list[np.ndarray] = []
    logw = np.log(weights)
    for lo in range(0, len(sizes), CHUNK):
        block = sizes[lo : lo + CHUNK]
        keys = logw[None, :] + rng.gumbel(size=(len(block), len(weights)))
        order = np.argsort(-keys, axis=1, kind="stable")
        chosen += [order[i, :k] for i, k in enumerate(block)]
    return chosen


def build_baskets(rng: np.random.Generator, acc: Accounts, catalog: Catalog) -> Baskets:
    n_products = len(catalog.product_ids)
    items: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * acc.n
    for c, (code, *_) in enumerate(data.CHANNELS):
        members = np.flatnonzero(acc.channel == c)
        low, high = data.BASKET[code]
        q = acc.quantile[members] ** 0.7 * rng.uniform(0.8, 1.2, len(members))
        sizes = np.clip(np.round(low + (high - low) * q), 3, n_products).astype(int)
        for a, chosen in zip(members, _choose(rng, _weights(catalog, code), sizes), strict=True):
            items[a] = chosen
    lengths = np.array([len(i) for i in items])
    start = np.concatenate([[0], np.cumsum(lengths)])
    product = np.concatenate(items)
    rank = np.arange(len(product)) - np.repeat(start[:-1], lengths)
    top = np.array([TOP_CHANCE[data.CHANNELS[c][0]] for c in acc.channel])
    chance = np.clip(np.repeat(top, lengths) * (rank + 1.0) ** -0.8, 0.05, 0.95)
    call_rate = np.array([CALL_ORDERS[int(f)] for f in acc.freq])
    per_order = acc.size / orders_per_month(acc, call_rate)
    weight = chance * rng.lognormal(0.0, 0.4, len(product))
    owner = np.repeat(np.arange(acc.n), lengths)
    share = weight / np.bincount(owner, weights=weight, minlength=acc.n)[owner]
    price = catalog.base[0, product] / 10_000
    quantity = per_order[owner] * share / (chance * price)
    return Baskets(start, product, chance, quantity, call_rate)
