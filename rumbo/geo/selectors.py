"""Reads of Peru's geography shaped for maps: district polygons as a GeoJSON FeatureCollection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from rumbo.core.names import proper
from rumbo.geo.models import Distrito

# More polygons than this in one answer would make a slow, unreadable map; callers narrow down.
MAX_FEATURES = 2000
UBIGEO = re.compile(r"^\d{6}$")
# District reference points sit inside their polygons; widen a box by this much (degrees) so
# districts that reach into the box from outside it are drawn too.
BBOX_MARGIN_DEG = 0.25


@dataclass(frozen=True)
class BBox:
    """A lon/lat box, west-south-east-north like GeoJSON and Leaflet's toBBoxString()."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox | None:
        """'-77.2,-12.3,-76.8,-11.9' → BBox; None when it is not four numbers in order."""
        parts = text.split(",")
        if len(parts) != 4:
            return None
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            return None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            return None
        return cls(west, south, east, north)


def parse_ubigeos(text: str) -> list[str] | None:
    """'150101,150135' → ['150101', '150135']; None when any code is not six digits."""
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not all(UBIGEO.match(c) for c in codes):
        return None
    return sorted(set(codes))


def distritos_in(bbox: BBox) -> QuerySet[Distrito]:
    """Districts whose reference point lies in the box, widened by a margin."""
    m = BBOX_MARGIN_DEG
    return Distrito.objects.filter(
        lon__gte=bbox.west - m,
        lon__lte=bbox.east + m,
        lat__gte=bbox.south - m,
        lat__lte=bbox.north + m,
    )


def distrito_collection(distritos: QuerySet[Distrito]) -> dict[str, Any]:
    """The districts' polygons with their names and census figures, at most MAX_FEATURES."""
    rows = list(
        distritos.filter(boundary__isnull=False)
        .select_related("provincia__departamento")
        .order_by("ubigeo")[: MAX_FEATURES + 1]
    )
    features = [_feature(d) for d in rows[:MAX_FEATURES]]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": len(rows) > MAX_FEATURES,
    }


def _feature(d: Distrito) -> dict[str, Any]:
    prov = d.provincia
    return {
        "type": "Feature",
        "id": d.ubigeo,
        "geometry": d.boundary,
        "properties": {
            "ubigeo": d.ubigeo,
            "name": proper(d.name),
            "provincia": proper(prov.name),
            "departamento": proper(prov.departamento.name),
            "population_2017": d.population_2017,
            "households_2017": d.households_2017,
        },
    }
