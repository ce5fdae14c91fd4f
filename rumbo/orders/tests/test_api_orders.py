"""POST /api/orders and reading orders back: server prices, scope, bad input, the lifecycle."""

import json
import uuid
from decimal import Decimal

import pytest

from rumbo.catalog.models import PriceList
from rumbo.catalog.services import set_price
from rumbo.orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def post(client, user, body, key=None, raw=None):
    client.force_login(user)
    headers = {"Idempotency-Key": str(key or uuid.uuid4())}
    data = raw if raw is not None else json.dumps(body)
    return client.post("/api/orders", data=data, content_type="application/json", headers=headers)


def body_for(cast, account="alicia_1", **extra):
    return {
        "account": cast.accounts[account].pk,
        "lines": [
            {"product": cast.catalog["cola"].pk, "quantity": "10"},
            {"product": cast.catalog["chips"].pk, "quantity": 4, "discount_pct": "2.5"},
        ],
        **extra,
    }


def test_alicia_writes_an_order_priced_by_the_server(cast, client):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=Decimal("1.80"))
    response = post(client, cast.alicia, body_for(cast))
    assert response.status_code == 201, response.content
    data = response.json()
    # cola 10 × 1.80 = 18.00; chips 4 × 1.50 = 6.00 − 2.5 % (0.15) = 5.85; IGV 18 % of each line
    assert data["net_amount"] == "23.85"
    assert data["tax_amount"] == "4.29"  # 3.24 + 1.05
    assert data["total_amount"] == "28.14"
    assert data["status"] == "submitted"
    assert [line["unit_price"] for line in data["lines"]] == ["1.8000", "1.5000"]
    assert response["Location"] == f"/api/orders/{data['id']}"
    order = Order.objects.get(pk=data["id"])
    assert order.rep == cast.alicia and order.source == "api"


def test_the_order_reads_back_with_its_lines_and_history(cast, client):
    created = post(client, cast.alicia, body_for(cast)).json()
    got = client.get(f"/api/orders/{created['id']}").json()
    assert got == created
    assert [h["to_status"] for h in got["history"]] == ["submitted"]


def test_alicia_cannot_write_for_brunos_account(cast, client):
    response = post(client, cast.alicia, body_for(cast, "bruno_1"))
    assert response.status_code == 400
    assert response.json()["code"] == "account"
    assert not Order.objects.filter(account=cast.accounts["bruno_1"], rep=cast.alicia).exists()


def test_alicia_cannot_read_brunos_orders(cast, client):
    client.force_login(cast.alicia)
    brunos = cast.orders["bruno_1"]
    assert client.get(f"/api/orders/{brunos.pk}").status_code == 404
    rows = client.get("/api/orders").json()["items"]
    assert {r["account"]["name"] for r in rows} == {"Bodega Rosita", "Minimarket El Sol"}
    assert client.get("/api/orders", {"account": cast.accounts["bruno_1"].pk}).json()["count"] == 0


def test_vera_reads_orders_without_amounts_and_cannot_write(cast, client):
    client.force_login(cast.vera)
    row = client.get("/api/orders").json()["items"][0]
    assert row["net_amount"] is None and row["total_amount"] is None
    assert post(client, cast.vera, body_for(cast)).status_code == 403


@pytest.mark.parametrize(
    ("quantity", "code"),
    [("-3", "quantity"), ("0", "quantity"), ("1000000", "quantity"), ("1.0001", "quantity")],
)
def test_bad_quantities_are_refused_with_the_line(cast, client, quantity, code):
    body = body_for(cast)
    body["lines"][1]["quantity"] = quantity
    response = post(client, cast.alicia, body)
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert (problem["code"], problem["line"]) == (code, 2)
    assert Order.objects.count() == len(cast.orders)


@pytest.mark.parametrize("quantity", ["abc", "NaN", "Infinity", None, [1]])
def test_a_quantity_that_is_no_number_is_a_422(cast, client, quantity):
    body = body_for(cast)
    body["lines"][0]["quantity"] = quantity
    response = post(client, cast.alicia, body)
    assert response.status_code == 422
    assert "quantity" in json.dumps(response.json())


def test_an_order_without_lines_or_with_unknown_fields_is_refused(cast, client):
    empty = post(client, cast.alicia, body_for(cast, lines=[]))
    assert (empty.status_code, empty.json()["code"]) == (400, "empty")
    assert post(client, cast.alicia, body_for(cast, colour="red")).status_code == 422


def test_an_unknown_product_is_refused(cast, client):
    body = body_for(cast)
    body["lines"][0]["product"] = 987654
    response = post(client, cast.alicia, body)
    assert response.status_code == 400
    assert response.json()["problems"][0]["code"] == "unknown_product"


