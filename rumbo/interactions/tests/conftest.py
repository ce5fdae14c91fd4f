"""A world of activity on top of the cast: policies, a ticket, a campaign, plans, a prospect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from rumbo.customers.models import Channel
from rumbo.geo.models import Distrito
from rumbo.interactions import campaigns
from rumbo.interactions.models import Campaign, ContactPolicy, PlannedActivity, Ticket
from rumbo.interactions.planning import plan_activity
from rumbo.interactions.services import open_ticket, save_contact_policy
from rumbo.prospects.models import Appointment, Prospect
from rumbo.prospects.services import book_appointment, create_prospect
from rumbo.team.models import Rep
from rumbo.testing import Cast


@dataclass
class Activity:
    cast: Cast
    today: dt.date
    policy: ContactPolicy
    ticket: Ticket
    campaign: Campaign
    visit: PlannedActivity
    prospect: Prospect
    appointment: Appointment
    reps: dict[str, Rep]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cast, name)


def build_activity(cast: Cast) -> Activity:
    today = timezone.localdate()
    channel = cast.channel
    assert channel is not None
    policy = save_contact_policy(
        organisation=cast.org, actor=cast.admin, channel=None, min_days_between=7,
        max_per_month=4, min_per_month=1,
    )  # fmt: skip
    rosita = cast.accounts["alicia_1"]
    ticket = open_ticket(
        account=rosita, actor=cast.vera, topic="delivery", subject="Faltaron dos cajas",
        priority="high",
    )  # fmt: skip
    visit = plan_activity(
        rep=cast.alicia, day=today, kind="visit", actor=cast.maria, account=rosita,
        start_time=dt.time(9, 30), title="Visita de seguimiento",
    )  # fmt: skip
    campaign = campaigns.create_campaign(
        organisation=cast.org, actor=cast.vera, name="Verano Cola", medium="email",
        starts_on=today + dt.timedelta(days=20), ends_on=today + dt.timedelta(days=40),
        channels=[channel], exclude_contacted_days=7,
    )  # fmt: skip
    prospect = create_prospect(
        organisation=cast.org, actor=cast.alicia, name="Bodega Nueva Esperanza",
        distrito=Distrito.objects.get(pk="150135"), channel=channel, source="field",
        phone="987654321", contact_name="Nelly Ramos",
    )  # fmt: skip
    appointment = book_appointment(
        prospect=prospect, actor=cast.alicia, rep=cast.alicia, day=today,
        start_time=dt.time(15, 0),
    )  # fmt: skip
    reps = {r.user.username: r for r in Rep.objects.select_related("user")}
    return Activity(cast, today, policy, ticket, campaign, visit, prospect, appointment, reps)


@pytest.fixture
def activity(cast: Cast) -> Activity:
    return build_activity(cast)


@pytest.fixture
def other_channel(cast: Cast) -> Channel:
    return Channel.objects.create(organisation=cast.org, code="mayorista", name="Mayorista")
