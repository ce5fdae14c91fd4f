"""API shapes of tickets, campaigns, the timeline and the contact guard's warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from rumbo.core.schemas import PersonRef
from rumbo.interactions.guard import GuardResult
from rumbo.interactions.models import Campaign

TicketTopic = Literal["delivery", "billing", "quality", "price", "stock", "request", "complaint",
                      "other"]  # fmt: skip
TicketPriority = Literal["low", "normal", "high", "urgent"]
TicketStatus = Literal["open", "closed"]
TicketVia = Literal["phone", "email", "whatsapp", "visit", "other"]
CampaignMedium = Literal["phone", "email", "visit", "whatsapp", "sms"]
CampaignStatus = Literal["draft", "planned", "finished", "cancelled"]


class AccountRef(Schema):
    id: int
    name: str
    external_code: str


class TicketOut(Schema):
    id: int
    reference: str = Field(description="T-00001, T-00002, ... per organisation.")
    external_code: str
    account: AccountRef
    topic: TicketTopic
    subject: str
    description: str
    priority: TicketPriority
    status: TicketStatus
    received_via: str
    team: str
    assigned_to: PersonRef | None
    due_on: dt.date | None
    opened_by: PersonRef | None
    opened_at: dt.datetime
    closed_by: PersonRef | None
    closed_at: dt.datetime | None
    resolution: str


class TicketIn(Schema):
    account: int = Field(description="Id of an account you can see.")
    topic: TicketTopic
    subject: str = Field(max_length=200, min_length=1)
    description: str = ""
    priority: TicketPriority = "normal"
    received_via: TicketVia | None = None
    assigned_to: int | None = Field(None, description="Id of a person of your organisation.")
    due_on: dt.date | None = None
    external_code: str = Field("", max_length=40)


class TicketCloseIn(Schema):
    resolution: str = Field(min_length=1, max_length=4000)
    follow_up_on: dt.date | None = Field(
        None, description="Puts a follow-up in the plan of the account's rep for that day."
    )


class TicketQuery(Schema):
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    account: int | None = None
    assigned_to_me: bool = False


class CampaignOut(Schema):
    id: int
    code: str
    name: str
    message: str
    medium: CampaignMedium
    starts_on: dt.date
    ends_on: dt.date
    status: CampaignStatus
    team: str
    channels: list[str] = Field(description="Codes of the customer channels of the audience.")
    territories: list[int] = Field(description="Territory ids of the audience (with subtrees).")
    places: list[str] = Field(description="Ubigeo prefixes of the audience.")
    include_inactive: bool
    exclude_contacted_days: int | None
    respect_policy: bool
    touches: dict[str, int] = Field(description="Touches by status, among accounts you see.")

    @staticmethod
    def resolve_channels(obj: Campaign) -> list[str]:
        return [c.code for c in obj.audience_channels.all()]

    @staticmethod
    def resolve_territories(obj: Campaign) -> list[int]:
        return [t.pk for t in obj.audience_territories.all()]

    @staticmethod
    def resolve_places(obj: Campaign) -> list[str]:
        return list(obj.audience_ubigeos)

    @staticmethod
    def resolve_touches(obj: Campaign) -> dict[str, int]:
        return {k.removeprefix("n_"): v for k, v in vars(obj).items() if k.startswith("n_")}


class CampaignIn(Schema):
    name: str = Field(max_length=150, min_length=1)
    code: str = Field("", max_length=40)
    message: str = ""
    medium: CampaignMedium
    starts_on: dt.date
    ends_on: dt.date
    channels: list[str] = Field([], description="Customer channel codes; empty: every channel.")
    territories: list[int] = Field([], description="Territory ids; empty: all of yours.")
    places: list[str] = Field([], description="Ubigeo codes (2, 4 or 6 digits).")
    include_inactive: bool = False
    exclude_contacted_days: int | None = Field(7, ge=0, le=365)
    respect_policy: bool = True
    build_audience: bool = Field(False, description="Build the audience right away.")


class ContactOut(Schema):
    day: dt.date
    who: str
    team: str
    kind: str
    planned: bool


class BreachOut(Schema):
    rule: str = Field(description="gap (too close to another contact) or monthly (too many).")
    limit: int
    contacts: list[ContactOut]


class GuardOut(Schema):
    """409: the contact breaks the account's contact policy; send `confirm: true` to go on."""

    detail: str
    day: dt.date
    suggested_on: dt.date | None
    breaches: list[BreachOut]

    @staticmethod
    def of(result: GuardResult, detail: str) -> dict[str, Any]:
        verdict = result.verdict
        return {
            "detail": detail,
            "day": verdict.day,
            "suggested_on": verdict.suggested,
            "breaches": [
                {"rule": b.rule, "limit": b.limit, "contacts": [vars(c) for c in b.contacts]}
                for b in verdict.breaches
            ],
        }


class TimelineEntryOut(Schema):
    source: str = Field(description="interaction, order, opened, closed (tickets) or lead.")
    id: int
    day: dt.date
    at: dt.datetime | None
    type: str = Field(description="order, visit, call, email, whatsapp, ticket, campaign, note.")
    type_label: str
    team: str
    who: PersonRef | None
    title: str
    outcome: str
    detail: str
    amount: Decimal | None = Field(description="Orders only; null for users without amounts.")


class TimelineOut(Schema):
    count: int
    page: int
    pages: int
    entries: list[TimelineEntryOut]
