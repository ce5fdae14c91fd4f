"""Tickets, campaigns, prospects and the timeline over the API, scoped like the pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from rumbo.core.services import create_api_token
from rumbo.interactions.services import open_ticket
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, key = create_api_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_tickets_are_listed_opened_read_and_closed(cast):
    vera = api(cast.vera)
    rosita = cast.accounts["alicia_1"]
    created = vera.post("/api/tickets", {"account": rosita.pk, "topic": "delivery",
                                         "subject": "Faltó una caja", "priority": "high",
                                         "assigned_to": cast.alicia.pk},
                        content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["reference"], body["assigned_to"]["username"]) == ("T-00001", "alicia")
    assert [t["subject"] for t in api(cast.alicia).get("/api/tickets").json()["items"]] == [
        "Faltó una caja"
    ]
    assert api(cast.bruno).get("/api/tickets").json()["count"] == 0
    assert api(cast.bruno).get(f"/api/tickets/{body['id']}").status_code == 404
    closed = api(cast.alicia).post(f"/api/tickets/{body['id']}/close", {"resolution": "Listo"},
                                   content_type="application/json")  # fmt: skip
    assert closed.json()["status"] == "closed"
    open_ = api(cast.alicia).get("/api/tickets", {"status": "open"}).json()
    assert open_["count"] == 0


def test_a_ticket_on_an_account_out_of_scope_is_404_and_bad_input_400(cast):
    bruno = api(cast.bruno)
    out = bruno.post("/api/tickets", {"account": cast.accounts["alicia_1"].pk, "topic": "delivery",
                                      "subject": "x"}, content_type="application/json")  # fmt: skip
    assert out.status_code == 404
    bad = bruno.post("/api/tickets", {"account": cast.accounts["bruno_1"].pk, "topic": "delivery",
                                      "subject": "x", "assigned_to": cast.olga.pk},
                     content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "assigned_to" in bad.json()["detail"]


def test_campaigns_are_created_with_their_audience_built(cast):
    today = timezone.localdate()
    payload = {"name": "Promo", "medium": "sms", "starts_on": today.isoformat(),
               "ends_on": (today + dt.timedelta(days=3)).isoformat(), "channels": ["bodega"],
               "places": ["1501"], "build_audience": True}  # fmt: skip
    created = api(cast.vera).post("/api/campaigns", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["touches"]["planned"] == 4
    assert api(cast.alicia).get(f"/api/campaigns/{created.json()['id']}").json()["touches"] == {
        "planned": 2, "excluded": 0, "done": 0, "skipped": 0,
    }  # fmt: skip
    refused = api(cast.alicia).post("/api/campaigns", payload, content_type="application/json")
    assert refused.status_code == 403
    unknown = api(cast.vera).post("/api/campaigns", {**payload, "channels": ["nope"]},
                                  content_type="application/json")  # fmt: skip
    assert unknown.status_code == 400
    assert api(cast.otto).get(f"/api/campaigns/{created.json()['id']}").status_code == 404


def test_the_timeline_endpoint_hides_amounts_from_viewers(cast):
    rosita = cast.accounts["alicia_1"]
    make_order(rosita, cast.catalog["cola"], "2", on=timezone.localdate())
    open_ticket(account=rosita, actor=cast.vera, topic="delivery", subject="Caso")
    body = api(cast.vera).get(f"/api/accounts/{rosita.pk}/timeline").json()
    assert body["count"] == 3
    assert {e["type"] for e in body["entries"]} == {"order", "ticket"}
    assert all(e["amount"] is None for e in body["entries"])
    admin = api(cast.admin).get(f"/api/accounts/{rosita.pk}/timeline", {"type": "order"}).json()
    assert admin["count"] == 2 and admin["entries"][0]["amount"] == "4.72"
    assert api(cast.bruno).get(f"/api/accounts/{rosita.pk}/timeline").status_code == 404
    assert (
        api(cast.admin).get(f"/api/accounts/{rosita.pk}/timeline", {"page": 9}).status_code == 404
    )


def test_prospects_are_created_scored_and_scoped(cast):
    alicia = api(cast.alicia)
    created = alicia.post("/api/prospects", {"name": "Bodega API", "ubigeo": "150135",
                                             "channel": "bodega", "source": "website"},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner"]["username"] == "alicia" and len(body["score_factors"]) == 3
    assert api(cast.bruno).get(f"/api/prospects/{body['id']}").status_code == 404
    assert api(cast.maria).get("/api/prospects", {"open": True}).json()["count"] == 1
    bad = alicia.post("/api/prospects", {"name": "X", "ubigeo": "999999", "channel": "bodega"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400


def test_the_api_choices_are_the_models_choices():
    from typing import get_args

    from rumbo.interactions import schemas
    from rumbo.interactions.models import Campaign, Ticket
    from rumbo.prospects import schemas as prospect_schemas
    from rumbo.prospects.models import Prospect

    pairs = [
        (schemas.TicketTopic, Ticket.Topic), (schemas.TicketPriority, Ticket.Priority),
        (schemas.TicketStatus, Ticket.Status), (schemas.TicketVia, Ticket.Via),
        (schemas.CampaignMedium, Campaign.Medium), (schemas.CampaignStatus, Campaign.Status),
        (prospect_schemas.ProspectSource, Prospect.Source),
        (prospect_schemas.ProspectStatus, Prospect.Status),
    ]  # fmt: skip
    for literal, choices in pairs:
        assert set(get_args(literal)) == set(choices.values), choices
