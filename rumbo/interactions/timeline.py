"""One account's timeline: orders, visits, calls, emails, messages, tickets opened and closed,
campaign touches and notes, from every team (and from the prospect the account once was),
newest first, filterable by team and type, a page at a time in a fixed number of queries.

The rows of every source are brought to the same columns (source, id, day, time, type, team,
person) and merged by one UNION query sorted by day and time; the page's rows are then read
from their own tables, one query per source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateTimeField,
    F,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Team, User
from rumbo.customers.models import Account
from rumbo.interactions.models import Interaction, Ticket
from rumbo.orders.models import Order
from rumbo.prospects.models import ProspectTouch

PER_PAGE = 25
ORDER, TICKET = "order", "ticket"
# The types a timeline can be filtered by, in the order the filter shows them.
TYPES = (
    (ORDER, _("Orders")),
    (Interaction.Kind.VISIT, _("Visits")),
    (Interaction.Kind.CALL, _("Calls")),
    (Interaction.Kind.EMAIL, _("Emails")),
    (Interaction.Kind.WHATSAPP, _("WhatsApp")),
    (TICKET, _("Service tickets")),
    (Interaction.Kind.CAMPAIGN, _("Campaigns")),
    (Interaction.Kind.NOTE, _("Notes")),
)
TYPE_CODES = frozenset(code for code, _label in TYPES)
TEAM_CODES = frozenset(Team.values)
SOURCE_INTERACTION, SOURCE_ORDER = "interaction", "order"
SOURCE_OPENED, SOURCE_CLOSED, SOURCE_LEAD = "opened", "closed", "lead"


@dataclass(frozen=True)
class TimelineFilters:
    """Empty sets mean every team and every type."""

    teams: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    def wants_type(self, code: str) -> bool:
        return not self.types or code in self.types

    def wants_team(self, code: str) -> bool:
        return not self.teams or code in self.teams


@dataclass
class Entry:
    """One line of the timeline, ready to show."""

    source: str
    pk: int
    day: dt.date
    at: dt.datetime | None
    kind: str
    team: str
    who: User | None
    kind_label: Any = ""  # lazy translations, worded when shown
    title: str = ""
    outcome: Any = ""
    detail: str = ""
    amount: Decimal | None = None
    currency: str = "PEN"
    url_name: str = ""
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def team_label(self) -> Any:
        return Team(self.team).label if self.team in TEAM_CODES else self.team


def _columns(qs: QuerySet[Any], source: str, **cols: Any) -> QuerySet[Any]:
    """The rows of one source as (source, id, day, time, type, team, person)."""
    return (
        qs.order_by()
        .annotate(
            t_source=Value(source, output_field=CharField()),
            t_pk=F("pk"),
            t_day=cols["day"],
            t_at=cols["at"],
            t_kind=cols["kind"],
            t_team=cols["team"],
            t_user=cols["user"],
        )
        .values_list("t_source", "t_pk", "t_day", "t_at", "t_kind", "t_team", "t_user")
    )


def _interactions(account: Account, f: TimelineFilters) -> QuerySet[Any] | None:
    rows = Interaction.objects.filter(account=account)
    if f.types:
        rows = rows.filter(kind__in=f.types)
    if f.teams:
        rows = rows.filter(team__in=f.teams)
    return _columns(
        rows, SOURCE_INTERACTION, day=TruncDate("occurred_at"), at=F("occurred_at"),
        kind=F("kind"), team=F("team"), user=F("user_id"),
    )  # fmt: skip


def _orders(account: Account, f: TimelineFilters) -> QuerySet[Any] | None:
    if not (f.wants_type(ORDER) and f.wants_team(Team.SALES)):
        return None
    # An order written on its own date shows its time; an imported one only its date.
    at = Case(
        When(created_at__date=F("ordered_on"), then=F("created_at")),
        default=Value(None, output_field=DateTimeField()),
        output_field=DateTimeField(),
    )
    return _columns(
        Order.objects.filter(account=account), SOURCE_ORDER, day=F("ordered_on"), at=at,
        kind=Value(ORDER, output_field=CharField()),
        team=Value(Team.SALES.value, output_field=CharField()),
        user=Coalesce("rep_id", "created_by_id", output_field=BigIntegerField()),
    )  # fmt: skip


def _tickets(account: Account, f: TimelineFilters, closed: bool) -> QuerySet[Any] | None:
    if not f.wants_type(TICKET):
        return None
    rows = Ticket.objects.filter(account=account)
    if f.teams:
        rows = rows.filter(team__in=f.teams)
    moment = "closed_at" if closed else "opened_at"
    if closed:
        rows = rows.filter(closed_at__isnull=False)
    return _columns(
        rows, SOURCE_CLOSED if closed else SOURCE_OPENED, day=TruncDate(moment), at=F(moment),
        kind=Value(TICKET, output_field=CharField()), team=F("team"),
        user=F("closed_by_id" if closed else "opened_by_id"),
    )  # fmt: skip


def _leads(account: Account, f: TimelineFilters) -> QuerySet[Any] | None:
    rows = ProspectTouch.objects.filter(prospect__account=account)
    if f.types:
        rows = rows.filter(kind__in=f.types)
    if f.teams:
        rows = rows.filter(team__in=f.teams)
    return _columns(
        rows, SOURCE_LEAD, day=TruncDate("occurred_at"), at=F("occurred_at"), kind=F("kind"),
        team=F("team"), user=F("user_id"),
    )  # fmt: skip


def merged(account: Account, filters: TimelineFilters) -> QuerySet[Any] | None:
    """Every source's rows in one sorted UNION query (None when the filters exclude all)."""
    parts = [
        _interactions(account, filters),
        _orders(account, filters),
        _tickets(account, filters, closed=False),
        _tickets(account, filters, closed=True),
        _leads(account, filters),
    ]
    chosen = [p for p in parts if p is not None]
    if not chosen:
        return None
    first, *rest = chosen
    union = first.union(*rest, all=True) if rest else first
    return union.order_by(F("t_day").desc(), F("t_at").desc(nulls_last=True), "-t_source", "-t_pk")


