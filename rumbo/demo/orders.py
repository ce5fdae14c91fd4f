"""One month of orders: lines drawn from each account's basket, priced from its price lists,
with IGV, totals, statuses and the status history; written in bulk.

Line amounts follow `rumbo.catalog.pricing.line_amounts` exactly, in integer céntimos:
net = round(qty × price) − round(qty × price × discount %), IGV = round(net × rate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rumbo.demo import bulk
from rumbo.demo import catalog_data as data
from rumbo.demo.accounts import Accounts
from rumbo.demo.activity import NO_ORDER, ORDER, Events, midnight_s
from rumbo.demo.baskets import Baskets
from rumbo.demo.bulk import BulkWriter, Stamps
from rumbo.demo.catalog import Catalog
from rumbo.demo.seasons import epoch_index
from rumbo.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange

CANCELLED_SHARE = 0.015
DISCOUNT_CHANCE = {"mayorista": 0.2, "supermercado": 0.25, "minimarket": 0.08}
CANCEL_NOTES = np.array(
    [
        "Cliente anuló el pedido",
        "Sin stock del producto principal",
        "Crédito excedido",
        "Dirección de entrega incorrecta",
        "Pedido duplicado",
    ],
    dtype=bulk.STR,
)


@dataclass
class History:
    """What every month needs: the organisation, the calendar and the rules of the company."""

    org_id: int
    first_day: int
    end_day: int
    work_days: np.ndarray  # every working day of the history and a week after, sorted
    season: np.ndarray  # [calendar month 1..12, product] volume multiplier
    tax_bp: int  # IGV in basis points (1800)
    territory_ids: np.ndarray  # database id of each territory index


@dataclass
class Ids:
    order: int
    line: int
    status: int
    interaction: int
    number: int  # last order number used
    ticket: int = 0
    ticket_number: int = 0  # last ticket number used
    campaign_touch: int = 0


@dataclass
class Sales:
    """Net céntimos and units of this month's sales orders, by rep and by territory."""

    rep: np.ndarray
    territory: np.ndarray
    net: np.ndarray
    units: np.ndarray
    # Every order of the month (cancelled too): its account and when it was written.
    account: np.ndarray
    created_s: np.ndarray


def _intensity(
    rng: np.random.Generator, acc: Accounts, account: np.ndarray, day: np.ndarray, h: History
) -> np.ndarray:
    """Volume multiplier of each order: growth, the account's own trend, a slow start for new
    accounts, a fade-out for accounts about to be lost, and noise."""
    years = (day - h.first_day) / 365.25
    growth = (1.025 * (1 + acc.trend[account])) ** years
    ramp = np.where(day - acc.open_day[account] < 60, 0.6, 1.0)
    fade = np.where(acc.close_day[account] - day < 90, 0.55, 1.0)
    return growth * ramp * fade * rng.lognormal(0.0, 0.25, len(account))


def _lines(
    rng: np.random.Generator,
    baskets: Baskets,
    catalog: Catalog,
    account: np.ndarray,
    day: np.ndarray,
    intensity: np.ndarray,
    season: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order index, product, quantity) of every line, grouped by order."""
    count = baskets.start[account + 1] - baskets.start[account]
    owner = np.repeat(np.arange(len(account)), count)
    item = (
        baskets.start[account][owner]
        + np.arange(owner.size)
        - np.repeat(np.cumsum(count) - count, count)
    )
    product = baskets.product[item]
    d = day[owner]
    sold = (d >= catalog.available_from[product]) & (d < catalog.available_to[product])
    s = season[product]
    chance = np.minimum(baskets.chance[item] * np.sqrt(s), 0.97) * sold
    take = rng.random(owner.size) < chance
    # An order has at least one line: its first available basket item.
    empty = np.bincount(owner, weights=take, minlength=len(account)) == 0
    first = np.flatnonzero(sold & empty[owner])
    _, at = np.unique(owner[first], return_index=True)
    take[first[at]] = True
    expected = baskets.quantity[item] * np.sqrt(s) * intensity[owner]
    quantity = np.floor(expected * rng.gamma(3.0, 1 / 3.0, owner.size) + rng.random(owner.size))
    return owner[take], product[take], np.maximum(quantity[take], 1).astype(np.int64)


def _discounts(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    codes = [c[0] for c in data.CHANNELS]
    chance = np.array([DISCOUNT_CHANCE.get(c, 0.03) for c in codes])[channel]
    pct = rng.choice(np.array([2, 3, 5]), size=len(channel))
    return np.where(rng.random(len(channel)) < chance, pct, 0)


def line_amounts(
    quantity: np.ndarray, price4: np.ndarray, pct: np.ndarray, tax_bp: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(net, discount, IGV) in céntimos, rounded half-up like rumbo.catalog.pricing."""
    gross4 = quantity * price4
    discount = (gross4 * pct + 5_000) // 10_000
    net = (gross4 + 50) // 100 - discount
    return net, discount, (net * tax_bp + 5_000) // 10_000


