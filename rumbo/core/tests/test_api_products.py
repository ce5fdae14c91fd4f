"""The product endpoints: the organisation's catalogue, filtered for sync by change date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rumbo.catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def skus(response):
    return [row["sku"] for row in response.json()["items"]]


def test_every_role_sees_its_organisations_catalogue(cast, client):
    for user in (cast.admin, cast.alicia, cast.vera):
        assert skus(get(client, user, "/api/products")) == ["BEB-001", "SNK-001"]
    other = get(client, cast.olga, "/api/products").json()["items"]
    assert {p["id"] for p in other}.isdisjoint({cast.catalog["cola"].pk, cast.catalog["chips"].pk})


def test_a_product_shows_category_unit_price_and_status(cast, client):
    cola = cast.catalog["cola"]
    row = get(client, cast.vera, f"/api/products/{cola.pk}").json()
    assert row["sku"] == "BEB-001"
    assert row["name"] == "Gaseosa cola 500 ml"
    assert row["category"] == {"id": cast.catalog["drinks"].pk, "code": "BEB", "name": "Bebidas"}
    assert row["unit"] == "UND"
    assert (row["list_price"], row["currency"]) == ("2.0000", "PEN")
    assert (row["discontinued"], row["is_active"], row["tax_exempt"]) == (False, True, False)


def test_olga_cannot_open_andinas_product(cast, client):
    response = get(client, cast.olga, f"/api/products/{cast.catalog['cola'].pk}")
    assert response.status_code == 404


def test_products_filter_by_words_category_and_discontinuation(cast, client):
    Product.objects.filter(pk=cast.catalog["chips"].pk).update(discontinued=True)
    light = Category.objects.create(
        organisation=cast.org, code="BEB-L", name="Light", parent=cast.catalog["drinks"]
    )
    Product.objects.create(
        organisation=cast.org, sku="BEB-002", name="Gaseosa light", category=light,
        unit=cast.catalog["unit"], list_price="2.1000",
    )  # fmt: skip
    admin = cast.admin
    assert skus(get(client, admin, "/api/products", q="gaseosa")) == ["BEB-001", "BEB-002"]
    assert skus(get(client, admin, "/api/products", category="BEB")) == ["BEB-001", "BEB-002"]
    assert skus(get(client, admin, "/api/products", category="BEB-L")) == ["BEB-002"]
    assert skus(get(client, admin, "/api/products", discontinued="true")) == ["SNK-001"]


def test_updated_since_returns_only_what_changed_after_the_moment(cast, client):
    long_ago = timezone.now() - dt.timedelta(days=30)
    Product.objects.filter(organisation=cast.org).update(updated_at=long_ago)
    Product.objects.filter(pk=cast.catalog["chips"].pk).update(updated_at=timezone.now())
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert skus(get(client, cast.admin, "/api/products", updated_since=since)) == ["SNK-001"]
    assert skus(get(client, cast.admin, "/api/products", updated_since="2000-01-01")) == [
        "BEB-001",
        "SNK-001",
    ]


def test_a_malformed_updated_since_answers_422(cast, client):
    response = get(client, cast.admin, "/api/products", updated_since="yesterday")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "updated_since"]


def test_the_product_list_makes_as_many_queries_for_many_rows_as_for_few(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alicia)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/products?limit=500").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(40):
        Product.objects.create(
            organisation=cast.org, sku=f"X-{i}", name=f"Producto {i}",
            category=cast.catalog["snacks"], unit=cast.catalog["unit"], list_price="1",
        )  # fmt: skip
    with django_assert_max_num_queries(4):
        many = count()
    assert many == few
