"""Judge and explain a realignment: travel a week per territory, and what each territory gains
and loses, with a reason for every account that changes hands.

Both sides of a comparison go through the same functions, so today's alignment and any scenario
are measured alike. Positions are (lat, lon) in degrees; distances are in km.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import ConvexHull, QhullError

from rumbo.engine.geo import EARTH_RADIUS_KM, haversine_km

# Expected length of a shortest tour through m random points in an area A is about
# 0.7124·sqrt(m·A) (Beardwood–Halton–Hammersley constant, Applegate et al. estimate).
BHH = 0.7124
# A territory whose rep would gain at least this share of distance counts as "closer".
CLOSER_BY = 0.2


class Reason(StrEnum):
    """Why an account changed territory, most specific first."""

    MANUAL = "manual"  # a manager moved it by hand
    CLOSER = "closer"  # the new rep's base is clearly nearer
    RELIEVE = "relieve"  # the old territory was over its workload target, the new one under
    BALANCE = "balance"  # the optimiser's overall balance and compactness


@dataclass(frozen=True)
class Move:
    unit: int
    source: int  # territory index, -1 when it had none
    target: int
    reason: Reason
    km_before: float  # distance to the old base (nan without one)
    km_after: float


@dataclass(frozen=True)
class Shift:
    """One territory before and after: loads per measure, and the accounts gained and lost."""

    loads_before: NDArray[np.float64]
    loads_after: NDArray[np.float64]
    gained: list[Move]
    lost: list[Move]
    km_week_before: float
    km_week_after: float


def hull_area_km2(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> float:
    """Area of the convex hull of the points, on a local equirectangular projection."""
    if len(lat) < 3:
        return 0.0
    k = np.pi / 180 * EARTH_RADIUS_KM
    xy = np.column_stack([lon * k * np.cos(np.radians(lat.mean())), lat * k])
    try:
        return float(ConvexHull(xy).volume)
    except QhullError:  # all points on a line (or the same point)
        return 0.0


def weekly_travel_km(
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    assignment: NDArray[np.int64],
    visits_per_week: NDArray[np.float64],
    bases: NDArray[np.float64],
    k: int,
    work_days: int = 5,
    detour: float = 1.3,
) -> NDArray[np.float64]:
    """Estimated km driven a week per territory.

    Each working day the rep drives from the base (or, without one, the territory's weighted
    centre) to one sector of the territory and back, and tours that day's stops in between:
    km/day = 2·(mean distance base → stops) + BHH·sqrt(stops a day · area / days), times the
    road detour factor. A planning estimate for comparing alignments, not a route.
    """
    out = np.zeros(k)
    for j in range(k):
        members = np.flatnonzero(assignment == j)
        visits = visits_per_week[members]
        if not len(members) or visits.sum() <= 0:
            continue
        base_lat, base_lon = bases[j]
        if np.isnan(base_lat) or np.isnan(base_lon):
            base_lat = float(np.average(lat[members], weights=visits))
            base_lon = float(np.average(lon[members], weights=visits))
        reach = float(
            np.average(haversine_km(base_lat, base_lon, lat[members], lon[members]), weights=visits)
        )
        area = hull_area_km2(lat[members], lon[members])
        stops_a_day = visits.sum() / work_days
        day = 2 * reach + BHH * np.sqrt(stops_a_day * area / work_days)
        out[j] = work_days * day * detour
    return out


def explain(
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    before: NDArray[np.int64],
    after: NDArray[np.int64],
    measures: NDArray[np.float64],
    targets: NDArray[np.float64],
    bases: NDArray[np.float64],
    manual: NDArray[np.bool_],
    workload: int = 0,
) -> list[Move]:
    """Every unit whose territory differs between `before` and `after`, with its reason.

    measures is (n, m) and targets (k, m); `workload` indexes the workload measure, which
    decides "relieve". bases is (k, 2) with nan rows for territories without a base.
    """
    k = targets.shape[0]
    loads = np.zeros((k, measures.shape[1]))
    placed = before >= 0
    np.add.at(loads, before[placed], measures[placed])
    over = loads[:, workload] > targets[:, workload]
    moves = []
    for unit in np.flatnonzero(before != after):
        source, target = int(before[unit]), int(after[unit])
        km_before = _km(lat[unit], lon[unit], bases, source)
        km_after = _km(lat[unit], lon[unit], bases, target)
        if manual[unit]:
            reason = Reason.MANUAL
        elif km_after < (1 - CLOSER_BY) * km_before:
            reason = Reason.CLOSER
        elif source >= 0 and over[source] and not over[target]:
            reason = Reason.RELIEVE
        else:
            reason = Reason.BALANCE
        moves.append(Move(int(unit), source, target, reason, km_before, km_after))
    return moves


def shifts(
    moves: list[Move],
    before: NDArray[np.int64],
    after: NDArray[np.int64],
    measures: NDArray[np.float64],
    km_week_before: NDArray[np.float64],
    km_week_after: NDArray[np.float64],
) -> list[Shift]:
    """Per territory: loads before and after, the moves in and out, and km a week."""
    k = len(km_week_before)
    shifted = []
    for j in range(k):
        shifted.append(
            Shift(
                loads_before=measures[before == j].sum(axis=0),
                loads_after=measures[after == j].sum(axis=0),
                gained=[m for m in moves if m.target == j],
                lost=[m for m in moves if m.source == j],
                km_week_before=float(km_week_before[j]),
                km_week_after=float(km_week_after[j]),
            )
        )
    return shifted


def _km(lat: float, lon: float, bases: NDArray[np.float64], territory: int) -> float:
    if territory < 0 or np.isnan(bases[territory]).any():
        return float("nan")
    return float(haversine_km(lat, lon, bases[territory, 0], bases[territory, 1]))
