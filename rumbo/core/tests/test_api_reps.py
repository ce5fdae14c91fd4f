"""The rep endpoints: a manager's team, a rep's own profile, cost only for planners."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rumbo.team.models import Rep
from rumbo.territories.models import Level
from rumbo.territories.services import assign
from rumbo.testing import START, make_rep, make_territory, person

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def usernames(response):
    return [row["user"]["username"] for row in response.json()["items"]]


def test_maria_sees_her_reps_with_what_an_hour_costs(cast, client):
    rows = get(client, cast.maria, "/api/reps").json()["items"]
    assert [r["user"]["username"] for r in rows] == ["alicia", "bruno"]
    assert {r["cost_per_hour"] for r in rows} == {"25.00"}


def test_alicia_sees_only_herself_and_not_her_cost(cast, client):
    response = get(client, cast.alicia, "/api/reps")
    assert usernames(response) == ["alicia"]
    assert response.json()["items"][0]["cost_per_hour"] is None


def test_vera_sees_the_whole_team_without_costs(cast, client):
    rows = get(client, cast.vera, "/api/reps").json()["items"]
    assert [r["user"]["username"] for r in rows] == ["alicia", "bruno"]
    assert {r["cost_per_hour"] for r in rows} == {None}


def test_a_rep_shows_home_base_working_hours_capacity_and_territories(cast, client):
    rep = Rep.objects.get(user=cast.bruno)
    rep.work_days = ["mon", "tue", "wed"]
    rep.weekly_capacity_hours = Decimal("30.5")
    rep.save()
    row = get(client, cast.admin, f"/api/reps/{rep.pk}").json()
    assert row["user"] == {"id": cast.bruno.pk, "username": "bruno", "name": "Bruno"}
    assert row["code"] == "R-bruno"
    assert (row["home_ubigeo"], row["home_distrito"]) == ("150101", "LIMA")
    assert row["home_lat"] == pytest.approx(rep.home_lat)
    assert (row["work_start"], row["work_end"]) == ("08:00:00", "17:00:00")
    assert row["work_days"] == ["mon", "tue", "wed"]
    assert row["weekly_capacity_hours"] == "30.5"
    assert row["cost_per_hour"] == "25.00"
    assert row["territories"] == [
        {"id": cast.territories["ls1"].pk, "code": "LS1", "name": "Lima Sur 1"}
    ]


def test_olga_and_alicia_cannot_open_bruno(cast, client):
    bruno = Rep.objects.get(user=cast.bruno)
    for user in (cast.olga, cast.alicia):
        assert get(client, user, f"/api/reps/{bruno.pk}").status_code == 404


def test_reps_filter_by_words_and_activity(cast, client):
    Rep.objects.filter(user=cast.bruno).update(is_active=False)
    assert usernames(get(client, cast.admin, "/api/reps", q="R-ali")) == ["alicia"]
    assert usernames(get(client, cast.admin, "/api/reps", is_active="false")) == ["bruno"]
    assert get(client, cast.admin, "/api/reps", is_active="maybe").status_code == 422


def test_the_rep_list_makes_as_many_queries_for_many_rows_as_for_few(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.maria)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/reps?limit=500").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(25):
        user = person(f"rep{i}", f"Rep {i}", cast.org, "rep", manager=cast.maria)
        make_rep(user)
        leaf = make_territory(
            cast.org, f"LS1-{i}", f"Ruta {i}", Level.TERRITORY, cast.territories["ls1"]
        )
        assign(territory=leaf, user=user, valid_from=START)
    with django_assert_max_num_queries(9):
        many = count()
    assert many == few
    assert len(get(client, cast.maria, "/api/reps", limit=500).json()["items"]) == 27
