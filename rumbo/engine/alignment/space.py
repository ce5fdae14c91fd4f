"""Positions as Cartesian kilometres, so distances are plain vector norms and KD-trees work.

Geographic positions go onto the WGS84 mean sphere in 3-D; the straight (chord) distance between
two points is never longer than the great-circle one and within 0.1 % of it up to 1,000 km, which
is the scale of a sales territory. Planar positions (benchmark instances) stay as they are.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rumbo.engine.geo import EARTH_RADIUS_KM

# Exact medoids cost s² distances for a territory of s units; above this, only candidates near
# the weighted mean are tried (the medoid of a compact territory lies close to that mean).
EXACT_MEDOID_UNITS = 1500
MEDOID_CANDIDATES = 256
MEDOID_BLOCK = 256  # candidates priced together


def xyz_km(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """Points given in degrees as (n, 3) Cartesian km on the mean Earth sphere."""
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    cos_phi = np.cos(phi)
    return EARTH_RADIUS_KM * np.stack(
        [cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)], axis=-1
    )


def to_space(positions: NDArray[np.float64], geographic: bool) -> NDArray[np.float64]:
    """(lat, lon) degrees to 3-D km when geographic, else the planar (x, y) as given."""
    if geographic:
        return xyz_km(positions[:, 0], positions[:, 1])
    return np.asarray(positions, dtype=float)


def distances_to(points: NDArray[np.float64], centre: NDArray[np.float64]) -> NDArray:
    """Distances from each point to one centre."""
    return np.sqrt(((points - centre) ** 2).sum(axis=-1))


def medoid(
    points: NDArray[np.float64], weights: NDArray[np.float64], tries: int = MEDOID_CANDIDATES
) -> tuple[int, float]:
    """The point minimising the weighted sum of distances to all points, and that sum.

    Exact up to EXACT_MEDOID_UNITS points (or `tries`, if larger); beyond, the best of the
    `tries` points nearest the weighted mean. Squared gaps are summed coordinate by coordinate
    on 2-D blocks, several times faster than one (candidates, points, 3) array.
    """
    size = len(points)
    if size == 0:
        raise ValueError("a medoid needs at least one point")
    candidates = np.arange(size)
    if size > max(EXACT_MEDOID_UNITS, tries) or tries < min(size, MEDOID_CANDIDATES):
        mean = (weights[:, None] * points).sum(axis=0) / max(weights.sum(), 1e-300)
        candidates = np.argsort(distances_to(points, mean))[:tries]
    cost = np.empty(len(candidates))
    for start in range(0, len(candidates), MEDOID_BLOCK):
        block = candidates[start : start + MEDOID_BLOCK]
        square = np.zeros((len(block), size))
        for axis in range(points.shape[1]):
            gap = np.subtract.outer(points[block, axis], points[:, axis])
            square += gap * gap
        cost[start : start + MEDOID_BLOCK] = np.sqrt(square, out=square) @ weights
    best = int(np.argmin(cost))
    return int(candidates[best]), float(cost[best])
