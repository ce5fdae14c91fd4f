"""Service tickets: opened by anyone who sees the account, numbered, closed with a resolution,
followed up in the rep's plan; the pages' forms."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rumbo.interactions.models import PlannedActivity, Ticket
from rumbo.interactions.services import close_ticket, open_ticket, reopen_ticket, update_ticket

pytestmark = pytest.mark.django_db


def test_a_service_viewer_opens_numbered_tickets_for_the_service_team(cast):
    first = open_ticket(account=cast.accounts["alicia_1"], actor=cast.vera, topic="quality",
                        subject="Gaseosa sin gas")  # fmt: skip
    second = open_ticket(account=cast.accounts["bruno_1"], actor=cast.vera, topic="billing",
                         subject="Factura duplicada", priority="urgent")  # fmt: skip
    assert (first.reference, second.reference) == ("T-00001", "T-00002")
    assert first.team == "marketing"  # vera is in marketing: the ticket says who logged it
    assert first.opened_by == cast.vera and first.is_open
    other = open_ticket(account=cast.accounts["other_1"], actor=cast.otto, topic="other",
                        subject="Otro")  # fmt: skip
    assert other.reference == "T-00001"  # each organisation counts its own


def test_a_rep_opens_tickets_only_on_their_accounts(cast):
    with pytest.raises(PermissionDenied):
        open_ticket(account=cast.accounts["bruno_1"], actor=cast.alicia, topic="delivery",
                    subject="No es mío")  # fmt: skip
    ticket = open_ticket(account=cast.accounts["alicia_1"], actor=cast.alicia, topic="delivery",
                         subject="Llegó tarde")  # fmt: skip
    assert ticket.team == "service"  # sales log tickets for the service team


def test_closing_needs_a_resolution_and_can_plan_the_reps_follow_up(cast):
    ticket = open_ticket(account=cast.accounts["alicia_1"], actor=cast.vera, topic="delivery",
                         subject="Faltaron cajas")  # fmt: skip
    with pytest.raises(ValidationError):
        close_ticket(ticket=ticket, actor=cast.vera, resolution="  ")
    day = timezone.localdate() + dt.timedelta(days=2)
    close_ticket(ticket=ticket, actor=cast.vera, resolution="Se repuso", follow_up_on=day)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by, ticket.resolution) == (
        "closed",
        cast.vera,
        "Se repuso",
    )
    follow_up = PlannedActivity.objects.get(ticket=ticket)
    assert (follow_up.rep, follow_up.day, follow_up.kind, follow_up.source) == (
        cast.alicia,
        day,
        "follow_up",
        "ticket",
    )
    with pytest.raises(ValidationError):
        close_ticket(ticket=ticket, actor=cast.vera, resolution="Otra vez")
    reopen_ticket(ticket=ticket, actor=cast.alicia)
    ticket.refresh_from_db()
    assert ticket.is_open and ticket.closed_at is None and ticket.resolution == "Se repuso"


def test_a_ticket_is_assigned_only_to_someone_of_the_organisation(cast):
    ticket = open_ticket(account=cast.accounts["alicia_1"], actor=cast.vera, topic="delivery",
                         subject="Caso")  # fmt: skip
    with pytest.raises(ValidationError):
        update_ticket(ticket=ticket, actor=cast.vera, assigned_to=cast.olga)
    update_ticket(ticket=ticket, actor=cast.vera, assigned_to=cast.alicia, priority="high")
    ticket.refresh_from_db()
    assert (ticket.assigned_to, ticket.priority) == (cast.alicia, "high")


def test_the_ticket_form_opens_a_ticket_and_the_list_shows_it(cast, client):
    client.force_login(cast.vera)
    rosita = cast.accounts["alicia_1"]
    response = client.post(
        reverse("interactions:ticket_new", args=[rosita.pk]),
        {"topic": "delivery", "subject": "Pedido incompleto", "priority": "high",
         "received_via": "phone", "assigned_to": cast.alicia.pk},
    )  # fmt: skip
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/tickets/{ticket.pk}/")
    listing = client.get(reverse("interactions:tickets")).content.decode()
    assert "Pedido incompleto" in listing and ticket.reference in listing
    bad = client.post(reverse("interactions:ticket_new", args=[rosita.pk]), {"topic": "nope"})
    assert bad.status_code == 200 and Ticket.objects.count() == 1


def test_the_ticket_page_closes_and_reopens(cast, client):
    ticket = open_ticket(account=cast.accounts["alicia_1"], actor=cast.vera, topic="delivery",
                         subject="Caso")  # fmt: skip
    client.force_login(cast.alicia)
    page = reverse("interactions:ticket_detail", args=[ticket.pk])
    assert client.post(page, {"action": "close", "resolution": ""}).status_code == 200
    assert client.post(page, {"action": "close", "resolution": "Listo"}).status_code == 302
    ticket.refresh_from_db()
    assert not ticket.is_open
    client.post(page, {"action": "reopen"})
    ticket.refresh_from_db()
    assert ticket.is_open


def test_the_ticket_list_filters_by_status_and_assignee(cast, client):
    mine = open_ticket(account=cast.accounts["alicia_1"], actor=cast.vera, topic="delivery",
                       subject="Mío", assigned_to=cast.alicia)  # fmt: skip
    done = open_ticket(account=cast.accounts["alicia_2"], actor=cast.vera, topic="delivery",
                       subject="Cerrado")  # fmt: skip
    close_ticket(ticket=done, actor=cast.vera, resolution="ok")
    client.force_login(cast.alicia)
    url = reverse("interactions:tickets")
    assert [t.pk for t in client.get(url).context["page"]] == [mine.pk]
    assert [t.pk for t in client.get(url, {"status": "closed"}).context["page"]] == [done.pk]
    assert len(client.get(url, {"status": "all"}).context["page"]) == 2
    assert [t.pk for t in client.get(url, {"mine": "on", "status": "all"}).context["page"]] == [
        mine.pk
    ]
