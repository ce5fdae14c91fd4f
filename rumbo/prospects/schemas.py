"""API shapes of prospects."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from rumbo.core.names import proper
from rumbo.core.schemas import PersonRef
from rumbo.prospects.models import Prospect

ProspectSource = Literal["field", "referral", "inbound", "website", "event", "list",
                         "white_space", "other"]  # fmt: skip
ProspectStatus = Literal["new", "contacted", "appointment", "won", "lost"]


class ProspectOut(Schema):
    id: int
    external_code: str
    name: str
    contact_name: str
    phone: str
    email: str
    tax_id: str
    address: str
    ubigeo: str
    distrito: str
    lat: float | None
    lon: float | None
    location_precision: str = Field(description="exact, or district (its reference point).")
    channel: str = Field(description="Code of the channel.")
    source: ProspectSource
    status: ProspectStatus
    lost_reason: str
    owner: PersonRef | None
    territory: int | None
    score: int = Field(description="Fit from 0 to 100; see score_factors for the reason.")
    score_factors: list[dict[str, Any]]
    last_contact_at: dt.datetime | None
    account: int | None = Field(description="The account this prospect became, if won.")
    created_at: dt.datetime

    @staticmethod
    def resolve_ubigeo(obj: Prospect) -> str:
        return obj.distrito_id

    @staticmethod
    def resolve_distrito(obj: Prospect) -> str:
        return proper(obj.distrito.name)

    @staticmethod
    def resolve_channel(obj: Prospect) -> str:
        return obj.channel.code

    @staticmethod
    def resolve_territory(obj: Prospect) -> int | None:
        return obj.territory_id

    @staticmethod
    def resolve_account(obj: Prospect) -> int | None:
        return obj.account_id


class ProspectIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    ubigeo: str = Field(pattern=r"^\d{6}$", description="The district's INEI ubigeo.")
    channel: str = Field(description="Code of the customer channel.")
    source: ProspectSource = "other"
    contact_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=30)
    email: str = ""
    tax_id: str = Field("", max_length=11)
    address: str = Field("", max_length=250)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    owner: int | None = Field(None, description="Id of a rep of yours; a rep's own by default.")
    territory: int | None = Field(None, description="Id of one of your territories.")
    notes: str = ""
    external_code: str = Field("", max_length=40)


class ProspectQuery(Schema):
    status: ProspectStatus | None = None
    open: bool = Field(False, description="Only new, contacted and appointment.")
    owner: int | None = None
    ubigeo: str | None = Field(None, pattern=r"^\d{6}$")
    q: str | None = Field(None, max_length=100)
