"""Lay the company over the map: how many reps and accounts per zone, where each account is,
and which accounts make up each territory."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rumbo.demo.geography import (
    Geography,
    Placement,
    Region,
    Zone,
    allocate,
    bisect,
    place_accounts,
)
from rumbo.demo.people import Plan
from rumbo.demo.sizes import Size

MIN_ACCOUNTS_PER_REP = 4


@dataclass
class Layout:
    placement: Placement
    plan: Plan
    territory: np.ndarray  # territory index of each account
    districts: list[set[str]]  # ubigeos of each territory


def lay_out(
    rng: np.random.Generator, geo: Geography, zones: list[tuple[Region, Zone]], size: Size
) -> Layout:
    """Reps and accounts go to zones by households; zones split into one territory per rep."""
    reps = allocate(geo.zone_households, size.reps, minimum=1)
    accounts = allocate(geo.zone_households, size.accounts, minimum=MIN_ACCOUNTS_PER_REP * reps)
    placement = place_accounts(rng, geo, accounts)
    zone_of_account = geo.zone[placement.district]
    plan = Plan(zone=[], name=[], code=[], accounts=[])
    for z, (_, zone) in enumerate(zones):
        members = np.flatnonzero(zone_of_account == z)
        units = [
            members[placement.district[members] == d]
            for d in np.unique(placement.district[members])
        ]
        groups = bisect(units, placement.lat, placement.lon, int(reps[z]))
        for i, group in enumerate(groups, start=1):
            plan.zone.append(z)
            plan.name.append(f"{zone.name} {i}")
            plan.code.append(f"{zone.code}-{i}")
            plan.accounts.append(np.sort(group))
    territory = np.empty(len(placement.district), dtype=np.int64)
    for t, group in enumerate(plan.accounts):
        territory[group] = t
    districts = [{geo.ubigeo[d] for d in np.unique(placement.district[g])} for g in plan.accounts]
    return Layout(placement, plan, territory, districts)
