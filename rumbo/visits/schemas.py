"""What the phone sends when a rep arrives at and leaves an account, and what it gets back."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema


class CheckInIn(Schema):
    key: uuid.UUID = Field(description="Made by the phone; sending it again changes nothing.")
    account: int = Field(description="Id of one of your accounts.")
    activity: int | None = Field(None, description="Id of the planned visit, if it was planned.")
    at: dt.datetime = Field(description="When the rep arrived, by the phone's clock.")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)


class CheckOutIn(Schema):
    at: dt.datetime
    outcome: Literal["order", "no_order", "closed"]
    reason: Literal["", "stocked", "money", "owner", "competitor", "other"] = ""
    notes: str = Field("", max_length=2000)


class CheckInOut(Schema):
    key: uuid.UUID
    account: int = Field(alias="account_id")
    activity: int | None = Field(None, alias="activity_id")
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    distance_m: float | None
    far: bool
    outcome: str
    reason: str
    order: int | None = Field(None, alias="order_id")
