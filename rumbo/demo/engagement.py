"""What service and marketing do with the demo's customers, through the interactions services:
the contact policies, the campaigns of the history (their touches are written with it, see
timeline.py), a campaign about to start with its audience built, and the service tickets
still open today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count
from django.utils import timezone

from rumbo.core.models import Counter, Organisation
from rumbo.coverage.models import Segment
from rumbo.customers.models import Account, Channel
from rumbo.demo.accounts import ACTIVE, Accounts
from rumbo.demo.people import Staff
from rumbo.demo.timeline import CAMPAIGNS, TICKETS
from rumbo.interactions.campaigns import build_audience, close_campaign, create_campaign
from rumbo.interactions.models import Campaign, Ticket
from rumbo.interactions.services import open_ticket, save_contact_policy
from rumbo.territories.models import Territory

# (segment, min days between contacts, most per month, fewest per month); "" is the general one.
POLICIES = (
    ("", 7, 4, 1),
    (Segment.A, 3, 8, 2),
    (Segment.B, 5, 6, 1),
    (Segment.C, 10, 3, 0),
    (Segment.NEW, 5, 6, 2),
)
OPEN_TICKET_SHARE = 1 / 200  # of the active accounts (at least 3)
OPEN_TICKET_NOTES = (
    "El cliente llamó dos veces; espera respuesta antes de su próximo pedido.",
    "Adjuntó fotos por WhatsApp.",
    "Pide que el vendedor lo visite para revisarlo.",
)
UPCOMING_CHANNELS = ("bodega", "minimarket")


@dataclass
class OpenTicket:
    """A ticket still open today and the account index it is on."""

    ticket: Ticket
    account: int


def campaign_day(month_start: dt.date) -> dt.date:
    """The day the history's campaign of a month touches its accounts (see timeline.py)."""
    return month_start + dt.timedelta(days=9)


def create_policies(org: Organisation, staff: Staff) -> int:
    """The general contact policy and one per segment, saved by the admin."""
    for segment, min_days, most, fewest in POLICIES:
        save_contact_policy(
            organisation=org,
            actor=staff.admin,
            channel=None,
            segment=segment,
            min_days_between=min_days,
            max_per_month=most,
            min_per_month=fewest,
        )
    return len(POLICIES)


def history_campaigns(
    org: Organisation, staff: Staff, months: list[dt.date], end: dt.date
) -> dict[int, int]:
    """The finished campaigns of the history's seasons, owned by marketing: month index →
    campaign id. Their touches are written with the month's timeline."""
    found: dict[int, int] = {}
    for m, start in enumerate(months):
        day = campaign_day(start)
        if start.month not in CAMPAIGNS or day > end:
            continue
        campaign = create_campaign(
            organisation=org,
            actor=staff.marketing,
            code=f"HIST-{start:%Y-%m}",
            name=f"{CAMPAIGNS[start.month]} {start.year}",
            message="Ofertas de temporada para nuestros clientes.",
            medium=Campaign.Medium.WHATSAPP,
            starts_on=day,
            ends_on=day + dt.timedelta(days=6),
            exclude_contacted_days=None,
        )
        close_campaign(campaign=campaign, actor=staff.marketing)
        built = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        Campaign.objects.filter(pk=campaign.pk).update(audience_built_at=built)
        found[m] = campaign.pk
    return found


def upcoming_campaign(org: Organisation, staff: Staff, today: dt.date) -> Campaign:
    """A WhatsApp campaign for the bodegas and minimarkets of the zone with most of them,
    starting in two days, with its audience built through the contact guard."""
    channels = list(Channel.objects.filter(organisation=org, code__in=UPCOMING_CHANNELS))
    biggest = (
        Account.objects.filter(organisation=org, status=Account.Status.ACTIVE, channel__in=channels)
        .values("territory__parent")
        .annotate(n=Count("pk"))
        .order_by("-n", "territory__parent")[0]
    )
    zone = Territory.objects.get(pk=biggest["territory__parent"])
    starts = today + dt.timedelta(days=2)
    campaign = create_campaign(
        organisation=org,
        actor=staff.marketing,
        code=f"BM-{starts:%Y-%m}",
        name=f"Bodegas y minimarkets de {zone.name}: surtido de {_month_name(starts)}",
        message="Descuentos por volumen en bebidas y abarrotes.",
        medium=Campaign.Medium.WHATSAPP,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=14),
        channels=channels,
        territories=[zone],
    )
    build_audience(campaign=campaign, actor=staff.marketing)
    return campaign


def _month_name(day: dt.date) -> str:
    names = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "setiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
    return names[day.month - 1]


def open_tickets(
    org: Organisation,
    rng: np.random.Generator,
    acc: Accounts,
    staff: Staff,
    end: dt.date,
    last_number: int,
) -> list[OpenTicket]:
    """A few tickets opened by customer service in the history's last two weeks, still open,
    on active accounts; numbered after the history's closed ones."""
    Counter.objects.update_or_create(
        organisation=org, name="ticket", defaults={"value": last_number}
    )
    active = np.flatnonzero((acc.status == ACTIVE) & (acc.close_day > end.toordinal()))
    count = min(len(active), max(3, round(len(active) * OPEN_TICKET_SHARE)))
    chosen = np.sort(rng.choice(active, size=count, replace=False))
    accounts = Account.objects.in_bulk([int(acc.ids[a]) for a in chosen])
    found = []
    for a in chosen:
        subject, topic, _resolution = TICKETS[int(rng.integers(len(TICKETS)))]
        day = end - dt.timedelta(days=int(rng.integers(0, 14)))
        at = dt.datetime.combine(day, dt.time(int(rng.integers(9, 18)), int(rng.integers(60))))
        urgent = bool(rng.random() < 0.3)
        ticket = open_ticket(
            account=accounts[int(acc.ids[a])],
            actor=staff.service,
            topic=topic,
            subject=subject,
            description=OPEN_TICKET_NOTES[int(rng.integers(len(OPEN_TICKET_NOTES)))],
            priority=Ticket.Priority.HIGH if urgent else Ticket.Priority.NORMAL,
            received_via=str(rng.choice(["phone", "whatsapp", "email"])),
            assigned_to=staff.service,
            due_on=day + dt.timedelta(days=2 if urgent else 5),
            opened_at=timezone.make_aware(at),
        )
        found.append(OpenTicket(ticket, int(a)))
    return found
