"""The accounts endpoints: scoped like the pages, filtered, paged, amounts only for who may."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rumbo.customers.models import Account, Contact
from rumbo.testing import make_account

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def names(response):
    return sorted(row["name"] for row in response.json()["items"])


def test_alicia_lists_only_the_accounts_of_her_territory(cast, client):
    response = get(client, cast.alicia, "/api/accounts")
    assert response.status_code == 200
    assert names(response) == ["Bodega Rosita", "Minimarket El Sol"]
    assert response.json()["count"] == 2
    assert b"Bodega Don Lucho" not in response.content


def test_otto_lists_only_his_own_organisations_accounts(cast, client):
    assert names(get(client, cast.otto, "/api/accounts")) == ["Tienda Ajena"]


def test_the_list_counts_every_match_and_pages_with_limit_and_offset(cast, client):
    first = get(client, cast.admin, "/api/accounts", limit=2).json()
    rest = get(client, cast.admin, "/api/accounts", limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 5
    assert [r["name"] for r in first["items"]] == ["Bodega Don Lucho", "Bodega Rosita"]
    assert [r["name"] for r in rest["items"]] == ["Bodega Trujillana", "Market Surco"]


def test_accounts_filter_by_words_of_the_name_without_accents(cast, client):
    account = cast.accounts["alicia_2"]
    account.trade_name = "Minimarket Peñón"
    account.save()
    assert names(get(client, cast.admin, "/api/accounts", q="penon")) == ["Minimarket Peñón"]
    assert names(get(client, cast.admin, "/api/accounts", q="C003")) == ["Bodega Don Lucho"]


def test_accounts_filter_by_territory_with_its_subtree(cast, client):
    lima_sur = cast.territories["lima_sur"].pk
    response = get(client, cast.maria, "/api/accounts", territory=lima_sur)
    assert names(response) == ["Bodega Don Lucho", "Market Surco"]


def test_a_territory_outside_the_scope_filters_to_nothing(cast, client):
    response = get(client, cast.alicia, "/api/accounts", territory=cast.territories["ls1"].pk)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_accounts_filter_by_channel_status_and_ubigeo(cast, client):
    Account.objects.filter(pk=cast.accounts["bruno_2"].pk).update(status="inactive")
    admin = cast.admin
    assert len(names(get(client, admin, "/api/accounts", channel="bodega"))) == 5
    assert names(get(client, admin, "/api/accounts", channel="mayorista")) == []
    assert names(get(client, admin, "/api/accounts", status="inactive")) == ["Market Surco"]
    assert names(get(client, admin, "/api/accounts", ubigeo="150143")) == ["Bodega Don Lucho"]
    assert names(get(client, admin, "/api/accounts", ubigeo="13")) == ["Bodega Trujillana"]
    assert len(names(get(client, admin, "/api/accounts", ubigeo="1501"))) == 4


def test_accounts_sort_like_the_list_page(cast, client):
    response = get(client, cast.admin, "/api/accounts", sort="-name", limit=1)
    assert names(response) == ["Minimarket El Sol"]


def test_an_account_row_has_location_territory_and_reps(cast, client):
    row = get(client, cast.alicia, "/api/accounts", q="rosita").json()["items"][0]
    assert row["ubigeo"] == "150135"
    assert row["location_precision"] == "district"
    assert isinstance(row["lat"], float) and isinstance(row["lon"], float)
    assert row["territory"] == {
        "id": cast.territories["ln1"].pk,
        "code": "LN1",
        "name": "Lima Norte 1",
    }
    assert [rep["username"] for rep in row["reps"]] == ["alicia"]
    assert row["channel"]["code"] == "bodega"
    assert row["last_order_on"] == "2024-06-15"


def test_vera_gets_accounts_without_amounts(cast, client):
    Account.objects.update(credit_limit="1500.00")
    rows = get(client, cast.vera, "/api/accounts").json()["items"]
    assert len(rows) == 5
    assert {(r["credit_limit"], r["sales_12m"]) for r in rows} == {(None, None)}
    admin_rows = get(client, cast.admin, "/api/accounts").json()["items"]
    assert {r["credit_limit"] for r in admin_rows} == {"1500.00"}


def test_vera_sees_amounts_once_she_is_granted_them(cast, client):
    cast.vera.can_see_amounts = True
    cast.vera.save()
    rows = get(client, cast.vera, "/api/accounts").json()["items"]
    assert {r["credit_limit"] for r in rows} == {"0.00"}


def test_the_account_detail_includes_its_contacts(cast, client):
    account = cast.accounts["alicia_1"]
    Contact.objects.create(
        account=account, name="Rosa Quispe", phone="999 111 222", is_primary=True
    )
    response = get(client, cast.alicia, f"/api/accounts/{account.pk}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["name"] == "Bodega Rosita"
    assert [(c["name"], c["is_primary"]) for c in detail["contacts"]] == [("Rosa Quispe", True)]
    assert detail["opening_hours"] == {}
    assert "created_at" in detail and "updated_at" in detail


def test_bruno_gets_404_for_alicias_account(cast, client):
    response = get(client, cast.bruno, f"/api/accounts/{cast.accounts['alicia_1'].pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}


def test_bad_filters_answer_422_naming_each_field(cast, client):
    params = {"status": "closed", "limit": 0, "ubigeo": "15x", "sort": "price", "territory": "lima"}
    response = get(client, cast.admin, "/api/accounts", **params)
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"status", "limit", "ubigeo", "sort", "territory"}


def test_a_limit_above_500_is_refused(cast, client):
    assert get(client, cast.admin, "/api/accounts", limit=501).status_code == 422


def add_accounts(cast, n):
    for i in range(n):
        make_account(cast.org, cast.channel, cast.territories["ls1"], f"Bodega Extra {i:02}")


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/accounts?limit=500", "/api/accounts/{pk}"])
def test_the_account_endpoints_make_as_many_queries_for_many_rows_as_for_few(
    cast, client, url, django_assert_max_num_queries
):
    client.force_login(cast.maria)  # a manager: the costliest scope
    url = url.format(pk=cast.accounts["bruno_1"].pk)
    few = queries(client, url)
    add_accounts(cast, 40)
    for account in Account.objects.filter(trade_name__startswith="Bodega Extra"):
        Contact.objects.create(account=account, name="Contacto")
    with django_assert_max_num_queries(9):
        client.get(url)
    assert queries(client, url) == few