def test_a_product_of_another_organisation_is_unknown(cast, client):
    foreign = cast.outsider.products.get(sku="BEB-001")
    body = body_for(cast)
    body["lines"][0]["product"] = foreign.pk
    assert post(client, cast.alicia, body).json()["code"] == "unknown_product"


def test_malformed_json_is_a_400(cast, client):
    response = post(client, cast.alicia, None, raw='{"account": 1, "lines": [')
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["unit_price", "price", "net_amount"])
def test_a_price_the_client_made_up_is_refused(cast, client, field):
    body = body_for(cast)
    body["lines"][0][field] = "0.01"
    response = post(client, cast.alicia, body)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert Order.objects.count() == len(cast.orders)


def test_an_expected_total_that_differs_is_refused_as_price_changed(cast, client):
    response = post(client, cast.alicia, body_for(cast, expected_total="20.00"))
    assert response.status_code == 400
    assert response.json()["code"] == "price_changed"
    ok = post(client, cast.alicia, body_for(cast, expected_total="30.50"))
    assert ok.status_code == 201, ok.content  # 20.00 + 5.85 = 25.85 net, 3.60 + 1.05 IGV


def test_a_missing_or_malformed_key_is_a_400(cast, client):
    client.force_login(cast.alicia)
    response = client.post("/api/orders", data=json.dumps(body_for(cast)),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    bad = client.post(
        "/api/orders",
        data=json.dumps(body_for(cast)),
        content_type="application/json",
        headers={"Idempotency-Key": "x"},
    )
    assert bad.status_code == 400


def test_a_draft_waits_until_it_is_submitted(cast, client):
    draft = post(client, cast.alicia, body_for(cast, submit=False)).json()
    assert draft["status"] == "draft"
    response = client.post(f"/api/orders/{draft['id']}/actions", data={"action": "submit"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["status"] == OrderStatus.SUBMITTED


def test_a_submitted_order_shows_at_once_in_the_account_page_and_monthly_sales(cast, client):
    from django.utils import timezone

    from rumbo.orders.models import MonthlySales

    account = cast.accounts["alicia_1"]
    created = post(client, cast.alicia, body_for(cast)).json()
    page = client.get(f"/accounts/{account.pk}/").content.decode()
    assert created["number"] in page
    month = timezone.localdate().replace(day=1)
    assert MonthlySales.objects.get(account=account, month=month).net_amount == Decimal("25.85")


def act(client, user, order_id, action, note=""):
    client.force_login(user)
    return client.post(
        f"/api/orders/{order_id}/actions",
        data=json.dumps({"action": action, "note": note}),
        content_type="application/json",
    )


def test_maria_approves_a_discount_through_the_api_and_the_history_keeps_her_note(cast, client):
    body = body_for(cast)
    body["lines"][0]["discount_pct"] = "9"  # alicia may give 5 %
    waiting = post(client, cast.alicia, body).json()
    assert waiting["status"] == "approval" and "9,00" in waiting["approval_reasons"][0]
    assert act(client, cast.alicia, waiting["id"], "approve").status_code == 403
    assert act(client, cast.bruno, waiting["id"], "approve").status_code == 404
    approved = act(client, cast.maria, waiting["id"], "approve", "Cliente fiel").json()
    assert approved["status"] == "confirmed"
    last = approved["history"][-1]
    assert (last["to_status"], last["by"]["username"], last["note"]) == (
        "confirmed", "maria", "Cliente fiel"
    )  # fmt: skip


def test_a_rep_cancels_her_own_submitted_order_but_cannot_deliver_it(cast, client):
    created = post(client, cast.alicia, body_for(cast)).json()
    assert act(client, cast.alicia, created["id"], "deliver").status_code == 403
    cancelled = act(client, cast.alicia, created["id"], "cancel", "error").json()
    assert cancelled["status"] == "cancelled"


def test_the_order_list_filters_pages_and_keeps_a_query_budget(
    cast, client, django_assert_max_num_queries
):
    for _ in range(4):
        post(client, cast.alicia, body_for(cast))
    client.force_login(cast.admin)
    with django_assert_max_num_queries(6):
        page = client.get("/api/orders", {"limit": 3}).json()
    assert page["count"] == 9 and len(page["items"]) == 3  # 5 of the cast, 4 new
    mine = client.get("/api/orders", {"account": cast.accounts["alicia_1"].pk}).json()
    assert mine["count"] == 5
    assert client.get("/api/orders", {"q": "lucho"}).json()["count"] == 1
    assert client.get("/api/orders", {"status": "draft"}).json()["count"] == 0
