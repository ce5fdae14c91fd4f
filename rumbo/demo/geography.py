"""Where Distribuidora Andina sells: regions, zones and the real districts behind them.

A zone is a list of provincias (or, in Lima and Callao, of districts). Accounts are placed on
urban centros poblados of the zone's districts, more where more households live, and a zone is
cut into territories by recursive geographic bisection, balancing the number of accounts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rumbo.geo.models import CentroPoblado, Distrito


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    tier: str  # "tiny": every size; "core": small and up; "all": medium and large
    provincias: tuple[str, ...] = ()
    distritos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    zones: tuple[Zone, ...]


REGIONS = (
    Region("LIM", "Lima", (
        Zone("LIM-N", "Lima Norte", "tiny", distritos=(
            "150110", "150117", "150135", "150112", "150106", "150125", "150102", "150139")),
        Zone("LIM-E", "Lima Este", "core", distritos=(
            "150132", "150103", "150137", "150111", "150118", "150107", "150109", "150114")),
        Zone("LIM-C", "Lima Centro", "core", distritos=(
            "150101", "150105", "150115", "150128", "150134", "150113", "150116", "150121",
            "150120", "150136", "150122", "150131", "150130", "150140", "150141", "150104")),
        Zone("LIM-S", "Lima Sur", "tiny", distritos=(
            "150133", "150143", "150142", "150108", "150119", "150123", "150126", "150127",
            "150129", "150138", "150124")),
        Zone("CAL", "Callao", "core", provincias=("0701",)),
        Zone("LIM-P", "Lima Provincias", "all", provincias=("1508", "1506", "1505", "1502")),
    )),
    Region("NOR", "Norte", (
        Zone("LAL", "La Libertad", "tiny", provincias=("1301", "1302", "1307", "1304", "1312")),
        Zone("LAM", "Lambayeque", "core", provincias=("1401", "1403", "1402")),
        Zone("PIU", "Piura", "core", provincias=("2001", "2006", "2005", "2007")),
        Zone("ANC", "Áncash", "all", provincias=("0218", "0201")),
    )),
    Region("SUR", "Sur", (
        Zone("ARE", "Arequipa", "tiny", provincias=("0401",)),
        Zone("CUS", "Cusco", "core", provincias=("0801",)),
        Zone("PUN", "Puno", "all", provincias=("2111", "2101")),
        Zone("TAC", "Tacna", "all", provincias=("2301",)),
    )),
    Region("CEN", "Centro", (
        Zone("JUN", "Junín", "core", provincias=("1201", "1207", "1203")),
        Zone("ICA", "Ica", "tiny", provincias=("1101", "1102", "1105", "1103")),
        Zone("HCO", "Huánuco", "all", provincias=("1001", "1006")),
    )),
)  # fmt: skip

TIERS = {"tiny": 0, "core": 1, "all": 2}
METRES_PER_DEGREE = 111_320.0


def zones_for(tier: str) -> list[tuple[Region, Zone]]:
    """The (region, zone) pairs a size covers."""
    return [
        (region, zone)
        for region in REGIONS
        for zone in region.zones
        if TIERS[zone.tier] <= TIERS[tier]
    ]


def spread_radius_m(households_per_town: float) -> float:
    """How far accounts spread around a town's point: 300 m for a small town, up to 3 km
    where one point stands for a city district of hundreds of thousands of households."""
    return float(np.clip(300.0 * math.sqrt(max(households_per_town, 0.0) / 2500.0), 300, 3000))


@dataclass
class Geography:
    """The covered districts (arrays by district index) and their urban centros poblados."""

    ubigeo: list[str]
    name: list[str]
    zone: np.ndarray  # zone index of each district
    households: np.ndarray
    radius_m: np.ndarray
    rings: list[list[np.ndarray]]  # boundary rings (lon, lat) per district; may be empty
    cp_district: np.ndarray
    cp_lat: np.ndarray
    cp_lon: np.ndarray
    cp_weight: np.ndarray
    zone_households: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.zone_households = np.bincount(
            self.zone, weights=self.households, minlength=int(self.zone.max()) + 1
        )


def town_name(name: str) -> str:
    """'SAN MARTIN DE PORRES' → 'San Martin de Porres'."""
    words = name.title().split()
    return " ".join(
        w.lower() if i and w.lower() in {"de", "del", "y"} else w for i, w in enumerate(words)
    )


def _rings(boundary: dict | None) -> list[np.ndarray]:
    if not boundary:
        return []
    coords = boundary.get("coordinates") or []
    polygons = [coords] if boundary.get("type") == "Polygon" else coords
    return [np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon]


def load_geography(zones: list[tuple[Region, Zone]]) -> Geography:
    """Read the districts of the zones that have households and an urban centro poblado."""
    rows, zone_of = [], {}
    for index, (_, zone) in enumerate(zones):
        query = Distrito.objects.filter(households_2017__gt=0)
        query = (
            query.filter(provincia_id__in=zone.provincias)
            if zone.provincias
            else query.filter(ubigeo__in=zone.distritos)
        )
        for d in query.order_by("ubigeo"):
            zone_of[d.ubigeo] = index
            rows.append(d)
    centres = list(
        CentroPoblado.objects.filter(urban=True, distrito_id__in=zone_of)
        .order_by("code")
        .values_list("distrito_id", "name", "lat", "lon")
    )
    with_town = {c[0] for c in centres}
    rows = [d for d in rows if d.ubigeo in with_town]
    index_of = {d.ubigeo: i for i, d in enumerate(rows)}
    capital = {d.ubigeo: (d.capital or "").upper() for d in rows}
    cp_district = np.array([index_of[c[0]] for c in centres])
    # The district's capital town draws more customers than its other towns.
    cp_weight = np.array([3.0 if c[1].upper() == capital[c[0]] else 1.0 for c in centres])
    households = np.array([float(d.households_2017 or 0) for d in rows])
    towns = np.bincount(cp_district, minlength=len(rows))
    return Geography(
        ubigeo=[d.ubigeo for d in rows],
        name=[town_name(d.name) for d in rows],
        zone=np.array([zone_of[d.ubigeo] for d in rows]),
        households=households,
        radius_m=np.array(
            [spread_radius_m(h / max(t, 1)) for h, t in zip(households, towns, strict=True)]
        ),
        rings=[_rings(d.boundary) for d in rows],
        cp_district=cp_district,
        cp_lat=np.array([c[2] for c in centres]),
        cp_lon=np.array([c[3] for c in centres]),
        cp_weight=cp_weight,
    )


def inside(rings: list[np.ndarray], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon test of many points against one district's rings."""
    result = np.zeros(lon.shape, dtype=bool)
    for ring in rings:
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        for a, b, c, d in zip(x1, y1, x2, y2, strict=True):
            crosses = (b > lat) != (d > lat)
            if not crosses.any():
                continue
            x_at = a + (c - a) * (lat - b) / ((d - b) if d != b else 1e-12)
            result ^= crosses & (lon < x_at)
    return result