def timeline(
    user: User, account: Account, filters: TimelineFilters, page: Any = 1, per_page: int = PER_PAGE
) -> Page[Entry]:
    """One page of the account's timeline (the account was read through visible_to)."""
    rows = merged(account, filters)
    if rows is None:
        return Paginator([], per_page).get_page(1)
    found = Paginator(rows, per_page).get_page(page)
    found.object_list = _entries(user, list(found.object_list))
    return found


def _entries(user: User, rows: list[tuple[Any, ...]]) -> list[Entry]:
    wanted: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        wanted[row[0]].append(row[1])
    objects = _objects(wanted)
    entries = []
    for source, pk, day, at, kind, team, _user in rows:
        obj = objects[source].get(pk)
        if obj is None:  # deleted between the two queries
            continue
        entry = Entry(source, pk, day, at, kind, team, None, obj=obj)
        DESCRIBE[source](entry, obj, user)
        entries.append(entry)
    return entries


def _objects(wanted: dict[str, list[int]]) -> dict[str, dict[int, Any]]:
    """The page's rows from their own tables: one query per source on the page."""
    found: dict[str, dict[int, Any]] = defaultdict(dict)
    reads: dict[str, QuerySet[Any]] = {
        SOURCE_INTERACTION: Interaction.objects.select_related("user", "campaign"),
        SOURCE_ORDER: Order.objects.select_related("rep", "created_by"),
        SOURCE_LEAD: ProspectTouch.objects.select_related("user", "prospect"),
    }
    tickets = wanted.get(SOURCE_OPENED, []) + wanted.get(SOURCE_CLOSED, [])
    if tickets:
        rows = Ticket.objects.select_related("opened_by", "closed_by", "assigned_to")
        by_pk = {t.pk: t for t in rows.filter(pk__in=tickets)}
        found[SOURCE_OPENED] = found[SOURCE_CLOSED] = by_pk
    for source, qs in reads.items():
        if wanted.get(source):
            found[source] = {o.pk: o for o in qs.filter(pk__in=wanted[source])}
    return found


def _describe_interaction(entry: Entry, obj: Interaction, user: User) -> None:
    entry.who = obj.user
    entry.kind_label = obj.get_kind_display()
    entry.title = obj.subject or (obj.campaign.name if obj.campaign else "")
    if obj.campaign is not None:
        entry.extra["medium"] = obj.campaign.get_medium_display()
    entry.outcome = obj.get_outcome_display() if obj.outcome else ""
    entry.detail = obj.notes


def _describe_order(entry: Entry, obj: Order, user: User) -> None:
    entry.who = obj.rep or obj.created_by
    entry.kind_label = _("Order")
    entry.title = obj.number
    entry.outcome = obj.get_status_display()
    entry.detail = obj.notes
    entry.url_name = "orders:detail"
    if user.sees_amounts:
        entry.amount, entry.currency = obj.total_amount, obj.currency


def _describe_opened(entry: Entry, obj: Ticket, user: User) -> None:
    entry.who = obj.opened_by
    entry.kind_label = _("Ticket opened")
    entry.title = f"{obj.reference} · {obj.subject}"
    entry.outcome = f"{obj.get_topic_display()} · {obj.get_priority_display()}"
    entry.detail = obj.description
    entry.url_name = "interactions:ticket_detail"
    entry.extra["assigned_to"] = obj.assigned_to


def _describe_closed(entry: Entry, obj: Ticket, user: User) -> None:
    entry.who = obj.closed_by
    entry.kind_label = _("Ticket closed")
    entry.title = f"{obj.reference} · {obj.subject}"
    entry.outcome = _("Resolved")
    entry.detail = obj.resolution
    entry.url_name = "interactions:ticket_detail"


def _describe_lead(entry: Entry, obj: ProspectTouch, user: User) -> None:
    entry.who = obj.user
    entry.kind_label = obj.get_kind_display()
    entry.title = str(_("As prospect “%(name)s”") % {"name": obj.prospect.name})
    entry.outcome = obj.get_outcome_display() if obj.outcome else ""
    entry.detail = obj.notes
    entry.extra["prospect_id"] = obj.prospect_id


DESCRIBE: dict[str, Any] = {
    SOURCE_INTERACTION: _describe_interaction,
    SOURCE_ORDER: _describe_order,
    SOURCE_OPENED: _describe_opened,
    SOURCE_CLOSED: _describe_closed,
    SOURCE_LEAD: _describe_lead,
}


def parse_filters(data: Any) -> TimelineFilters:
    """Filters from a query string (?team=service&type=visit&type=order); unknown values are
    ignored."""
    teams = {t for t in data.getlist("team") if t in TEAM_CODES}
    types = {t for t in data.getlist("type") if t in TYPE_CODES}
    return TimelineFilters(frozenset(teams), frozenset(types))
