import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rumbo.customers.models import Account, Channel
from rumbo.customers.selectors import fold
from rumbo.testing import make_account, make_order

pytestmark = pytest.mark.django_db
URL = reverse("customers:account_list")
TEAM = ["Bodega Don Lucho", "Bodega Rosita", "Market Surco", "Minimarket El Sol"]


def listed(response):
    """Account names on the page, in the order shown."""
    return [a.name for a in response.context["page"].object_list]


def test_alicia_sees_only_her_two_accounts(cast, client):
    client.force_login(cast.alicia)
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == ["Bodega Rosita", "Minimarket El Sol"]
    assert "Bodega Don Lucho" not in response.content.decode()


def test_maria_sees_her_teams_accounts_but_not_trujillo(cast, client):
    client.force_login(cast.maria)
    names = listed(client.get(URL))
    assert sorted(names) == TEAM


def test_otto_sees_only_his_own_organisations_accounts(cast, client):
    client.force_login(cast.otto)
    assert listed(client.get(URL)) == ["Tienda Ajena"]


def test_the_list_shows_the_current_rep_and_last_order(cast, client):
    client.force_login(cast.maria)
    response = client.get(URL, {"q": "rosita"})
    row = response.context["page"].object_list[0]
    assert [a.user for a in row.territory.current_reps] == [cast.alicia]
    assert row.last_order_on == dt.date(2024, 6, 15)
    assert "Alicia" in response.content.decode()


def test_search_ignores_case_and_accents(cast, client):
    make_account(cast.org, cast.channel, cast.territories["ln1"], "Bodega Núñez", code="C100")
    client.force_login(cast.alicia)
    for text in ("NUÑEZ", "nunez", "Núñez", "bodega nun"):
        assert listed(client.get(URL, {"q": text})) == ["Bodega Núñez"], text


def test_search_finds_the_legal_name_ruc_and_external_code(cast, client):
    account = cast.accounts["alicia_2"]
    account.tax_id_type, account.tax_id = Account.TaxIdType.RUC, "20100070970"
    account.save()
    client.force_login(cast.alicia)
    assert listed(client.get(URL, {"q": "el sol e.i.r.l"})) == ["Minimarket El Sol"]
    assert listed(client.get(URL, {"q": "2010007"})) == ["Minimarket El Sol"]
    assert listed(client.get(URL, {"q": "c001"})) == ["Bodega Rosita"]
    assert listed(client.get(URL, {"q": "zzz"})) == []


def test_fold_drops_accents_and_case():
    assert fold("Ñaña ÁÉÍÓÚ ü") == "nana aeiou u"


def test_filter_by_territory_includes_its_subtree(cast, client):
    client.force_login(cast.maria)
    lima_sur = cast.territories["lima_sur"]
    assert sorted(listed(client.get(URL, {"territory": lima_sur.pk}))) == [
        "Bodega Don Lucho",
        "Market Surco",
    ]


def test_a_territory_filter_cannot_widen_the_scope(cast, client):
    client.force_login(cast.alicia)
    response = client.get(URL, {"territory": cast.territories["ls1"].pk})
    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["total"] == 0
    assert "Bodega Don Lucho" not in response.content.decode()


def test_another_organisations_channel_is_not_a_valid_filter(cast, client):
    foreign = Channel.objects.get(organisation=cast.outsider)
    client.force_login(cast.alicia)
    response = client.get(URL, {"channel": foreign.pk})
    assert listed(response) == []
    assert response.context["form"].errors


def test_filter_by_channel_status_departamento_and_district(cast, client):
    mayorista = Channel.objects.create(organisation=cast.org, code="may", name="Mayorista")
    make_account(cast.org, mayorista, cast.territories["ln1"], "Mayorista Norte", "150135")
    make_account(
        cast.org, cast.channel, cast.territories["ln1"], "Prospecto Comas", "150110",
        status=Account.Status.PROSPECT,
    )  # fmt: skip
    client.force_login(cast.alicia)
    assert listed(client.get(URL, {"channel": mayorista.pk})) == ["Mayorista Norte"]
    assert listed(client.get(URL, {"status": "prospect"})) == ["Prospecto Comas"]
    assert listed(client.get(URL, {"distrito": "150110"})) == ["Prospecto Comas"]
    assert len(listed(client.get(URL, {"departamento": "15"}))) == 4
    client.force_login(cast.admin)
    assert listed(client.get(URL, {"departamento": "13"})) == ["Bodega Trujillana"]


