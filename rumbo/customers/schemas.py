"""API shapes of accounts: the list row, the detail with contacts, and the list's filters.

Amounts (credit limit, sales) are null for users who may not see amounts (viewers without
the grant), so one schema serves every role.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from rumbo.core.models import User
from rumbo.core.schemas import PersonRef
from rumbo.customers.models import Account
from rumbo.customers.selectors import SORTS
from rumbo.territories.schemas import TerritoryRef

SORT_PATTERN = "^-?(" + "|".join(sorted(SORTS)) + ")$"


def _sees_amounts(context: dict[str, Any]) -> bool:
    user: User = context["request"].user
    return user.sees_amounts


class ChannelRef(Schema):
    id: int
    code: str
    name: str


class ContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    email: str
    is_primary: bool


class AccountOut(Schema):
    id: int
    external_code: str = Field(description="Code in the customer's ERP.")
    name: str = Field(description="Trade name, or the legal name when there is none.")
    legal_name: str
    trade_name: str
    tax_id_type: str = Field(description="ruc, dni or empty.")
    tax_id: str
    channel: ChannelRef
    status: Account.Status
    country: str = Field(description="ISO 3166 code, PE for Peru.")
    city: str
    ubigeo: str | None = Field(description="INEI ubigeo of the district (Peru only).")
    distrito: str | None = Field(description="Name of the district (Peru only).")
    address: str
    lat: float | None
    lon: float | None
    location_precision: Account.LocationPrecision = Field(
        description="exact, or district when the point is the district's reference point."
    )
    territory: TerritoryRef | None = Field(description="The territory the account is in now.")
    reps: list[PersonRef] = Field(description="Reps covering that territory today.")
    last_order_on: dt.date | None
    credit_limit: Decimal | None = Field(description="Null for users who may not see amounts.")
    sales_12m: Decimal | None = Field(
        description="Net sales of the last 365 days; null for users who may not see amounts."
    )

    @staticmethod
    def resolve_ubigeo(obj: Account) -> str | None:
        return obj.distrito_id

    @staticmethod
    def resolve_distrito(obj: Account) -> str | None:
        return obj.distrito.name if obj.distrito else None

    @staticmethod
    def resolve_reps(obj: Account) -> list[User]:
        if obj.territory is None:
            return []
        return [a.user for a in getattr(obj.territory, "current_reps", [])]

    @staticmethod
    def resolve_credit_limit(obj: Account, context: dict[str, Any]) -> Decimal | None:
        return obj.credit_limit if _sees_amounts(context) else None

    @staticmethod
    def resolve_sales_12m(obj: Account, context: dict[str, Any]) -> Decimal | None:
        return getattr(obj, "sales_12m", None) if _sees_amounts(context) else None


class AccountDetailOut(AccountOut):
    phone: str
    email: str
    opening_hours: dict[str, list[list[str]]] = Field(
        description='Weekday → time ranges, e.g. {"mon": [["08:00", "13:00"]]}; missing = closed.'
    )
    opened_on: dt.date | None
    closed_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    contacts: list[ContactOut]


class AccountQuery(Schema):
    q: str | None = Field(None, description="Words of the name, RUC/DNI or external code.")
    territory: int | None = Field(
        None, description="Territory id, its subtree included; one you cannot see matches nothing."
    )
    channel: str | None = Field(
        None, description="Channel code, e.g. bodega; an unknown code matches nothing."
    )
    status: Account.Status | None = None
    ubigeo: str | None = Field(
        None,
        pattern=r"^\d{2}(\d{2}){0,2}$",
        description="Departamento (2 digits), provincia (4) or distrito (6) ubigeo.",
    )
    sort: str = Field(
        "name",
        pattern=SORT_PATTERN,
        description="Column to sort by, descending with a leading '-': "
        + ", ".join(sorted(SORTS))
        + ".",
    )
