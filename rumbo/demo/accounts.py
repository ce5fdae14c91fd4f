"""Who the customers are, as numbers: channel, size, buying rhythm, visit day and life span.

Sizes are lognormal per channel (a bodega buys ~S/ 850 a month, a mayorista ten times more),
so a fifth of the accounts carries most of the revenue. Bigger accounts are visited more often
and order more reliably. Some accounts are prospects, some were won during the history and
some were lost (and buy less in their last months).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from rumbo.demo import catalog_data as data

PROSPECT, ACTIVE, INACTIVE = 0, 1, 2
NEVER = 10**7  # an ordinal day after any history
SHARE_PROSPECTS = 0.04
SHARE_NEW = 0.22
SHARE_LOST = 0.10
FIRST_CUSTOMER_DAY = dt.date(2012, 1, 1)
WORK_DAYS = 6  # Monday to Saturday


@dataclass
class Accounts:
    channel: np.ndarray
    territory: np.ndarray
    district: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    size: np.ndarray  # monthly purchases at the start of the history, S/ without IGV
    quantile: np.ndarray  # size rank within the channel, 0..1
    freq: np.ndarray  # weeks between visits: 1, 2 or 4
    weekday: np.ndarray  # visit day, 0 = Monday
    phase: np.ndarray  # which week of the cycle
    route: np.ndarray  # order of the visit within the rep's day
    p_order: np.ndarray  # chance that a visit ends with an order
    trend: np.ndarray  # yearly volume growth of this account
    open_day: np.ndarray  # customer since (prospects: known since), ordinal
    close_day: np.ndarray  # lost on (exclusive), ordinal, or NEVER
    status: np.ndarray
    ids: np.ndarray

    @property
    def n(self) -> int:
        return len(self.channel)


def _sizes(rng: np.random.Generator, channel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    size = np.empty(len(channel))
    quantile = np.empty(len(channel))
    for c, (_, _, _, median, sigma) in enumerate(data.CHANNELS):
        members = np.flatnonzero(channel == c)
        size[members] = rng.lognormal(math.log(median), sigma, len(members))
        order = np.argsort(size[members], kind="stable")
        quantile[members[order]] = (np.arange(len(members)) + 0.5) / max(len(members), 1)
    return size, quantile


def _rhythm(rng: np.random.Generator, channel: np.ndarray, quantile: np.ndarray) -> np.ndarray:
    """Weeks between visits: big and fast-moving channels weekly, small shops every 2–4."""
    codes = np.array([c[0] for c in data.CHANNELS])[channel]
    q = np.clip(quantile + rng.normal(0, 0.1, len(channel)), 0, 1)
    freq = np.where(q > 0.7, 1, np.where(q > 0.3, 2, 4))
    freq = np.where(codes == "bodega", np.where(q > 0.6, 1, np.where(q > 0.25, 2, 4)), freq)
    big = np.isin(codes, ["mayorista", "supermercado", "minimarket"])
    freq = np.where(big, np.where(q > 0.3, 1, 2), freq)
    return np.where(codes == "ferreteria", np.where(q > 0.5, 2, 4), freq)


def _life(
    rng: np.random.Generator, n: int, first: dt.date, last: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status, first day and last day (exclusive) of each account."""
    f, t = first.toordinal(), last.toordinal()
    status = np.where(rng.random(n) < SHARE_PROSPECTS, PROSPECT, ACTIVE)
    new = (rng.random(n) < SHARE_NEW) & (status == ACTIVE)
    open_day = rng.integers(FIRST_CUSTOMER_DAY.toordinal(), f, n)
    open_day[new] = rng.integers(f, t - 20, int(new.sum()))
    prospects = status == PROSPECT
    open_day[prospects] = rng.integers(t - 365, t - 5, int(prospects.sum()))
    close_day = np.full(n, NEVER, dtype=np.int64)
    earliest = np.maximum(open_day + 90, f + 30)
    lost = (rng.random(n) < SHARE_LOST) & (status == ACTIVE) & (earliest < t - 10)
    close_day[lost] = rng.integers(earliest[lost], t - 10)
    status[lost] = INACTIVE
    return status, open_day, close_day


def _visit_days(
    territory: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each territory is swept like a clock, one sector per weekday, so a rep's visits of one
    day are neighbours; the angle rank is also the order of visits within the day."""
    weekday = np.zeros(len(territory), dtype=np.int64)
    route = np.zeros(len(territory), dtype=np.int64)
    for t in np.unique(territory):
        members = np.flatnonzero(territory == t)
        angle = np.arctan2(lat[members] - lat[members].mean(), lon[members] - lon[members].mean())
        order = np.argsort(angle, kind="stable")
        rank = np.empty(len(members), dtype=np.int64)
        rank[order] = np.arange(len(members))
        weekday[members] = rank * WORK_DAYS // len(members)
        route[members] = rank
    return weekday, route


def draw_accounts(
    rng: np.random.Generator,
    territory: np.ndarray,
    district: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    first: dt.date,
    last: dt.date,
) -> Accounts:
    n = len(territory)
    shares = np.array([c[2] for c in data.CHANNELS])
    channel = rng.choice(len(shares), size=n, p=shares / shares.sum())
    size, quantile = _sizes(rng, channel)
    freq = _rhythm(rng, channel, quantile)
    status, open_day, close_day = _life(rng, n, first, last)
    weekday, route = _visit_days(territory, lat, lon)
    p_order = np.clip(0.55 + 0.35 * quantile + 0.08 * np.log2(freq), 0.45, 0.97)
    return Accounts(
        channel=channel,
        territory=territory,
        district=district,
        lat=lat,
        lon=lon,
        size=size,
        quantile=quantile,
        freq=freq,
        weekday=weekday,
        phase=rng.integers(0, 4, n) % freq,
        route=route,
        p_order=p_order,
        trend=rng.normal(0.02, 0.08, n),
        open_day=open_day,
        close_day=close_day,
        status=status,
        ids=np.zeros(n, dtype=np.int64),
    )
