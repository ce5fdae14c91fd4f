"""Market potential per district and account from census households, and the share captured.

The model is deliberately simple and fully parameterised: in a district with H households, a
channel c sells H × spend_c a year of the distributor's categories (spend_c = yearly spend of one
household through that channel) through H / 1000 × outlets_c expected outlets. An account of
channel c gets its district's channel potential divided by the larger of the expected outlets and
the accounts of that channel actually there: where we know fewer outlets than the census implies,
each gets an average outlet's share (the rest is white space); where we know more, they split it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Census 2017: 31,237,385 people in 8,252,284 households (INEI, all 1,874 districts).
PERSONS_PER_HOUSEHOLD = 3.79


@dataclass(frozen=True)
class ChannelPotential:
    """Density and household spend of one channel (money a year per household)."""

    code: str
    outlets_per_1000_households: float
    spend_per_household: float

    def __post_init__(self) -> None:
        if self.outlets_per_1000_households <= 0 or self.spend_per_household < 0:
            raise ValueError(f"channel {self.code}: outlets must be > 0 and spend >= 0")


# Starting values for a Peruvian food and household-goods distributor, in soles a year; they are
# assumptions to calibrate with the company's own figures, not statistics. Roughly: ~500,000
# bodegas for 8.25 M households, one restaurant per 40 households, a few pharmacies per 1,000.
DEFAULT_CHANNELS: tuple[ChannelPotential, ...] = (
    ChannelPotential("bodega", 60.0, 600.0),
    ChannelPotential("minimarket", 6.0, 240.0),
    ChannelPotential("mayorista", 1.5, 300.0),
    ChannelPotential("supermercado", 0.3, 360.0),
    ChannelPotential("restaurante", 25.0, 150.0),
    ChannelPotential("farmacia", 3.0, 80.0),
    ChannelPotential("panaderia", 5.0, 120.0),
    ChannelPotential("ferreteria", 3.0, 60.0),
)


@dataclass(frozen=True)
class PotentialResult:
    """Potential (money a year) per account, and per district with the part our accounts hold."""

    account: NDArray[np.float64]
    district: NDArray[np.float64]
    expected_outlets: NDArray[np.float64]
    known_outlets: NDArray[np.int64]


def households_from_population(
    households: ArrayLike, population: ArrayLike, persons: float = PERSONS_PER_HOUSEHOLD
) -> NDArray[np.float64]:
    """Households per district, estimated from population where the count is missing (NaN)."""
    h = np.asarray(households, dtype=float)
    return np.where(np.isnan(h), np.asarray(population, dtype=float) / persons, h)


def district_potential(
    households: ArrayLike, channels: Sequence[ChannelPotential] = DEFAULT_CHANNELS
) -> NDArray[np.float64]:
    """Yearly potential of each district (rows) in each channel (columns)."""
    h = np.asarray(households, dtype=float)
    spend = np.array([c.spend_per_household for c in channels])
    return h[:, None] * spend[None, :]


def account_potential(
    district: ArrayLike,
    channel: ArrayLike,
    households: ArrayLike,
    channels: Sequence[ChannelPotential] = DEFAULT_CHANNELS,
) -> PotentialResult:
    """Potential of each account, given its district and channel (indices into the arrays).

    `households` has one entry per district; an account with district or channel -1 (unknown)
    gets no potential.
    """
    d = np.asarray(district, dtype=np.int64)
    c = np.asarray(channel, dtype=np.int64)
    h = np.asarray(households, dtype=float)
    by_channel = district_potential(h, channels)
    density = np.array([ch.outlets_per_1000_households for ch in channels])
    expected = h[:, None] / 1000.0 * density[None, :]
    known = np.zeros(by_channel.shape, dtype=np.int64)
    located = (d >= 0) & (c >= 0)
    np.add.at(known, (d[located], c[located]), 1)
    outlets = np.maximum(expected, known)
    per_account = np.divide(by_channel, outlets, out=np.zeros_like(by_channel), where=outlets > 0)
    account = np.zeros(d.shape)
    account[located] = per_account[d[located], c[located]]
    return PotentialResult(account, by_channel.sum(axis=1), expected, known)


def captured_share(sales: ArrayLike, potential: ArrayLike) -> NDArray[np.float64]:
    """Sales as a share of potential (1.0 = all of it); NaN where there is no potential."""
    s = np.asarray(sales, dtype=float)
    p = np.asarray(potential, dtype=float)
    return np.divide(s, p, out=np.full(np.broadcast(s, p).shape, np.nan), where=p > 0)
