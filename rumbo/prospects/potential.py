"""The white-space model: how many outlets of each channel a district could hold, how many are
customers already, and what the rest would buy. Pure numpy; whitespace.py feeds it.

For district d and channel c (H = households in the 2017 census):

    expected[d, c]  = density[c] × H[d] / 1000          outlets the district can hold
    open[d, c]      = max(0, expected[d, c] − customers[d, c])
    potential[d]    = Σ_c open[d, c] × value[c]          monthly sales still to win

`density[c]` (outlets per 1,000 households) is configured per channel, or learned as the
`quantile` (0.75) of customers[d, c] / H[d] × 1000 over the districts where the channel has
customers and at least `min_households` households: what the company already achieves in its
better-covered districts. `value[c]` is configured, or the channel's average monthly sales per
customer over the last 12 months; when no channel has one, every value is 1 and the potential
counts open outlets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

QUANTILE = 0.75
MIN_HOUSEHOLDS = 200


@dataclass(frozen=True)
class Market:
    """Districts × channels: households per district, customers per district and channel."""

    households: NDArray[np.float64]  # (D,)
    customers: NDArray[np.float64]  # (D, C)


@dataclass(frozen=True)
class Potential:
    density: NDArray[np.float64]  # (C,) outlets per 1,000 households
    value: NDArray[np.float64]  # (C,) monthly sales per outlet (1 when counting outlets)
    expected: NDArray[np.float64]  # (D, C)
    open: NDArray[np.float64]  # (D, C)
    potential: NDArray[np.float64]  # (D,)
    in_money: bool  # whether `potential` is money or a count of outlets


def learn_density(
    market: Market, quantile: float = QUANTILE, min_households: int = MIN_HOUSEHOLDS
) -> NDArray[np.float64]:
    """Per channel, the `quantile` of customers per 1,000 households over the districts where
    it has customers (0 for a channel without any)."""
    households = market.households
    big = households >= min_households
    result = np.zeros(market.customers.shape[1])
    for c in range(market.customers.shape[1]):
        served = big & (market.customers[:, c] > 0)
        if served.any():
            ratios = market.customers[served, c] / households[served] * 1000
            result[c] = float(np.quantile(ratios, quantile))
    return result


def estimate(
    market: Market,
    density: NDArray[np.float64],
    value: NDArray[np.float64],
) -> Potential:
    """Expected, open outlets and the potential of every district. `value` may hold NaN for
    channels without a value: they get the mean of the others (or 1 when none has one)."""
    known = ~np.isnan(value)
    in_money = bool(known.any())
    filled = np.where(known, value, np.nanmean(value) if in_money else 1.0)
    expected = np.outer(market.households, density) / 1000
    open_ = np.maximum(0.0, expected - market.customers)
    return Potential(
        density=density,
        value=filled,
        expected=expected,
        open=open_,
        potential=open_ @ filled,
        in_money=in_money,
    )


def rank(potential: NDArray[np.float64], open_total: NDArray[np.float64]) -> NDArray[np.int64]:
    """District indices, best first: by potential, then by open outlets."""
    return np.lexsort((-open_total, -potential)).astype(np.int64)


def percentile_rank(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each value's share of values at or below it (0..1); zeros stay 0."""
    order = np.sort(values)
    ranks = np.searchsorted(order, values, side="right") / max(len(values), 1)
    return np.where(values > 0, ranks, 0.0)