@dataclass
class Life:
    """How each order went: 0 confirmed (not yet delivered), 1 delivered, 2 cancelled; when it
    was confirmed or cancelled, and when delivered."""

    status: np.ndarray
    step_s: np.ndarray
    delivered_s: np.ndarray

    @property
    def last_s(self) -> np.ndarray:
        return np.where(self.status == 1, self.delivered_s, self.step_s)


def _statuses(rng: np.random.Generator, day: np.ndarray, created: np.ndarray, h: History) -> Life:
    """Delivered one or two working days later, unless that is after the history's end."""
    n = len(day)
    at = np.searchsorted(h.work_days, day, side="right") + (rng.random(n) < 0.3)
    delivery = h.work_days[np.minimum(at, len(h.work_days) - 1)]
    cancelled = rng.random(n) < CANCELLED_SHARE
    status = np.where(delivery <= h.end_day, 1, 0)  # 1 delivered, 0 confirmed
    status = np.where(cancelled, 2, status)
    step = created + rng.integers(20 * 60, 180 * 60, n)
    step = np.where(cancelled, created + rng.integers(3600, 20 * 3600, n), step)
    delivered = midnight_s(delivery) + rng.integers(9 * 3600, 18 * 3600, n)
    return Life(status, step, delivered)


STATUS_NAMES = np.array([OrderStatus.CONFIRMED, OrderStatus.DELIVERED, OrderStatus.CANCELLED])


def _history(
    writer: BulkWriter,
    rng: np.random.Generator,
    ids: Ids,
    order_id: np.ndarray,
    rep: np.ndarray,
    created: np.ndarray,
    life: Life,
) -> None:
    """'' → submitted, then → confirmed or cancelled, then → delivered."""
    status = life.status
    done = status == 1
    order = np.concatenate([order_id, order_id, order_id[done]])
    source = np.concatenate(
        [
            np.full(len(order_id), ""),
            np.full(len(order_id), "submitted"),
            np.full(int(done.sum()), "confirmed"),
        ]
    ).astype(bulk.STR)
    target = np.concatenate(
        [
            np.full(len(order_id), "submitted"),
            np.where(status == 2, "cancelled", "confirmed"),
            np.full(int(done.sum()), "delivered"),
        ]
    ).astype(bulk.STR)
    by = np.concatenate([rep.astype(bulk.STR), np.full(len(order_id) + done.sum(), bulk.NULL)])
    note = np.concatenate(
        [
            np.full(len(order_id), ""),
            np.where(status == 2, CANCEL_NOTES[rng.integers(0, 5, len(status))], ""),
            np.full(int(done.sum()), ""),
        ]
    ).astype(bulk.STR)
    at = np.concatenate([created, life.step_s, life.delivered_s[done]])
    n = len(order)
    writer.write(
        OrderStatusChange,
        n,
        {
            "id": bulk.ints(np.arange(ids.status, ids.status + n)),
            "order": bulk.ints(order),
            "from_status": source,
            "to_status": target,
            "by": by.astype(bulk.STR),
            "at": Stamps(at),
            "note": note,
        },
    )
    ids.status += n


def _order_events(events: Events) -> tuple[Events, np.ndarray, np.ndarray]:
    """The events that end with an order, in the order they were written: (events, creation
    time, index into `events`)."""
    index = np.flatnonzero(events.outcome == ORDER)
    created = events.start_s[index] + events.minutes[index] * 60
    order = np.argsort(created, kind="stable")
    return events.take(index[order]), created[order], index[order]


