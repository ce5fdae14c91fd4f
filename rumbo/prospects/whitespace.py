"""White-space analysis: every district's potential (potential.py) against today's customers
and sales, ranked, for the area the user prospects in.

The area: for administrators and viewers the whole country (or one territory's area when they
ask); for managers and reps the districts their territories hold (a district belongs to the
territory with most of its active accounts) plus the districts nobody holds yet within
`area_km()` of those. Customers are counted across the whole organisation (a colleague's
customer is not white space); sales only over the accounts the user may see, and only for
users who may see amounts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from rumbo.core.models import User
from rumbo.core.names import proper
from rumbo.customers.models import Account, Channel
from rumbo.engine.geo import haversine_km
from rumbo.engine.segmentation import households_from_population
from rumbo.geo.models import Distrito
from rumbo.orders.models import MonthlySales
from rumbo.prospects import potential as model
from rumbo.prospects.models import ChannelPotential, Prospect
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for

SALES_MONTHS = 12


def area_km() -> float:
    """How far from a district the company holds an unclaimed district still counts as near."""
    return float(getattr(settings, "RUMBO_PROSPECT_AREA_KM", 10))


def coverage_quantile() -> float:
    return float(getattr(settings, "RUMBO_WHITESPACE_QUANTILE", model.QUANTILE))


@dataclass(frozen=True)
class Places:
    """Every district with census households: codes, names and reference points."""

    ubigeo: list[str]
    name: list[str]
    provincia: list[str]
    households: np.ndarray
    population: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def index(self) -> dict[str, int]:
        return {u: i for i, u in enumerate(self.ubigeo)}


@lru_cache(maxsize=1)
def places() -> Places:
    """The census districts (static reference data, read once per process)."""
    rows = list(
        Distrito.objects.filter(
            Q(households_2017__gt=0) | Q(population_2022__gt=0), lat__isnull=False
        )
        .order_by("ubigeo")
        .values_list("ubigeo", "name", "provincia__name", "households_2017", "population_2017",
                     "lat", "lon", "population_2022")
    )  # fmt: skip
    # Districts created after the 2017 census: households from their 2022 population.
    households = households_from_population(
        [np.nan if not r[3] else r[3] for r in rows], [r[7] or 0 for r in rows]
    )
    return Places(
        ubigeo=[r[0] for r in rows],
        name=[proper(r[1]) for r in rows],
        provincia=[proper(r[2]) for r in rows],
        households=households,
        population=np.array([r[4] or r[7] or 0 for r in rows], dtype=float),
        lat=np.array([r[5] for r in rows], dtype=float),
        lon=np.array([r[6] for r in rows], dtype=float),
    )


@dataclass(frozen=True)
class ChannelFigures:
    channel: Channel
    customers: int
    density: float
    density_learned: bool
    value: Decimal | None
    value_learned: bool


@dataclass(frozen=True)
class OrgModel:
    """The organisation's market and potential over every district."""

    places: Places
    channels: list[ChannelFigures]
    market: model.Market
    result: model.Potential
    holder: dict[str, int]  # ubigeo → territory holding most of its active accounts


def _customers(org_id: int, channels: list[Channel], where: Places) -> np.ndarray:
    column = {c.pk: j for j, c in enumerate(channels)}
    index = where.index()
    matrix = np.zeros((len(where.ubigeo), len(channels)))
    rows = (
        Account.objects.filter(organisation_id=org_id, status=Account.Status.ACTIVE)
        .exclude(distrito__isnull=True)
        .values_list("distrito_id", "channel_id")
        .annotate(n=Count("id"))
    )
    for ubigeo, channel_id, n in rows:
        if ubigeo in index and channel_id in column:
            matrix[index[ubigeo], column[channel_id]] = n
    return matrix


def _values(
    org_id: int, channels: list[Channel], customers: np.ndarray, today: dt.date
) -> np.ndarray:
    """Average monthly sales per active customer of each channel (NaN without sales)."""
    since = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
    rows = (
        MonthlySales.objects.filter(
            organisation_id=org_id, month__gte=since, account__status=Account.Status.ACTIVE
        )
        .values_list("account__channel_id")
        .annotate(s=Sum("net_amount"))
    )
    sales = dict(rows)
    counts = customers.sum(axis=0)
    return np.array(
        [float(sales[c.pk]) / counts[j] / SALES_MONTHS if sales.get(c.pk) and counts[j] else np.nan
         for j, c in enumerate(channels)]
    )  # fmt: skip


def _holders(org_id: int) -> dict[str, int]:
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    rows = (
        Account.objects.filter(organisation_id=org_id, status=Account.Status.ACTIVE)
        .exclude(distrito__isnull=True)
        .exclude(territory__isnull=True)
        .values_list("distrito_id", "territory_id")
        .annotate(n=Count("id"))
    )
    for ubigeo, territory_id, n in rows:
        counts[ubigeo][territory_id] += n
    return {u: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for u, c in counts.items()}


