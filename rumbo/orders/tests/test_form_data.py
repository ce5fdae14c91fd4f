"""What the order form keeps offline: accounts (nearest first, scoped), suggestions, rules,
the catalogue and the price lists, each with an ETag."""

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.catalog.models import PriceList
from rumbo.catalog.services import set_price, update_product
from rumbo.customers.models import Account
from rumbo.orders.form_data import suggestions
from rumbo.orders.models import OrderPolicy, OrderStatus
from rumbo.orders.services import LineInput, change_status, create_order

pytestmark = pytest.mark.django_db
D = Decimal


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_alicias_accounts_come_nearest_first_with_server_distances(cast, client):
    Account.objects.filter(pk=cast.accounts["alicia_1"].pk).update(lat=-12.0, lon=-77.05)
    Account.objects.filter(pk=cast.accounts["alicia_2"].pk).update(lat=-12.0, lon=-77.011)
    rows = get(client, cast.alicia, "/api/orders/accounts", lat=-12.0, lon=-77.0).json()["items"]
    assert [r["name"] for r in rows] == ["Minimarket El Sol", "Bodega Rosita"]
    # 0.011° of longitude at 12° S: 0.011 × 111.195 km × cos 12° ≈ 1.196 km
    assert rows[0]["distance_km"] == pytest.approx(1.196, abs=0.002)
    assert rows[1]["distance_km"] == pytest.approx(5.438, abs=0.005)


def test_the_accounts_are_only_alicias_searchable_and_carry_what_the_form_checks(cast, client):
    OrderPolicy.objects.create(organisation=cast.org, min_order_amount=D("80"))
    rows = get(client, cast.alicia, "/api/orders/accounts").json()["items"]
    assert [r["name"] for r in rows] == ["Bodega Rosita", "Minimarket El Sol"]
    assert rows[0]["open_amount"] == "23.60" and rows[0]["min_order_amount"] == "80.00"
    found = get(client, cast.alicia, "/api/orders/accounts", q="C002").json()["items"]
    assert [r["name"] for r in found] == ["Minimarket El Sol"]
    assert get(client, cast.vera, "/api/orders/accounts").status_code == 403


def test_an_unchanged_answer_is_a_304_without_body(cast, client):
    for url in ("/api/orders/accounts", "/api/catalogue", "/api/price-lists", "/api/orders/rules"):
        first = get(client, cast.alicia, url)
        tag = first["ETag"]
        again = client.get(url, headers={"If-None-Match": tag})
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", tag), url


def test_the_catalogue_changes_its_etag_when_a_product_changes(cast, client):
    tag = get(client, cast.alicia, "/api/catalogue")["ETag"]
    update_product(product=cast.catalog["cola"], discontinued=True)
    changed = client.get("/api/catalogue", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    cola = next(p for p in changed.json()["products"] if p["sku"] == "BEB-001")
    assert cola["discontinued"] is True


def test_price_lists_give_net_prices_and_only_the_callers_account_lists(cast, client):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    bodegas.prices_include_tax = True
    bodegas.save()
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=D("2.50"))
    own = PriceList.objects.create(
        organisation=cast.org, code="LUCHO", name="Don Lucho", account=cast.accounts["bruno_1"]
    )
    set_price(price_list=own, product=cast.catalog["cola"], price=D("1.70"))
    lists = get(client, cast.alicia, "/api/price-lists").json()["lists"]
    assert [(pl["code"], pl["kind"]) for pl in lists] == [("BOD", "channel")]
    assert lists[0]["prices"] == [[cast.catalog["cola"].pk, "2.1186"]]  # 2.50 / 1.18
    codes = [pl["code"] for pl in get(client, cast.bruno, "/api/price-lists").json()["lists"]]
    assert codes == ["BOD", "LUCHO"]


def test_the_server_prices_a_tax_included_list_like_the_offline_price(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    bodegas.prices_include_tax = True
    bodegas.save()
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=D("2.50"))
    order = create_order(
        account=cast.accounts["alicia_1"], lines=[LineInput(cast.catalog["cola"], D("7"))],
        actor=cast.alicia,
    )  # fmt: skip
    # 7 × 2.1186 = 14.8302 → 14.83; IGV 2.6694 → 2.67
    assert order.lines.get().unit_price == D("2.1186")
    assert (order.net_amount, order.tax_amount) == (D("14.83"), D("2.67"))


def _order(cast, day, *lines, status=OrderStatus.SUBMITTED):
    order = create_order(
        account=cast.accounts["alicia_1"], ordered_on=day, actor=cast.alicia,
        lines=[LineInput(cast.catalog[name], D(q)) for name, q in lines],
    )  # fmt: skip
    if status != OrderStatus.SUBMITTED:
        change_status(order=order, to_status=status, actor=cast.alicia)
    return order


def test_the_usual_basket_and_last_years_month(cast):
    _order(cast, dt.date(2025, 3, 5), ("cola", "10"), ("chips", "4"))
    _order(cast, dt.date(2025, 4, 5), ("cola", "12"))
    _order(cast, dt.date(2025, 5, 5), ("cola", "11"), ("chips", "6"))
    _order(cast, dt.date(2025, 5, 20), ("chips", "90"), status=OrderStatus.CANCELLED)
    _order(cast, dt.date(2024, 6, 28), ("chips", "5"))  # June 2024, with the cast's cola 10
    found = suggestions([cast.accounts["alicia_1"].pk], dt.date(2025, 6, 20))
    mine = found[cast.accounts["alicia_1"].pk]
    cola, chips = cast.catalog["cola"].pk, cast.catalog["chips"].pk
    # three orders since 20 Dec 2024; cola in 3 (median 11), chips in 2 (median 5)
    assert mine["usual"] == [
        {"product": cola, "quantity": D("11"), "times": 3, "of": 3},
        {"product": chips, "quantity": D("5"), "times": 2, "of": 3},
    ]
    # June 2024: two orders; cola 10 in one, chips 5 in the other → per order 5 and 3 (2.5 up)
    assert mine["last_year_month"] == "2024-06"
    assert mine["last_year"] == [
        {"product": cola, "quantity": D("5"), "bought": D("10.000"), "orders": 1},
        {"product": chips, "quantity": D("3"), "bought": D("5.000"), "orders": 1},
    ]


def test_suggestions_over_the_api_are_scoped(cast, client):
    mine = get(client, cast.alicia, "/api/orders/suggestions").json()["accounts"]
    assert set(mine) == {str(cast.accounts["alicia_1"].pk), str(cast.accounts["alicia_2"].pk)}
    brunos = get(
        client, cast.alicia, "/api/orders/suggestions", account=cast.accounts["bruno_1"].pk
    )
    assert brunos.json()["accounts"] == {}


def test_the_rules_tell_the_form_alicias_discount_threshold(cast, client):
    rules = get(client, cast.alicia, "/api/orders/rules").json()
    assert (rules["max_discount_pct"], rules["tax_rate"]) == ("5.00", "0.1800")
    assert get(client, cast.maria, "/api/orders/rules").json()["max_discount_pct"] is None