def _drop_empty(
    events: Events, index: np.ndarray, owner: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Orders whose basket had nothing on sale that day are not written (the visit ends
    without an order). Returns the kept orders and the lines' new order index."""
    keep = np.bincount(owner, minlength=n) > 0
    events.outcome[index[~keep]] = NO_ORDER
    return keep, (np.cumsum(keep) - 1)[owner]


def write_orders(
    writer: BulkWriter,
    rng: np.random.Generator,
    h: History,
    acc: Accounts,
    baskets: Baskets,
    catalog: Catalog,
    events: Events,
    calendar_month: int,
    ids: Ids,
) -> Sales:
    """Turn this month's order events into orders, lines and status history."""
    ev, created, index = _order_events(events)
    intensity = _intensity(rng, acc, ev.account, ev.day, h)
    owner, product, qty = _lines(
        rng, baskets, catalog, ev.account, ev.day, intensity, h.season[calendar_month]
    )
    keep, owner = _drop_empty(events, index, owner, len(ev.account))
    ev, created = ev.take(keep), created[keep]
    epoch = epoch_index(ev.day, catalog.prices.epochs)
    price4 = catalog.prices.unit_price(ev.account[owner], epoch[owner], product)
    pct = _discounts(rng, acc.channel[ev.account[owner]])
    net, discount, tax = line_amounts(qty, price4, pct, h.tax_bp)
    n, n_lines = len(ev.account), len(owner)
    order_id = np.arange(ids.order, ids.order + n)
    totals = [np.bincount(owner, weights=x, minlength=n).round().astype(np.int64)
              for x in (net, discount, tax, qty)]  # fmt: skip
    life = _statuses(rng, ev.day, created, h)
    _write_orders(writer, h, acc, ev, ids, order_id, totals[:3], created, life)
    writer.write(
        OrderLine,
        n_lines,
        {
            "id": bulk.ints(np.arange(ids.line, ids.line + n_lines)),
            "order": bulk.ints(order_id[owner]),
            "product": bulk.ints(catalog.product_ids[product]),
            "quantity": bulk.ints(qty),
            "unit_price": bulk.fixed(price4, 4),
            "discount_amount": bulk.fixed(discount, 2),
            "net_amount": bulk.fixed(net, 2),
            "tax_amount": bulk.fixed(tax, 2),
        },
    )
    _history(writer, rng, ids, order_id, ev.rep, created, life)
    ids.order, ids.line, ids.number = ids.order + n, ids.line + n_lines, ids.number + n
    sale = life.status != 2
    territory = acc.territory[ev.account]
    return Sales(
        ev.rep[sale], territory[sale], totals[0][sale], totals[3][sale], ev.account, created
    )


def _write_orders(
    writer: BulkWriter,
    h: History,
    acc: Accounts,
    ev: Events,
    ids: Ids,
    order_id: np.ndarray,
    totals: list[np.ndarray],
    created: np.ndarray,
    life: Life,
) -> None:
    """The order rows, numbered P0000001, … in the order they were written."""
    net, discount, tax = totals
    numbers = np.arange(ids.number + 1, ids.number + len(order_id) + 1).astype(bulk.STR)
    writer.write(
        Order,
        len(order_id),
        {
            "id": bulk.ints(order_id),
            "organisation": str(h.org_id),
            "number": np.strings.add("P", np.strings.zfill(numbers, 7)),
            "external_code": "",
            "account": bulk.ints(acc.ids[ev.account]),
            "territory": bulk.ints(h.territory_ids[acc.territory[ev.account]]),
            "rep": bulk.ints(ev.rep),
            "status": STATUS_NAMES[life.status].astype(bulk.STR),
            "ordered_on": bulk.dates(ev.day),
            "currency": "PEN",
            "net_amount": bulk.fixed(net, 2),
            "discount_amount": bulk.fixed(discount, 2),
            "tax_amount": bulk.fixed(tax, 2),
            "total_amount": bulk.fixed(net + tax, 2),
            "notes": "",
            "source": Order.Source.DEMO,
            "idempotency_key": None,
            "created_by": bulk.ints(ev.rep),
            "created_at": Stamps(created),
            "updated_at": Stamps(life.last_s),
        },
    )