@dataclass
class Placement:
    district: np.ndarray  # district index per account
    lat: np.ndarray
    lon: np.ndarray
    centre: np.ndarray  # index of the centro poblado each account belongs to


def _offsets(
    rng: np.random.Generator, n: int, radius_m: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r = radius_m * np.sqrt(rng.random(n))
    angle = rng.random(n) * 2 * math.pi
    dlat = r * np.sin(angle) / METRES_PER_DEGREE
    dlon = r * np.cos(angle) / (METRES_PER_DEGREE * np.cos(np.radians(lat)))
    return dlat, dlon


def place_accounts(rng: np.random.Generator, geo: Geography, per_zone: np.ndarray) -> Placement:
    """Put `per_zone[z]` accounts in zone z: a district by households, a town in it, and a
    point around the town that stays inside the district's boundary."""
    districts = []
    for z, count in enumerate(per_zone):
        members = np.flatnonzero(geo.zone == z)
        weights = geo.households[members] / geo.households[members].sum()
        districts.append(rng.choice(members, size=int(count), p=weights))
    district = np.concatenate(districts) if districts else np.zeros(0, dtype=int)
    centre = np.empty(len(district), dtype=int)
    for d in np.unique(district):
        where = np.flatnonzero(district == d)
        towns = np.flatnonzero(geo.cp_district == d)
        p = geo.cp_weight[towns] / geo.cp_weight[towns].sum()
        centre[where] = rng.choice(towns, size=len(where), p=p)
    lat, lon = _spread(rng, geo, district, centre)
    return Placement(district=district, lat=lat, lon=lon, centre=centre)


def _spread(
    rng: np.random.Generator, geo: Geography, district: np.ndarray, centre: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    base_lat, base_lon = geo.cp_lat[centre], geo.cp_lon[centre]
    radius = geo.radius_m[district]
    lat, lon = base_lat.copy(), base_lon.copy()
    todo = np.arange(len(district))
    for attempt in range(6):
        # After five misses (a town on the edge of a simplified boundary), stay within 300 m.
        r = radius[todo] if attempt < 5 else np.minimum(radius[todo], 300.0)
        dlat, dlon = _offsets(rng, len(todo), r, base_lat[todo])
        lat[todo], lon[todo] = base_lat[todo] + dlat, base_lon[todo] + dlon
        if attempt == 5:
            break
        ok = np.ones(len(todo), dtype=bool)
        for d in np.unique(district[todo]):
            rings = geo.rings[d]
            if rings:
                mask = district[todo] == d
                ok[mask] = inside(rings, lon[todo][mask], lat[todo][mask])
        todo = todo[~ok]
        if len(todo) == 0:
            break
    return lat, lon


def _wider_axis(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    scale = math.cos(math.radians(float(np.mean(lat)))) if len(lat) else 1.0
    return lat if np.ptp(lat) >= np.ptp(lon) * scale else lon


def bisect(units: list[np.ndarray], lat: np.ndarray, lon: np.ndarray, k: int) -> list[np.ndarray]:
    """Cut `units` (arrays of account indices, one per district) into `k` groups of about
    equal size, by recursive halving along the wider axis; a district is cut only when one
    district must hold several groups."""
    if k <= 1:
        return [np.concatenate(units)]
    if len(units) == 1:
        unit = units[0]
        order = unit[np.argsort(_wider_axis(lat[unit], lon[unit]), kind="stable")]
        k1 = k // 2
        cut = int(np.clip(round(len(unit) * k1 / k), 1, max(len(unit) - 1, 1)))
        return bisect([order[:cut]], lat, lon, k1) + bisect([order[cut:]], lat, lon, k - k1)
    c_lat = np.array([lat[u].mean() for u in units])
    c_lon = np.array([lon[u].mean() for u in units])
    order = np.argsort(_wider_axis(c_lat, c_lon), kind="stable")
    units = [units[i] for i in order]
    sizes = np.cumsum([len(u) for u in units])
    total = sizes[-1]
    cut = int(np.argmin(np.abs(sizes[:-1] - total * (k // 2) / k))) + 1
    k1 = int(np.clip(round(k * sizes[cut - 1] / total), 1, k - 1))
    return bisect(units[:cut], lat, lon, k1) + bisect(units[cut:], lat, lon, k - k1)


def allocate(weights: np.ndarray, total: int, minimum: np.ndarray | int = 1) -> np.ndarray:
    """Split `total` into integers: each at least `minimum`, the rest proportional to
    `weights` (largest remainders)."""
    base = np.broadcast_to(np.asarray(minimum, dtype=int), weights.shape).copy()
    rest = total - base.sum()
    if rest <= 0:
        return base
    share = weights / weights.sum() * rest
    floor = np.floor(share).astype(int)
    remainder = rest - floor.sum()
    order = np.argsort(-(share - floor), kind="stable")
    floor[order[:remainder]] += 1
    return base + floor
