"""Travel distances and times between points, behind an interface a road router can implement.

The default model needs no road network: the straight-line (great-circle) distance times a
circuity factor, driven at one speed when both ends of a leg are urban and another otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rumbo.engine.geo import distance_matrix_km


@dataclass(frozen=True)
class TravelMatrix:
    """Road distance (km) and driving time (min) between every ordered pair of points."""

    distance_km: NDArray[np.float64]
    duration_min: NDArray[np.float64]

    def __post_init__(self) -> None:
        dist, dur = self.distance_km, self.duration_min
        if dist.ndim != 2 or dist.shape[0] != dist.shape[1] or dist.shape != dur.shape:
            raise ValueError("distance_km and duration_min must be square and of equal shape")
        if (dist < 0).any() or (dur < 0).any() or not np.isfinite(dist).all():
            raise ValueError("distances and durations must be finite and non-negative")


class TravelTimeModel(Protocol):
    """Anything that turns points into a travel matrix (a deployment may plug in OSRM etc.)."""

    def matrix(self, lat: ArrayLike, lon: ArrayLike, urban: ArrayLike) -> TravelMatrix: ...


@dataclass(frozen=True)
class StraightLineTravelModel:
    """Great-circle km × `circuity`, at `urban_kmh` when both ends are urban, else `rural_kmh`.

    `access_min` is added to every leg between two distinct points: parking and walking to the
    door, which dominate short urban hops. Defaults suit Peruvian cities and provincial roads.
    """

    circuity: float = 1.35
    urban_kmh: float = 20.0
    rural_kmh: float = 45.0
    access_min: float = 0.0

    def __post_init__(self) -> None:
        if self.circuity < 1.0:
            raise ValueError("circuity must be >= 1 (roads are never shorter than a straight line)")
        if self.urban_kmh <= 0 or self.rural_kmh <= 0:
            raise ValueError("speeds must be positive")
        if self.access_min < 0:
            raise ValueError("access_min must be >= 0")

    def matrix(self, lat: ArrayLike, lon: ArrayLike, urban: ArrayLike) -> TravelMatrix:
        """Distances and durations between all points; the diagonal is zero."""
        flags = np.asarray(urban, dtype=bool)
        distance = distance_matrix_km(lat, lon) * self.circuity
        if flags.shape != (distance.shape[0],):
            raise ValueError("give one urban flag per point")
        both_urban = flags[:, None] & flags[None, :]
        speed = np.where(both_urban, self.urban_kmh, self.rural_kmh)
        duration = distance / speed * 60.0
        duration += np.where(distance > 0, self.access_min, 0.0)
        return TravelMatrix(distance_km=distance, duration_min=duration)
