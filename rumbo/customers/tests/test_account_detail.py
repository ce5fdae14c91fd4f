import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rumbo.core.models import Team
from rumbo.customers.services import add_contact, move_account
from rumbo.interactions.models import Interaction
from rumbo.interactions.services import open_ticket
from rumbo.testing import make_account, make_order

pytestmark = pytest.mark.django_db


def url(account):
    return reverse("customers:account_detail", args=[account.pk])


def test_alicia_sees_her_accounts_profile_rep_and_orders(cast, client):
    rosita = cast.accounts["alicia_1"]
    rosita.opening_hours = {"mon": [["08:00", "13:00"], ["15:00", "20:00"]]}
    rosita.address = "Jr. Los Olivos 123"
    rosita.save()
    add_contact(account=rosita, name="Rosa Quispe", position="Dueña", is_primary=True)
    client.force_login(cast.alicia)
    response = client.get(url(rosita))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Bodega Rosita", "Jr. Los Olivos 123", "08:00–13:00, 15:00–20:00", "Rosa Quispe"):
        assert text in page
    assert "San Martin de Porres, Lima, Lima" in page
    detail = response.context["detail"]
    assert [a.user for a in detail.reps] == [cast.alicia]
    assert detail.recent_orders == [cast.orders["alicia_1"]]
    assert detail.opening_hours[0][1] == [["08:00", "13:00"], ["15:00", "20:00"]]
    assert detail.opening_hours[6][1] == []


def test_alicia_gets_404_on_brunos_account(cast, client):
    client.force_login(cast.alicia)
    assert client.get(url(cast.accounts["bruno_1"])).status_code == 404


def test_otto_gets_404_on_andinas_account(cast, client):
    client.force_login(cast.otto)
    assert client.get(url(cast.accounts["alicia_1"])).status_code == 404


def test_an_unknown_account_is_404(cast, client):
    client.force_login(cast.admin)
    assert client.get("/accounts/987654/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(url(cast.accounts["alicia_1"]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_approximate_location_says_so(cast, client):
    client.force_login(cast.alicia)
    rosita = cast.accounts["alicia_1"]
    assert rosita.location_is_approximate
    note = '<p class="note" data-location="approximate">'
    page = client.get(url(rosita)).content.decode()
    assert note + "Ubicación aproximada: centro del distrito</p>" in page
    exact = make_account(
        cast.org, cast.channel, cast.territories["ln1"], "Con GPS", lat=-12.02, lon=-77.05
    )
    assert note not in client.get(url(exact)).content.decode()


def test_the_map_gets_the_accounts_point_and_its_district(cast, client):
    client.force_login(cast.alicia)
    response = client.get(url(cast.accounts["alicia_1"]))
    points = response.context["points"]["points"]
    assert points[0]["id"] == cast.accounts["alicia_1"].pk and points[0]["approx"] is True
    page = response.content.decode()
    assert 'id="account-point"' in page
    assert "/geo/distritos.geojson?ubigeo=150135" in page


def test_a_configured_tile_server_reaches_the_map(cast, client, settings):
    settings.RUMBO_MAP_TILE_URL = "https://tiles.example.pe/{z}/{x}/{y}.png"
    client.force_login(cast.alicia)
    page = client.get(url(cast.accounts["alicia_1"])).content.decode()
    assert 'data-tile-url="https://tiles.example.pe/{z}/{x}/{y}.png"' in page


def test_the_map_has_no_tile_server_by_default(cast, client):
    client.force_login(cast.alicia)
    assert "data-tile-url" not in client.get(url(cast.accounts["alicia_1"])).content.decode()


def test_a_viewer_sees_orders_but_no_amounts(cast, client):
    client.force_login(cast.vera)
    response = client.get(url(cast.accounts["alicia_1"]))
    assert response.status_code == 200
    assert cast.orders["alicia_1"].number in response.content.decode()
    assert "S/" not in response.content.decode()


def test_sales_of_the_last_12_months_and_last_order(cast, client):
    rosita = cast.accounts["alicia_1"]
    recent = timezone.localdate() - dt.timedelta(days=3)
    make_order(rosita, cast.catalog["cola"], "10", on=recent)
    client.force_login(cast.alicia)
    detail = client.get(url(rosita)).context["detail"]
    assert detail.last_order_on == recent
    assert detail.sales_12m == Decimal("20.00")


def test_only_the_last_20_orders_are_shown(cast, client):
    rosita = cast.accounts["alicia_1"]
    for day in range(1, 23):
        make_order(rosita, cast.catalog["cola"], "1", on=dt.date(2025, 1, day))
    client.force_login(cast.alicia)
    orders = client.get(url(rosita)).context["detail"].recent_orders
    assert len(orders) == 20
    assert orders[0].ordered_on == dt.date(2025, 1, 22)


def test_interactions_and_alignment_history_are_shown(cast, client):
    market = cast.accounts["bruno_2"]
    move_account(account=market, territory=cast.territories["ln1"], valid_from=dt.date(2025, 3, 1))
    Interaction.objects.create(
        organisation=cast.org, account=market, kind="call", team=Team.SERVICE, user=cast.vera,
        subject="Reclamo por entrega",
    )  # fmt: skip
    client.force_login(cast.alicia)
    response = client.get(url(market))
    assert response.status_code == 200
    detail = response.context["detail"]
    assert [(a.territory.code, a.valid_to) for a in detail.alignments] == [
        ("LN1", None),
        ("LS1", dt.date(2025, 3, 1)),
    ]
    assert "Reclamo por entrega" in response.content.decode()


def test_the_detail_page_runs_a_fixed_number_of_queries(cast, client):
    """The Account 360 reads its panels and the first page of the timeline in a fixed number
    of queries, however much the account has."""
    rosita = cast.accounts["alicia_1"]
    client.force_login(cast.alicia)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(rosita)).status_code == 200
    for day in range(1, 6):
        make_order(rosita, cast.catalog["cola"], "1", on=dt.date(2025, 2, day))
        Interaction.objects.create(
            organisation=cast.org, account=rosita, kind="visit", team=Team.SALES,
            user=cast.alicia,
        )  # fmt: skip
        open_ticket(account=rosita, actor=cast.admin, topic="delivery", subject=f"Caso {day}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(rosita)).status_code == 200
    assert len(many) <= PAGE_QUERIES
    assert len(many) - len(few) <= 3  # one read per kind of row on the timeline page (of four)


PAGE_QUERIES = 32  # 29 for the page, up to 3 for its coverage panel (segment, plan, strategy)
