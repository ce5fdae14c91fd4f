"""The account timeline on a hand-built history: every source, in order, filtered, paged."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from rumbo.core.models import Team
from rumbo.interactions.models import Interaction
from rumbo.interactions.services import close_ticket, open_ticket
from rumbo.interactions.timeline import TimelineFilters, timeline
from rumbo.prospects.models import Prospect, ProspectTouch
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")


def at(day: int, hour: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, 0, tzinfo=LIMA)


@pytest.fixture
def history(cast):
    """Bodega Rosita's March: an order, a visit, an email campaign touch, a service call, a
    ticket opened and closed, a note, and a call made while it was still a prospect."""
    rosita = cast.accounts["alicia_1"]
    org = cast.org
    make_order(rosita, cast.catalog["cola"], "3", on=dt.date(2025, 3, 4))
    for kind, team, user, when, subject in (
        ("visit", Team.SALES, cast.alicia, at(4, 10), "Visita semanal"),
        ("campaign", Team.MARKETING, cast.vera, at(6, 9), "Promo verano"),
        ("call", Team.SERVICE, cast.admin, at(8, 16), "Llamada de servicio"),
        ("note", Team.SALES, cast.maria, at(12, 8), "Nota de la jefa"),
    ):
        Interaction.objects.create(
            organisation=org, account=rosita, kind=kind, team=team, user=user,
            occurred_at=when, subject=subject,
        )  # fmt: skip
    ticket = open_ticket(
        account=rosita, actor=cast.admin, topic="delivery", subject="Faltaron 2 cajas",
        opened_at=at(7, 11),
    )  # fmt: skip
    close_ticket(ticket=ticket, actor=cast.admin, resolution="Se repuso", closed_at=at(9, 15))
    lead = Prospect.objects.create(
        organisation=org, name="Rosita (prospecto)", distrito_id="150135", channel=cast.channel,
        source="field", location_precision="district", account=rosita, status="won",
    )  # fmt: skip
    ProspectTouch.objects.create(
        prospect=lead, kind="call", team=Team.SALES, user=cast.alicia, occurred_at=at(2, 12, 1),
        notes="Primera llamada",
    )  # fmt: skip
    return rosita


def labels(page):
    return [(e.source, e.kind, e.day.isoformat()) for e in page.object_list]


def test_every_source_appears_newest_first(cast, history):
    page = timeline(cast.admin, history, TimelineFilters())
    assert labels(page) == [
        ("interaction", "note", "2025-03-12"),
        ("closed", "ticket", "2025-03-09"),
        ("interaction", "call", "2025-03-08"),
        ("opened", "ticket", "2025-03-07"),
        ("interaction", "campaign", "2025-03-06"),
        ("interaction", "visit", "2025-03-04"),  # at 10:00; the imported order has no time
        ("order", "order", "2025-03-04"),
        ("lead", "call", "2025-01-02"),  # while it was a prospect
        ("order", "order", "2024-06-15"),  # the cast's first order
    ]


def test_entries_say_who_which_team_and_outcome(cast, history):
    entries = {
        (e.source, e.kind): e for e in timeline(cast.admin, history, TimelineFilters()).object_list
    }
    closed = entries[("closed", "ticket")]
    assert (closed.who, closed.team) == (cast.admin, "service")
    with translation.override("en"):
        assert (str(closed.outcome), closed.kind_label) == ("Resolved", "Ticket closed")
    with translation.override("en"):
        assert entries[("interaction", "campaign")].team_label == "Marketing"
    assert entries[("lead", "call")].who == cast.alicia
    assert entries[("interaction", "visit")].at == at(4, 10)


def test_filters_by_team_and_type(cast, history):
    service = timeline(cast.admin, history, TimelineFilters(teams=frozenset({"service"})))
    assert labels(service) == [
        ("closed", "ticket", "2025-03-09"),
        ("interaction", "call", "2025-03-08"),
        ("opened", "ticket", "2025-03-07"),
    ]
    orders = timeline(cast.admin, history, TimelineFilters(types=frozenset({"order"})))
    assert [e.source for e in orders.object_list] == ["order", "order"]
    calls = timeline(
        cast.admin, history, TimelineFilters(teams=frozenset({"sales"}), types=frozenset({"call"}))
    )
    assert labels(calls) == [("lead", "call", "2025-01-02")]
    nothing = timeline(
        cast.admin,
        history,
        TimelineFilters(teams=frozenset({"marketing"}), types=frozenset({"order"})),
    )
    assert list(nothing.object_list) == []


def test_order_amounts_only_for_users_who_see_amounts(cast, history):
    admin = [
        e
        for e in timeline(cast.admin, history, TimelineFilters()).object_list
        if e.source == "order"
    ]
    vera = [
        e
        for e in timeline(cast.vera, history, TimelineFilters()).object_list
        if e.source == "order"
    ]
    assert admin[0].amount is not None and vera[0].amount is None
    assert vera[0].title == admin[0].title


def test_pages_hold_the_rest_in_order(cast, history):
    first = timeline(cast.admin, history, TimelineFilters(), page=1, per_page=4)
    second = timeline(cast.admin, history, TimelineFilters(), page=3, per_page=4)
    assert first.paginator.count == 9 and first.paginator.num_pages == 3
    assert [e.kind for e in first.object_list] == ["note", "ticket", "call", "ticket"]
    assert len(second.object_list) == 1


def test_a_page_takes_the_same_few_queries_however_long_the_history(
    cast, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        assert len(timeline(cast.admin, history, TimelineFilters()).object_list) == 9
    for day in range(1, 28):
        Interaction.objects.create(
            organisation=cast.org, account=history, kind="visit", team="sales",
            occurred_at=at(day, 9, 2), user=cast.alicia,
        )  # fmt: skip
        make_order(history, cast.catalog["cola"], "1", on=dt.date(2025, 2, day))
    with django_assert_max_num_queries(7):
        assert len(timeline(cast.admin, history, TimelineFilters()).object_list) == 25
