"""Read the shipped geography files (rumbo/geo/data) and load them into the geo tables.

The functions take the model classes as arguments so that the data migration can pass its
historical models and the `load_geo` command the current ones.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH = 5000


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _num(value: str) -> float | None:
    return None if value in ("", "NA", "S.I.") else float(value)


def _int(value: str) -> int | None:
    number = _num(value)
    return None if number is None else round(number)


def polygon_centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """Area-weighted centroid (lat, lon) of the largest ring set of a (Multi)Polygon."""
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    area_sum = cx_sum = cy_sum = 0.0
    for polygon in polygons:
        ring = polygon[0]
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area_sum += cross
            cx_sum += (x0 + x1) * cross
            cy_sum += (y0 + y1) * cross
    if abs(area_sum) < 1e-12:
        return None
    return cy_sum / (3 * area_sum), cx_sum / (3 * area_sum)


@dataclass
class GeoFiles:
    """Everything in the data folder, parsed once."""

    departamentos: list[dict[str, str]]
    provincias: list[dict[str, str]]
    distritos: list[dict[str, str]]
    census: dict[str, dict[str, str]]
    population_2022: dict[str, str]
    boundaries: dict[str, dict[str, Any]]
    centros: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, data_dir: Path = DATA_DIR, *, with_centros: bool = True) -> GeoFiles:
        with gzip.open(data_dir / "boundaries" / "peru_distrital_simple.geojson.gz", "rt") as fh:
            features = json.load(fh)["features"]
        return cls(
            departamentos=list(_rows(data_dir / "ubigeo" / "ubigeo_departamento.csv")),
            provincias=list(_rows(data_dir / "ubigeo" / "ubigeo_provincia.csv")),
            # One district created in 2019 has no INEI code yet; without one it cannot be joined.
            distritos=[
                r for r in _rows(data_dir / "ubigeo" / "ubigeo_distrito.csv") if r["inei"] != "NA"
            ],
            census={
                r["UBIGEO"]: r for r in _rows(data_dir / "census2017" / "distritos_censo2017.csv")
            },
            population_2022={
                r["ubigeo"]: r["p2022"]
                for r in _rows(data_dir / "census2017" / "poblacion_2007_2022_distrito.csv")
            },
            boundaries={
                f["properties"]["IDDIST"]: f["geometry"]
                for f in features
                if f["geometry"] is not None
            },
            centros=list(_rows(data_dir / "ubigeo" / "ubigeo_ccpp.csv.gz")) if with_centros else [],
        )


def load(
    departamento_model: Any,
    provincia_model: Any,
    distrito_model: Any,
    centro_model: Any,
    files: GeoFiles | None = None,
) -> dict[str, int]:
    """Replace the geo tables' contents with the shipped data. Returns row counts."""
    files = files or GeoFiles.read()
    centro_model.objects.all().delete()
    distrito_model.objects.all().delete()
    provincia_model.objects.all().delete()
    departamento_model.objects.all().delete()

    departamento_model.objects.bulk_create(
        departamento_model(
            code=r["inei"][:2],
            name=r["departamento"],
            lat=_num(r["latitude"]),
            lon=_num(r["longitude"]),
        )
        for r in files.departamentos
    )
    provincia_model.objects.bulk_create(
        provincia_model(
            code=r["inei"][:4],
            departamento_id=r["inei"][:2],
            name=r["provincia"],
            lat=_num(r["latitude"]),
            lon=_num(r["longitude"]),
        )
        for r in files.provincias
    )
    fallback = {
        r["inei"][:4]: (_num(r["latitude"]), _num(r["longitude"])) for r in files.provincias
    } | _mean_positions(files.centros)
    distrito_model.objects.bulk_create(
        (_distrito(distrito_model, r, files, fallback) for r in files.distritos), batch_size=500
    )
    batch: list[Any] = []
    for r in files.centros:
        batch.append(
            centro_model(
                code=r["inei_ccpp"],
                distrito_id=r["inei_distrito"],
                name=r["ccpp"],
                urban=r["tipo"] == "Urban",
                lat=float(r["latitude"]),
                lon=float(r["longitude"]),
            )
        )
        if len(batch) >= BATCH:
            centro_model.objects.bulk_create(batch)
            batch = []
    centro_model.objects.bulk_create(batch)
    return {
        "departamentos": len(files.departamentos),
        "provincias": len(files.provincias),
        "distritos": len(files.distritos),
        "centros_poblados": len(files.centros),
    }


def _mean_positions(centros: list[dict[str, str]]) -> dict[str, tuple[float | None, float | None]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for r in centros:
        acc = sums[r["inei_distrito"]]
        acc[0] += float(r["latitude"])
        acc[1] += float(r["longitude"])
        acc[2] += 1
    return {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}


def _distrito(
    model: Any,
    r: dict[str, str],
    files: GeoFiles,
    fallback: dict[str, tuple[float | None, float | None]],
) -> Any:
    """A district row; without coordinates, its polygon's centroid, else the mean position of
    its centros poblados, else its provincia's capital."""
    ubigeo = r["inei"]
    census = files.census.get(ubigeo, {})
    boundary = files.boundaries.get(ubigeo)
    lat, lon = _num(r["latitude"]), _num(r["longitude"])
    if lat is None or lon is None:
        point = polygon_centroid(boundary) if boundary else None
        lat, lon = point or fallback.get(ubigeo) or fallback.get(ubigeo[:4], (None, None))
    return model(
        ubigeo=ubigeo,
        provincia_id=ubigeo[:4],
        name=r["distrito"],
        capital="" if r["capital"] == "NA" else r["capital"],
        lat=lat,
        lon=lon,
        area_km2=_num(r["superficie"]),
        population_2017=_int(census.get("POBTOTAL", "")),
        urban_population_2017=_int(census.get("POBURBANA", "")),
        households_2017=_int(census.get("HOGARES", "")),
        population_2022=_int(files.population_2022.get(ubigeo, "")),
        boundary=boundary,
    )
