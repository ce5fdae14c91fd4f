"""The 50,000-account instance of the scale benchmark: generated from Peru's census, or read
from a Rumbo database (the large demo company) with plain SQL.

Generated accounts sit around the urban centros poblados shipped in the repository, in numbers
proportional to their district's households (each district's households shared evenly among its
urban centros poblados), scattered by a distance that grows with the town's size. Sales follow a
lognormal spread (σ = 1.35: the top 20 % of accounts hold about 70 % of sales, as in the demo
company); the top 10 % by sales are visited weekly, the next 30 % every two weeks, the rest
monthly; workload = visits × (visit minutes + expected travel) from the engine's own estimator.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.segmentation import (
    DEFAULT_CHANNELS,
    account_potential,
    account_workload_min,
    expected_travel_min,
)

REPO = Path(__file__).resolve().parents[2]
CCPP = REPO / "rumbo/geo/data/ubigeo/ubigeo_ccpp.csv.gz"
CENSUS = REPO / "rumbo/geo/data/census2017/distritos_censo2017.csv"
# Channel mix and typical sales multiplier and visit minutes (mix as in the demo company).
CHANNEL_MIX = {
    "bodega": (0.57, 0.6, 12),
    "minimarket": (0.12, 1.5, 18),
    "mayorista": (0.06, 4.0, 25),
    "supermercado": (0.02, 6.0, 30),
    "restaurante": (0.08, 1.0, 15),
    "farmacia": (0.07, 0.8, 12),
    "panaderia": (0.04, 0.8, 12),
    "ferreteria": (0.04, 0.9, 15),
}


@dataclass(frozen=True)
class Accounts:
    """What the benchmark needs per account."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    sales: NDArray[np.float64]
    workload_h: NDArray[np.float64]
    potential: NDArray[np.float64]
    source: str


def generate(n: int, seed: int) -> Accounts:
    """n accounts on Peru's urban centros poblados, weighted by census households."""
    rng = np.random.default_rng(seed)
    towns, households = _towns()
    weight = np.array([households[d] for d in towns["district"]]) / towns["share"]
    pick = rng.choice(len(weight), size=n, p=weight / weight.sum())
    spread_km = np.clip(0.25 * np.sqrt(weight[pick] / 1000.0), 0.1, 4.0)
    lat = towns["lat"][pick] + rng.normal(size=n) * spread_km / 111.2
    lon = towns["lon"][pick] + rng.normal(size=n) * spread_km / (
        111.2 * np.cos(np.radians(towns["lat"][pick]))
    )
    codes = list(CHANNEL_MIX)
    mix = np.array([CHANNEL_MIX[c][0] for c in codes])
    channel = rng.choice(len(codes), size=n, p=mix / mix.sum())
    base = np.array([CHANNEL_MIX[c][1] for c in codes])[channel]
    sales = 12_000.0 * base * rng.lognormal(0.0, 1.35, size=n)
    minutes = np.array([CHANNEL_MIX[c][2] for c in codes], dtype=float)[channel]
    district_ids = sorted(households)
    index = {d: i for i, d in enumerate(district_ids)}
    district = np.array([index[towns["district"][p]] for p in pick])
    potential = _potential(
        district, channel, codes, np.array([households[d] for d in district_ids])
    )
    return Accounts(lat, lon, sales, _workload_h(lat, lon, sales, minutes), potential, "generated")


def _towns() -> tuple[dict[str, NDArray], dict[str, float]]:
    """Urban centros poblados (district, lat, lon, how many share the district) and households."""
    with CENSUS.open() as f:
        households = {r["UBIGEO"].zfill(6): float(r["HOGARES"]) for r in csv.DictReader(f)}
    rows = []
    with gzip.open(CCPP, "rt") as f:
        for r in csv.DictReader(f):
            district = r["inei_distrito"].zfill(6)
            if r["tipo"] == "Urban" and district in households and r["latitude"] not in ("", "NA"):
                rows.append((district, float(r["latitude"]), float(r["longitude"])))
    per_district: dict[str, int] = {}
    for d, _, _ in rows:
        per_district[d] = per_district.get(d, 0) + 1
    return {
        "district": np.array([r[0] for r in rows]),
        "lat": np.array([r[1] for r in rows]),
        "lon": np.array([r[2] for r in rows]),
        "share": np.array([per_district[r[0]] for r in rows], dtype=float),
    }, households


def _potential(district, channel, codes, households) -> NDArray[np.float64]:
    """Account potential from the engine's census model with the default channel parameters."""
    model = {c.code: c for c in DEFAULT_CHANNELS}
    channels = [model[c] for c in codes]
    return account_potential(district, channel, households, channels).account


def _workload_h(lat, lon, sales, minutes) -> NDArray[np.float64]:
    """Hours a year: weekly / fortnightly / monthly visits by sales rank, plus travel."""
    rank = np.argsort(np.argsort(-sales)) / len(sales)
    visits = np.where(rank < 0.10, 52, np.where(rank < 0.40, 26, 12))
    travel = expected_travel_min(lat, lon)
    return account_workload_min(visits, minutes, np.minimum(travel, 60.0)) / 60.0


def from_database(url: str) -> Accounts:
    """Accounts of the largest organisation in a Rumbo database: position, 12-month sales,
    12-month visits and their mean duration, channel and district households (plain SQL)."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(_ACCOUNTS_SQL).fetchall()
    data = np.array([[float(x) if x is not None else np.nan for x in r[:6]] for r in rows])
    lat, lon, sales, visits, minutes, households = data.T
    codes = sorted({r[6] for r in rows})
    channel = np.array([codes.index(r[6]) for r in rows])
    districts = sorted({r[7] for r in rows})
    district = np.array([districts.index(r[7]) for r in rows])
    per_district = np.zeros(len(districts))
    per_district[district] = np.nan_to_num(households)
    model = {c.code: c for c in DEFAULT_CHANNELS}
    fallback = DEFAULT_CHANNELS[0]
    channels = [model.get(c, fallback) for c in codes]
    potential = account_potential(district, channel, per_district, channels).account
    travel = np.minimum(expected_travel_min(lat, lon), 60.0)
    minutes = np.where(np.isnan(minutes), 15.0, minutes)
    workload = account_workload_min(np.nan_to_num(visits), minutes, travel) / 60.0
    return Accounts(lat, lon, np.nan_to_num(sales), workload, potential, "database")


_ACCOUNTS_SQL = """
with org as (
    select organisation_id from customers_account group by 1 order by count(*) desc limit 1
), until as (
    select max(ordered_on) as day from orders_order where organisation_id = (select * from org)
), sales as (
    select account_id, sum(net_amount) as amount from orders_order
    where status <> 'cancelled' and ordered_on > (select day from until) - 365
      and organisation_id = (select * from org)
    group by 1
), visits as (
    select account_id, count(*) as n, avg(duration_min) as minutes from interactions_interaction
    where kind = 'visit' and occurred_at > (select day from until) - 365
      and organisation_id = (select * from org)
    group by 1
)
select a.lat, a.lon, s.amount, v.n, v.minutes, d.households_2017, c.code,
       coalesce(a.distrito_id, '')
from customers_account a
join customers_channel c on c.id = a.channel_id
left join geo_distrito d on d.ubigeo = a.distrito_id
left join sales s on s.account_id = a.id
left join visits v on v.account_id = a.id
where a.organisation_id = (select * from org) and a.lat is not null and a.lon is not null
order by a.id
"""
