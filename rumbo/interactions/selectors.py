"""Reads behind the service, campaign and account-activity screens, all through visible_to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from rumbo.core.models import User
from rumbo.customers.models import Account
from rumbo.engine import contact_guard as engine
from rumbo.interactions.guard import (
    GuardResult,
    PolicyBook,
    contacts_of,
    engine_policy,
    window,
)
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
    TicketQuerySet,
)
from rumbo.orders.models import MonthlySales
from rumbo.prospects.models import Prospect
from rumbo.targets.models import Measure, Target

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


@dataclass(frozen=True)
class TicketFilters:
    status: str = Ticket.Status.OPEN
    priority: str = ""
    topic: str = ""
    team: str = ""
    mine: bool = False
    text: str = ""
    territory_path: str = ""

    def apply(self, tickets: TicketQuerySet, user: User) -> TicketQuerySet:
        if self.status:
            tickets = tickets.filter(status=self.status)
        for name in ("priority", "topic", "team"):
            if getattr(self, name):
                tickets = tickets.filter(**{name: getattr(self, name)})
        if self.mine:
            tickets = tickets.filter(assigned_to=user)
        if self.territory_path:
            tickets = tickets.filter(account__territory__path__startswith=self.territory_path)
        if self.text:
            tickets = tickets.filter(
                Q(subject__icontains=self.text)
                | Q(account__trade_name__icontains=self.text)
                | Q(account__legal_name__icontains=self.text)
                | Q(account__external_code__iexact=self.text)
            )
        return tickets


def ticket_list(user: User, filters: TicketFilters) -> TicketQuerySet:
    return filters.apply(Ticket.objects.visible_to(user), user).select_related(
        "account", "assigned_to", "opened_by"
    )


def ticket_counts(user: User) -> dict[str, int]:
    """Open tickets the user sees, all and by priority."""
    rows = Ticket.objects.visible_to(user).open().values("priority").annotate(n=Count("id"))
    counts = {row["priority"]: row["n"] for row in rows}
    return {"open": sum(counts.values()), **counts}


def ticket_detail(user: User, pk: int) -> Ticket:
    ticket = (
        Ticket.objects.visible_to(user)
        .select_related("account", "assigned_to", "opened_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def campaign_list(user: User) -> QuerySet[Campaign]:
    """Campaigns with the number of touches of each status among the accounts the user sees."""
    visible = Account.objects.visible_to(user)
    counts = {
        f"n_{status}": Count(
            "touches", filter=Q(touches__status=status, touches__account__in=visible)
        )
        for status in CampaignTouch.Status.values
    }
    return (
        Campaign.objects.visible_to(user)
        .select_related("owner")
        .annotate(**counts)
        .order_by("-starts_on", "-pk")
    )


def campaign_touches(user: User, campaign: Campaign) -> QuerySet[CampaignTouch]:
    return (
        CampaignTouch.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("account", "account__territory", "interaction__user")
        .order_by("status", "planned_on", "account__trade_name", "pk")
    )


def touch_counts(touches: QuerySet[CampaignTouch]) -> dict[str, int]:
    rows = touches.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


@dataclass(frozen=True)
class ContactStatus:
    """Where an account stands with its contact policy today."""

    result: GuardResult
    last: engine.Contact | None
    this_month: int
    upcoming: list[engine.Contact]


def contact_status(account: Account, today: dt.date | None = None) -> ContactStatus:
    """The account's policy, its contacts around today, and the first day it may be contacted,
    in five queries (seven when the organisation has a segment policy)."""
    today = today or timezone.localdate()
    policy = PolicyBook(account.organisation_id).for_account(account)
    start, end = window(today)
    contacts = contacts_of([account.pk], start, end).get(account.pk, [])
    if policy is None:
        verdict = engine.Verdict(today, (), today)
    else:
        verdict = engine.check(engine_policy(policy), contacts, today, not_before=today)
    made = [c for c in contacts if not c.planned and c.day <= today]
    month = [c for c in contacts if (c.day.year, c.day.month) == (today.year, today.month)]
    upcoming = sorted((c for c in contacts if c.planned and c.day >= today), key=lambda c: c.day)
    return ContactStatus(
        result=GuardResult(account, policy, verdict),
        last=max(made, key=lambda c: c.day, default=None),
        this_month=len(month),
        upcoming=upcoming[:5],
    )


@dataclass(frozen=True)
class TargetShare:
    """An account's sales this month against its territory's target."""

    month: dt.date
    account_sales: Decimal
    territory_sales: Decimal
    territory_target: Decimal | None

    @property
    def share_of_target_pct(self) -> Decimal | None:
        if not self.territory_target:
            return None
        return (100 * self.account_sales / self.territory_target).quantize(Decimal("0.1"))

    @property
    def attainment_pct(self) -> Decimal | None:
        if not self.territory_target:
            return None
        return (100 * self.territory_sales / self.territory_target).quantize(Decimal("0.1"))


def target_share(user: User, account: Account, today: dt.date | None = None) -> TargetShare | None:
    """This month's sales of the account and of its territory, and the territory's target."""
    if not user.sees_amounts or account.territory_id is None:
        return None
    month = (today or timezone.localdate()).replace(day=1)
    sales = MonthlySales.objects.visible_to(user).filter(month=month)
    mine = sales.filter(account=account).aggregate(s=Sum("net_amount"))["s"] or Decimal(0)
    territory = sales.filter(territory_id=account.territory_id).aggregate(s=Sum("net_amount"))
    target = (
        Target.objects.visible_to(user)
        .filter(
            territory_id=account.territory_id,
            month=month,
            measure=Measure.AMOUNT,
            category__isnull=True,
        )
        .values_list("value", flat=True)
        .first()
    )
    return TargetShare(month, mine, territory["s"] or Decimal(0), target)


@dataclass(frozen=True)
class AccountActivity:
    """The account page's activity panel: service, plans, campaigns, contacts, origin."""

    open_tickets: list[Ticket]
    planned: list[PlannedActivity]
    touches: list[CampaignTouch]
    last_visits: list[Interaction]
    contact: ContactStatus
    origin: Prospect | None
    targets: TargetShare | None


def account_activity(user: User, account: Account, today: dt.date | None = None) -> AccountActivity:
    """Everything the panel shows for an account already read through visible_to."""
    today = today or timezone.localdate()
    tickets = list(account.tickets.filter(status=Ticket.Status.OPEN).select_related("assigned_to"))
    tickets.sort(key=lambda t: (PRIORITY_ORDER.get(t.priority, 9), t.opened_at))
    return AccountActivity(
        open_tickets=tickets,
        planned=list(
            account.planned_activities.pending()
            .filter(day__gte=today)
            .select_related("rep")
            .order_by("day", "start_time")[:5]
        ),
        touches=list(
            account.campaign_touches.exclude(campaign__status=Campaign.Status.CANCELLED)
            .select_related("campaign")
            .order_by("-planned_on")[:5]
        ),
        last_visits=list(
            account.interactions.filter(kind=Interaction.Kind.VISIT).select_related("user")[:5]
        ),
        contact=contact_status(account, today),
        origin=Prospect.objects.filter(account=account).first(),
        targets=target_share(user, account, today),
    )


def policy_rows(organisation_id: int) -> list[ContactPolicy]:
    """The general policy first, then the segments', then the channels' (for the policy page)."""
    rows = ContactPolicy.objects.filter(organisation_id=organisation_id).select_related("channel")
    return sorted(
        rows,
        key=lambda p: (
            p.channel is not None,
            p.channel.sort_order if p.channel else 0,
            p.channel.name if p.channel else "",
        ),
    )
