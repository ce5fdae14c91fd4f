"""Great-circle distances on the WGS84 mean sphere, vectorised with numpy; which areas touch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Distance in km between points given in degrees; arrays broadcast like numpy's."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_matrix_km(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """All pairwise distances (km) between n points: an n × n symmetric matrix."""
    lat_a, lon_a = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    return haversine_km(lat_a[:, None], lon_a[:, None], lat_a[None, :], lon_a[None, :])


def shared_vertex_adjacency(
    rings: Sequence[Sequence[Sequence[tuple[float, float]]]], decimals: int = 4
) -> sparse.csr_array:
    """Which areas touch: areas i and j are adjacent when a vertex of one's boundary rings is
    also a vertex of the other's (to `decimals` places of a degree, about 11 m at 4).

    Boundaries simplified together (as INEI's district layer is) keep their shared vertices,
    so this finds the same neighbours as a polygon intersection at a fraction of the cost.
    """
    owners: dict[tuple[float, float], set[int]] = {}
    for area, area_rings in enumerate(rings):
        for ring in area_rings:
            for x, y in ring:
                owners.setdefault((round(x, decimals), round(y, decimals)), set()).add(area)
    pairs = {(a, b) for shared in owners.values() for a in shared for b in shared if a < b}
    n = len(rings)
    if not pairs:
        return sparse.csr_array((n, n))
    edges = np.array(sorted(pairs), dtype=np.int64)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
