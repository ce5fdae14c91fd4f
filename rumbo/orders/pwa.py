"""The installable app: its manifest and its service worker, both served from the site root so
the worker's scope covers every page. Public, like any static file: they hold no data.

The worker's script is rumbo/static/js/orders/sw.js behind a prelude naming the files to keep
for offline use and a version: a hash of those files, so any change installs a new worker.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Static files the order form needs, kept by the worker for offline use.
PRECACHE = [
    "vendor/pico/pico.min.css",
    "vendor/htmx/htmx.min.js",
    "css/rumbo.css",
    "css/orders.css",
    "js/shell.js",
    "js/orders/store.js",
    "js/orders/sync.js",
    "js/orders/pricing.js",
    "js/orders/form.js",
    "js/orders/outbox.js",
    "orders/icon-192.png",
]
WORKER = "js/orders/sw.js"


def _source(path: str) -> bytes:
    found = finders.find(path)
    return Path(str(found)).read_bytes() if found else b""


def _pages() -> list[str]:
    return [reverse("orders:new"), reverse("orders:outbox")]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    urls = [static(path) for path in PRECACHE]
    digest = hashlib.sha256()
    for path in [*PRECACHE, WORKER]:
        digest.update(_source(path))
    config = {
        "version": digest.hexdigest()[:16],
        "precache": urls,
        "pages": _pages(),
        "fallback": reverse("orders:outbox"),
    }
    prelude = f"const RUMBO_SW = {json.dumps(config)};\n"
    response = HttpResponse(
        prelude.encode() + _source(WORKER), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static(f"orders/icon-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any maskable"}
        for size in (192, 512)
    ]  # fmt: skip
    data = {
        "name": "Rumbo",
        "short_name": "Rumbo",
        "description": _("Sales territories, accounts and orders, also without a connection."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0f2e24",
        "icons": icons,
        "shortcuts": [
            {"name": _("New order"), "url": reverse("orders:new")},
            {"name": _("Orders waiting to sync"), "url": reverse("orders:outbox")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