def test_the_district_choices_are_only_where_the_users_accounts_are(cast, client):
    client.force_login(cast.alicia)
    form = client.get(URL).context["form"]
    assert [d.ubigeo for d in form.fields["distrito"].queryset] == ["150135"]
    assert [d.code for d in form.fields["departamento"].queryset] == ["15"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"territory": "abc"},
        {"territory": "99999999"},
        {"channel": "1; drop table"},
        {"status": "gone"},
        {"distrito": "ABCDEF"},
        {"departamento": "x"},
        {"sort": "password"},
        {"sort": "--name"},
        {"q": "x" * 500},
    ],
)
def test_bad_input_gives_a_normal_page(cast, client, params):
    client.force_login(cast.alicia)
    response = client.get(URL, params)
    assert response.status_code == 200


def test_a_bad_filter_says_so_and_shows_nothing(cast, client):
    client.force_login(cast.alicia)
    response = client.get(URL, {"territory": "abc"})
    assert listed(response) == []
    assert 'role="alert"' in response.content.decode()


def test_sorting_by_a_column_and_back(cast, client):
    make_account(cast.org, cast.channel, cast.territories["ln1"], "Abarrotes Ana", code="C101")
    client.force_login(cast.alicia)
    assert listed(client.get(URL, {"sort": "name"}))[0] == "Abarrotes Ana"
    assert listed(client.get(URL, {"sort": "-name"}))[0] == "Minimarket El Sol"
    by_order = listed(client.get(URL, {"sort": "-last_order"}))
    assert by_order[-1] == "Abarrotes Ana"  # never ordered: last either way
    assert listed(client.get(URL, {"sort": "last_order"}))[-1] == "Abarrotes Ana"


def test_sales_of_the_last_12_months_are_summed_in_the_query(cast, client):
    today = timezone.localdate()
    rosita = cast.accounts["alicia_1"]
    make_order(rosita, cast.catalog["cola"], "10", on=today - dt.timedelta(days=30))
    make_order(rosita, cast.catalog["cola"], "5", on=today - dt.timedelta(days=400))
    client.force_login(cast.alicia)
    rows = {a.name: a for a in client.get(URL).context["page"].object_list}
    assert rows["Bodega Rosita"].sales_12m == Decimal("20.00")
    assert rows["Minimarket El Sol"].sales_12m == Decimal("0")
    assert listed(client.get(URL, {"sort": "-sales"}))[0] == "Bodega Rosita"


def test_a_viewer_without_amounts_sees_no_sales_column(cast, client):
    client.force_login(cast.vera)
    response = client.get(URL, {"sort": "-sales"})
    assert response.status_code == 200
    assert not hasattr(response.context["page"].object_list[0], "sales_12m")
    assert "S/" not in response.content.decode()
    assert len(listed(response)) == 5


def test_fifty_accounts_per_page(cast, client):
    for i in range(52):
        make_account(cast.org, cast.channel, cast.territories["ln1"], f"Cuenta {i:02d}")
    client.force_login(cast.alicia)
    first = client.get(URL)
    assert len(listed(first)) == 50
    assert first.context["total"] == 54
    assert len(listed(client.get(URL, {"page": 2}))) == 4


def _add_accounts(cast, n):
    for i in range(n):
        account = make_account(cast.org, cast.channel, cast.territories["ln1"], f"Extra {i:02d}")
        make_order(account, cast.catalog["cola"], "3", on=timezone.localdate())


@pytest.mark.parametrize("extra", [3, 38])
def test_the_list_runs_the_same_queries_for_5_or_40_accounts(
    cast, client, django_assert_num_queries, extra
):
    _add_accounts(cast, extra)
    client.force_login(cast.alicia)
    # session, user, the user's scope (1), status counts, page count, organisation name (shell),
    # choices (territory, channel, departamento, distrito), page rows, current reps
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert len(listed(response)) == extra + 2