def org_model(org_id: int, today: dt.date | None = None) -> OrgModel:
    """The potential of every district for one organisation, in six queries."""
    today = today or timezone.localdate()
    where = places()
    settings_rows = {
        p.channel_id: p for p in ChannelPotential.objects.filter(organisation_id=org_id)
    }
    channels = [
        c for c in Channel.objects.filter(organisation_id=org_id, is_active=True)
        if settings_rows.get(c.pk) is None or settings_rows[c.pk].prospected
    ]  # fmt: skip
    customers = _customers(org_id, channels, where)
    market = model.Market(households=where.households, customers=customers)
    learned = model.learn_density(market, coverage_quantile())
    values = _values(org_id, channels, customers, today)
    density, value, figures = learned.copy(), values.copy(), []
    for j, channel in enumerate(channels):
        row = settings_rows.get(channel.pk)
        if row is not None and row.outlets_per_1000_households is not None:
            density[j] = float(row.outlets_per_1000_households)
        if row is not None and row.monthly_sales_per_outlet is not None:
            value[j] = float(row.monthly_sales_per_outlet)
        figures.append(_figures(channel, row, customers[:, j], density[j], value[j]))
    result = model.estimate(market, density, value)
    return OrgModel(where, figures, market, result, _holders(org_id))


def _figures(
    channel: Channel,
    row: ChannelPotential | None,
    customers: np.ndarray,
    density: float,
    value: float,
) -> ChannelFigures:
    return ChannelFigures(
        channel=channel,
        customers=int(customers.sum()),
        density=round(density, 2),
        density_learned=row is None or row.outlets_per_1000_households is None,
        value=None if np.isnan(value) else Decimal(str(round(value, 2))),
        value_learned=row is None or row.monthly_sales_per_outlet is None,
    )


def area(user: User, org: OrgModel, territory: Territory | None = None) -> np.ndarray:
    """Which districts the user prospects in (a boolean mask over org.places)."""
    where = org.places
    scope = scope_for(user)
    if territory is None and scope.is_everything:
        return np.ones(len(where.ubigeo), dtype=bool)
    if territory is not None:
        allowed = set(Territory.objects.subtree_of(territory).values_list("pk", flat=True))
    else:
        allowed = set(scope.territory_ids or ())
    held = np.array([org.holder.get(u) in allowed for u in where.ubigeo])
    free = np.array([u not in org.holder for u in where.ubigeo])
    if not held.any():
        return held
    distance = haversine_km(
        where.lat[free][:, None], where.lon[free][:, None], where.lat[held][None, :],
        where.lon[held][None, :],
    )  # fmt: skip
    near = np.zeros_like(held)
    near[np.flatnonzero(free)] = distance.min(axis=1) <= area_km()
    return held | near


@dataclass(frozen=True)
class DistrictRow:
    rank: int
    ubigeo: str
    name: str
    provincia: str
    households: int
    population: int
    expected: float
    customers: int
    coverage_pct: float | None
    open_outlets: float
    potential: float
    sales_month: Decimal | None
    prospects: int
    held: bool


def ranking(
    user: User, org: OrgModel, mask: np.ndarray, today: dt.date | None = None
) -> list[DistrictRow]:
    """The districts of the area, best white space first, with today's sales and prospects."""
    where, result = org.places, org.result
    open_total = result.open.sum(axis=1)
    order = [i for i in model.rank(result.potential, open_total) if mask[i]]
    codes = [where.ubigeo[i] for i in order]
    sales = _visible_sales(user, codes, today or timezone.localdate())
    prospects = dict(
        Prospect.objects.visible_to(user).open().filter(distrito_id__in=codes)
        .values_list("distrito_id").annotate(n=Count("id"))
    )  # fmt: skip
    customers = org.market.customers.sum(axis=1)
    expected = result.expected.sum(axis=1)
    return [
        DistrictRow(
            rank=position,
            ubigeo=where.ubigeo[i],
            name=where.name[i],
            provincia=where.provincia[i],
            households=int(where.households[i]),
            population=int(where.population[i]),
            expected=round(float(expected[i]), 1),
            customers=int(customers[i]),
            coverage_pct=round(100 * customers[i] / expected[i], 1) if expected[i] else None,
            open_outlets=round(float(open_total[i]), 1),
            potential=float(result.potential[i]),
            sales_month=sales.get(where.ubigeo[i]) if user.sees_amounts else None,
            prospects=prospects.get(where.ubigeo[i], 0),
            held=where.ubigeo[i] in org.holder,
        )
        for position, i in enumerate(order, start=1)
    ]


def _visible_sales(user: User, codes: list[str], today: dt.date) -> dict[str, Decimal]:
    """Average monthly sales of the last 12 months per district, over the visible accounts."""
    if not user.sees_amounts:
        return {}
    since = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
    rows = (
        MonthlySales.objects.visible_to(user)
        .filter(month__gte=since, account__distrito_id__in=codes)
        .values_list("account__distrito_id")
        .annotate(s=Sum("net_amount"))
    )
    return {u: (s / SALES_MONTHS).quantize(Decimal("0.01")) for u, s in rows if s is not None}


def choropleth(rows: list[DistrictRow], *, money: bool) -> dict[str, Any]:
    """District polygons of the ranked rows, with what the heat layer shows."""
    by_code = {r.ubigeo: r for r in rows}
    features = []
    for d in Distrito.objects.filter(ubigeo__in=list(by_code), boundary__isnull=False):
        r = by_code[d.ubigeo]
        features.append({
            "type": "Feature", "id": d.ubigeo, "geometry": d.boundary,
            "properties": {
                "ubigeo": d.ubigeo, "name": r.name, "rank": r.rank,
                "value": r.potential if money else r.open_outlets,
                "open": r.open_outlets, "customers": r.customers, "money": money,
            },
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
