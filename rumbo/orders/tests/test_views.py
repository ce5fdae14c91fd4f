"""The order pages: the list, one order with its actions, the form, print and PDF, all scoped."""

from decimal import Decimal

import pytest

from rumbo.orders.models import Order, OrderStatus
from rumbo.orders.services import LineInput, create_order

pytestmark = pytest.mark.django_db


def test_alicia_lists_only_the_orders_of_her_accounts(cast, client):
    client.force_login(cast.alicia)
    response = client.get("/orders/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bodega Rosita" in text and "Bodega Don Lucho" not in text


def test_the_list_filters_by_status_and_search(cast, client):
    client.force_login(cast.admin)
    order = cast.orders["bruno_1"]
    assert order.number in client.get("/orders/", {"q": "lucho"}).content.decode()
    assert order.number not in client.get("/orders/", {"q": "rosita"}).content.decode()
    none = client.get("/orders/", {"status": "delivered"}).content.decode()
    assert order.number not in none


def test_alicia_cannot_open_brunos_order_or_copy_it(cast, client):
    client.force_login(cast.alicia)
    brunos = cast.orders["bruno_1"]
    for url in (
        f"/orders/{brunos.pk}/",
        f"/orders/{brunos.pk}/print/",
        f"/orders/{brunos.pk}/pdf/",
    ):
        assert client.get(url).status_code == 404
    assert client.get("/orders/new/", {"copy": brunos.pk}).status_code == 404
    assert client.get("/orders/new/", {"account": cast.accounts["bruno_1"].pk}).status_code == 404
    response = client.post(f"/orders/{brunos.pk}/action/", {"action": "cancel"})
    assert response.status_code == 404
    assert Order.objects.get(pk=brunos.pk).status == OrderStatus.SUBMITTED


def test_the_order_form_starts_with_a_copied_orders_lines(cast, client):
    client.force_login(cast.alicia)
    own = cast.orders["alicia_1"]
    response = client.get("/orders/new/", {"copy": own.pk})
    assert response.status_code == 200
    copied = response.context["copied"]
    assert copied["account"] == own.account_id
    assert copied["lines"] == [
        {"product": cast.catalog["cola"].pk, "quantity": "10.000", "discount_pct": "0.00"}
    ]


def test_a_viewer_does_not_get_the_order_form(cast, client):
    client.force_login(cast.vera)
    assert client.get("/orders/new/").status_code == 403


def test_the_order_page_shows_lines_history_and_the_managers_actions(cast, client):
    order = cast.orders["alicia_1"]
    client.force_login(cast.maria)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "Gaseosa cola 500 ml" in page and 'data-action="confirm"' in page
    client.force_login(cast.alicia)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-action="confirm"' not in page and 'data-action="cancel"' in page


def test_maria_confirms_an_order_and_the_step_is_kept_with_her_note(cast, client):
    order = cast.orders["alicia_1"]
    client.force_login(cast.maria)
    response = client.post(f"/orders/{order.pk}/action/", {"action": "confirm", "note": "ok"})
    assert response.status_code == 302
    step = Order.objects.get(pk=order.pk).history.order_by("-at", "-id")[0]
    assert (step.to_status, step.by, step.note) == ("confirmed", cast.maria, "ok")


def test_a_rep_cannot_confirm_even_by_posting(cast, client):
    order = cast.orders["alicia_1"]
    client.force_login(cast.alicia)
    assert client.post(f"/orders/{order.pk}/action/", {"action": "confirm"}).status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


def test_the_print_view_and_the_pdf_show_the_order(cast, client):
    order = create_order(
        account=cast.accounts["alicia_1"],
        lines=[LineInput(cast.catalog["chips"], Decimal("3"))],
        actor=cast.alicia,
        notes="Entregar por la tarde — gracias",
    )
    client.force_login(cast.alicia)
    printed = client.get(f"/orders/{order.pk}/print/").content.decode()
    assert order.number in printed and "Papas fritas 40 g" in printed and "S/ 5,31" in printed
    pdf = client.get(f"/orders/{order.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000


def test_the_service_worker_and_manifest_are_served_from_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert b"RUMBO_SW" in worker.content and b"/orders/new/" in worker.content
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["scope"] == "/" and manifest["icons"][0]["sizes"] == "192x192"
