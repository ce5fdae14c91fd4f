"""Workload: minutes each account takes a period, and each territory's load against capacity.

Workload per account = visits per period × (visit duration + expected travel per visit). Expected
travel is estimated from how close the account's neighbours are: a rep reaching it on a route
arrives from one nearby account and leaves to another, so half the sum of the distances to its two
nearest neighbours (× a detour factor for streets, ÷ speed) is the travel one visit adds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from rumbo.engine.alignment.space import xyz_km


@dataclass(frozen=True)
class WorkloadResult:
    """Load, capacity and utilisation (load / capacity) per territory, in the same time unit."""

    load: NDArray[np.float64]
    capacity: NDArray[np.float64]
    utilisation: NDArray[np.float64]
    overloaded: NDArray[np.bool_]


def account_workload_min(
    visits_per_period: ArrayLike, visit_min: ArrayLike, travel_min: ArrayLike
) -> NDArray[np.float64]:
    """Minutes per period each account takes: visits × (visit duration + travel per visit)."""
    visits = np.asarray(visits_per_period, dtype=float)
    return visits * (np.asarray(visit_min, dtype=float) + np.asarray(travel_min, dtype=float))


def expected_travel_min(
    lat: ArrayLike,
    lon: ArrayLike,
    group: ArrayLike | None = None,
    speed_kmh: float = 25.0,
    detour: float = 1.3,
    neighbours: int = 2,
) -> NDArray[np.float64]:
    """Minutes of travel one visit adds: mean distance to the nearest accounts of the same group.

    `group` (e.g. the territory) restricts the neighbours to accounts the same rep serves; an
    account alone in its group adds no travel. `detour` turns straight lines into road distance.
    """
    if speed_kmh <= 0 or detour < 1 or neighbours < 1:
        raise ValueError("speed must be > 0, detour >= 1 and neighbours >= 1")
    points = xyz_km(lat, lon)
    groups = np.zeros(len(points), dtype=np.int64) if group is None else np.asarray(group)
    km = np.zeros(len(points))
    for value in np.unique(groups):
        members = np.flatnonzero(groups == value)
        if len(members) < 2:
            continue
        count = min(neighbours, len(members) - 1)
        found, _ = cKDTree(points[members]).query(points[members], k=count + 1)
        km[members] = np.asarray(found).reshape(len(members), -1)[:, 1:].mean(axis=1)
    return km * detour / speed_kmh * 60.0


def territory_workload(
    workload: ArrayLike, territory: ArrayLike, capacity: ArrayLike
) -> WorkloadResult:
    """Sum each territory's account workload and compare it with the capacity of its rep.

    `territory` indexes into `capacity` (one entry per territory); accounts with -1 are
    unassigned and count nowhere. A territory without capacity shows infinite utilisation
    when it has any load.
    """
    cap = np.asarray(capacity, dtype=float)
    where = np.asarray(territory, dtype=np.int64)
    work = np.asarray(workload, dtype=float)
    assigned = where >= 0
    load = np.bincount(where[assigned], weights=work[assigned], minlength=len(cap))
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(cap > 0, load / np.where(cap > 0, cap, 1.0), np.inf)
    utilisation = np.where((cap <= 0) & (load == 0), 0.0, utilisation)
    return WorkloadResult(load.astype(float), cap, utilisation, load > cap)
