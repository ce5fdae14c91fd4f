"""What every page's shell needs: the navigation the user's role allows, and map settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    icon: str
    roles: frozenset[str]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ALL = frozenset(Role.values)
STAFF = frozenset({Role.ADMIN, Role.MANAGER})

NAVIGATION = (
    NavItem("reports:home", _("Home"), "⌂", ALL),
    NavItem("customers:account_list", _("Accounts"), "◉", ALL),
    NavItem("orders:list", _("Orders"), "✎", ALL),
    NavItem("territories:tree", _("Territories"), "▦", ALL),
    NavItem("design:list", _("Territory design"), "⬡", STAFF),
    NavItem("coverage:overview", _("Segments"), "◔", ALL),
    NavItem("visits:home", _("Visit plan"), "◷", STAFF | {Role.REP}),
    NavItem("interactions:home", _("Activity"), "✆", ALL),
    NavItem("prospects:list", _("Prospecting"), "✚", ALL),
    NavItem("reports:performance:index", _("Performance"), "▲", ALL),
    NavItem("reports:targets:home", _("Targets"), "◎", STAFF | {Role.REP}),
    NavItem("seasons:profiles", _("Seasons and forecasts"), "☼", ALL),
    NavItem("review:list", _("Monthly review"), "✓", STAFF),
    NavItem("imports:list", _("Import"), "⇪", STAFF),
    NavItem("core:audit", _("Audit trail"), "☰", frozenset({Role.ADMIN})),
)


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "map_tile_url": settings.RUMBO_MAP_TILE_URL}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {
            "url": item.url,
            "label": item.label,
            "icon": item.icon,
            "active": current == item.url_name,
        }
        for item in NAVIGATION
        if user.role in item.roles or user.is_superuser
    ]
    return {"navigation": items, "map_tile_url": settings.RUMBO_MAP_TILE_URL}
