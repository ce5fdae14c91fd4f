"""Geography for maps: district polygons by ubigeo or by map box, as GeoJSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from rumbo.core.http import AuthedRequest
from rumbo.geo.models import Distrito
from rumbo.geo.selectors import BBox, distrito_collection, distritos_in, parse_ubigeos

# Geography changes once in years; let browsers keep the polygons for a day.
GEO_CACHE_S = 24 * 3600


@login_required
@require_GET
@cache_control(private=True, max_age=GEO_CACHE_S)
def distritos_geojson(request: AuthedRequest) -> JsonResponse:
    """?ubigeo=150101,150135 or ?bbox=west,south,east,north (both: districts in either)."""
    ubigeo_text = request.GET.get("ubigeo", "")
    bbox_text = request.GET.get("bbox", "")
    if not ubigeo_text and not bbox_text:
        return _bad(_("Give ubigeo codes or a map box (bbox)."))
    distritos = Distrito.objects.none()
    if ubigeo_text:
        codes = parse_ubigeos(ubigeo_text)
        if codes is None:
            return _bad(_("Ubigeo codes are six digits, separated by commas."))
        distritos |= Distrito.objects.filter(ubigeo__in=codes)
    if bbox_text:
        bbox = BBox.parse(bbox_text)
        if bbox is None:
            return _bad(_("The map box must be four numbers: west,south,east,north."))
        distritos |= distritos_in(bbox)
    return JsonResponse(distrito_collection(distritos))


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)
