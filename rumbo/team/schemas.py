"""API shapes of the field team: a rep's profile, with cost only for those who plan with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from ninja import Field, FilterSchema, Schema

from rumbo.core.models import Role, User
from rumbo.core.schemas import PersonRef
from rumbo.team.models import Rep
from rumbo.territories.models import Territory
from rumbo.territories.schemas import TerritoryRef

# Who may see what a rep's hour costs: the people who plan territories and routes.
COST_ROLES = frozenset({Role.ADMIN, Role.MANAGER})


class RepOut(Schema):
    id: int
    user: PersonRef
    code: str
    phone: str
    is_active: bool
    home_ubigeo: str | None = Field(description="Ubigeo of the home district.")
    home_distrito: str | None = Field(description="Name of the home district.")
    home_lat: float | None
    home_lon: float | None
    work_start: dt.time
    work_end: dt.time
    work_days: list[str] = Field(description="Weekdays worked: mon, tue, … sun.")
    weekly_capacity_hours: Decimal
    max_discount_pct: Decimal
    cost_per_hour: Decimal | None = Field(description="Only for administrators and managers.")
    territories: list[TerritoryRef] = Field(description="Territories the rep covers today.")

    @staticmethod
    def resolve_home_ubigeo(obj: Rep) -> str | None:
        return obj.home_distrito_id

    @staticmethod
    def resolve_home_distrito(obj: Rep) -> str | None:
        return obj.home_distrito.name if obj.home_distrito else None

    @staticmethod
    def resolve_cost_per_hour(obj: Rep, context: dict[str, Any]) -> Decimal | None:
        user: User = context["request"].user
        return obj.cost_per_hour if user.role in COST_ROLES else None

    @staticmethod
    def resolve_territories(obj: Rep) -> list[Territory]:
        return [a.territory for a in getattr(obj.user, "current_rep_assignments", [])]


class RepQuery(FilterSchema):
    q: str | None = Field(None, description="Part of the name, user name or code.")
    is_active: bool | None = None

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return (
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__username__icontains=value)
            | Q(code__icontains=value)
        )
