"""The reps' month: visits on each account's day and rhythm, a few calls, and what came of them.

Visits fall on the account's weekday every 1, 2 or 4 weeks (not on holidays); most end with
an order, some without, a few find the shop closed. Some orders are phoned in between visits.
Every event is credited to the rep who covered the account's territory that day, and a rep's
visits of one day follow each other from about 08:15 (Lima time), in route order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from rumbo.demo import catalog_data as data
from rumbo.demo.accounts import PROSPECT, Accounts
from rumbo.demo.baskets import SHOP_OPEN, VISIT_HAPPENS, Baskets

VISIT, CALL = 0, 1
ORDER, NO_ORDER, CLOSED, NOT_REACHED = 0, 1, 2, 3
UNIX_DAY = dt.date(1970, 1, 1).toordinal()
LIMA_OFFSET_S = 5 * 3600
VISIT_MINUTES = {
    "bodega": 9,
    "minimarket": 15,
    "mayorista": 30,
    "supermercado": 40,
    "farmacia": 12,
    "restaurante": 12,
    "panaderia": 10,
    "ferreteria": 10,
}
FOLLOW_UP_CALLS = 0.06  # calls without an order, per account and month
LOSING_DAYS = 90  # accounts about to be lost order less often in their last days


@dataclass
class Coverage:
    """Per territory: the rep before `switch_day` (-1 if none) and the rep since."""

    previous_rep: np.ndarray
    current_rep: np.ndarray
    switch_day: np.ndarray

    def rep_on(self, territory: np.ndarray, day: np.ndarray) -> np.ndarray:
        before = day < self.switch_day[territory]
        return np.where(before, self.previous_rep[territory], self.current_rep[territory])


@dataclass
class Events:
    account: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    outcome: np.ndarray
    start_s: np.ndarray  # seconds since 1970 (UTC)
    minutes: np.ndarray
    rep: np.ndarray

    def take(self, mask: np.ndarray) -> Events:
        return Events(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


def midnight_s(day: np.ndarray) -> np.ndarray:
    """00:00 in Lima of ordinal days, as seconds since 1970 UTC."""
    return (day - UNIX_DAY) * 86400 + LIMA_OFFSET_S


def work_days(first: int, last: int, holidays: set[int]) -> np.ndarray:
    days = np.arange(first, last + 1)
    ok = ((days - 1) % 7 < 6) & ~np.isin(days, list(holidays))
    return days[ok]


def _scheduled(acc: Accounts, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(account, day) of every visit due this month by rhythm; prospects monthly."""
    freq = np.where(acc.status == PROSPECT, 4, acc.freq)
    found_a, found_d = [], []
    for weekday in range(6):
        dw = days[(days - 1) % 7 == weekday]
        members = np.flatnonzero(acc.weekday == weekday)
        if len(dw) == 0 or len(members) == 0:
            continue
        week = (dw - 1) // 7
        due = (week[None, :] - acc.phase[members, None]) % freq[members, None] == 0
        a, d = np.nonzero(due)
        found_a.append(members[a])
        found_d.append(dw[d])
    if not found_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_a), np.concatenate(found_d)


def _alive(acc: Accounts, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    return (day >= acc.open_day[account]) & (day < acc.close_day[account])


def _visits(rng: np.random.Generator, acc: Accounts, days: np.ndarray) -> Events:
    account, day = _scheduled(acc, days)
    prospect = acc.status[account] == PROSPECT
    happens = rng.random(len(account)) < np.where(prospect, 0.5, VISIT_HAPPENS)
    keep = _alive(acc, account, day) & happens
    account, day, prospect = account[keep], day[keep], prospect[keep]
    losing = acc.close_day[account] - day < LOSING_DAYS
    p_order = acc.p_order[account] * np.where(losing, 0.7, 1.0) * ~prospect
    roll = rng.random(len(account))
    outcome = np.where(roll < p_order, ORDER, NO_ORDER)
    outcome = np.where(rng.random(len(account)) > SHOP_OPEN, CLOSED, outcome)
    base = np.array([VISIT_MINUTES[c[0]] for c in data.CHANNELS])[acc.channel[account]]
    minutes = np.maximum(5, np.round(base * rng.uniform(0.7, 1.4, len(account)))).astype(int)
    minutes = np.where(outcome == CLOSED, 2, minutes)
    n = len(account)
    start_s, rep = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)  # set below
    return Events(account, day, np.full(n, VISIT), outcome, start_s, minutes, rep)


def _calls(rng: np.random.Generator, acc: Accounts, baskets: Baskets, days: np.ndarray) -> Events:
    customers = acc.status != PROSPECT
    orders = rng.poisson(baskets.call_rate * customers)
    others = rng.poisson(FOLLOW_UP_CALLS * customers)
    account = np.concatenate(
        [np.repeat(np.arange(acc.n), orders), np.repeat(np.arange(acc.n), others)]
    )
    outcome = np.concatenate(
        [
            np.full(orders.sum(), ORDER),
            np.where(rng.random(others.sum()) < 0.6, NO_ORDER, NOT_REACHED),
        ]
    )
    day = days[rng.integers(0, len(days), len(account))] if len(days) else account * 0
    keep = _alive(acc, account, day)
    n = int(keep.sum())
    start = midnight_s(day[keep]) + rng.integers(9 * 3600, 17 * 3600 + 1800, n)
    minutes = rng.integers(2, 9, n)
    return Events(
        account[keep],
        day[keep],
        np.full(n, CALL),
        outcome[keep],
        start,
        minutes,
        np.zeros(n, dtype=np.int64),
    )


def _timetable(rng: np.random.Generator, acc: Accounts, visits: Events) -> None:
    """Start times of visits: each rep's day begins ~08:15 and follows the route order."""
    if len(visits.account) == 0:
        return
    order = np.lexsort((acc.route[visits.account], visits.day, visits.rep))
    rep, day = visits.rep[order], visits.day[order]
    step = visits.minutes[order] + rng.integers(3, 11, len(order))  # and the way there
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (rep[1:] != rep[:-1]) | (day[1:] != day[:-1])
    group = np.cumsum(new_group) - 1
    before = np.cumsum(step) - step
    offset = before - before[new_group][group]
    begin = 8 * 60 + 15 + rng.integers(-10, 20, int(new_group.sum()))[group]
    visits.start_s[order] = midnight_s(day) + (begin + offset) * 60


def month_events(
    rng: np.random.Generator,
    acc: Accounts,
    baskets: Baskets,
    coverage: Coverage,
    days: np.ndarray,
) -> Events:
    """All visits and calls of one month (work days `days`), with their reps and times."""
    visits = _visits(rng, acc, days)
    calls = _calls(rng, acc, baskets, days)
    for events in (visits, calls):
        events.rep = coverage.rep_on(acc.territory[events.account], events.day)
    _timetable(rng, acc, visits)
    return Events(
        *(
            np.concatenate([getattr(visits, f), getattr(calls, f)])
            for f in Events.__dataclass_fields__
        )
    )
