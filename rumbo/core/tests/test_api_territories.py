"""The territory endpoints: each user's subtrees, with today's reps and managers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rumbo.territories.models import AssignmentRole, Level
from rumbo.territories.services import assign, end_assignment
from rumbo.testing import START, make_territory, person

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def codes(response):
    return [row["code"] for row in response.json()["items"]]


def test_maria_sees_her_region_in_tree_order(cast, client):
    response = get(client, cast.maria, "/api/territories")
    assert codes(response) == ["LIM", "LN", "LN1", "LS", "LS1"]
    assert response.json()["count"] == 5


def test_a_territory_carries_its_place_in_the_tree(cast, client):
    ln1 = cast.territories["ln1"]
    row = get(client, cast.alicia, f"/api/territories/{ln1.pk}").json()
    assert row["parent_id"] == cast.territories["lima_norte"].pk
    assert row["depth"] == 3
    assert row["path"] == ln1.path
    assert row["level"] == "territory"
    assert row["is_active"] is True


def test_territories_show_who_covers_them_today(cast, client):
    rows = {r["code"]: r for r in get(client, cast.admin, "/api/territories").json()["items"]}
    assert [m["username"] for m in rows["LIM"]["managers"]] == ["maria"]
    assert rows["LIM"]["reps"] == []
    assert [r["username"] for r in rows["LN1"]["reps"]] == ["alicia"]
    assert rows["TRU"]["reps"] == [] and rows["TRU"]["managers"] == []


def test_a_rep_whose_coverage_ended_is_no_longer_listed(cast, client):
    assignment = cast.bruno.assignments.get()
    end_assignment(assignment=assignment, valid_to=dt.date(2024, 6, 1))
    row = get(client, cast.admin, f"/api/territories/{cast.territories['ls1'].pk}").json()
    assert row["reps"] == []


def test_alicia_cannot_open_trujillo_nor_the_outsiders_zone(cast, client):
    for key in ("trujillo", "other", "lima"):
        response = get(client, cast.alicia, f"/api/territories/{cast.territories[key].pk}")
        assert response.status_code == 404, key


def test_territories_filter_by_level_words_and_parent(cast, client):
    admin = cast.admin
    assert codes(get(client, admin, "/api/territories", level="zone")) == ["LN", "LS"]
    assert codes(get(client, admin, "/api/territories", q="sur")) == ["LS", "LS1"]
    parent = cast.territories["lima"].pk
    assert codes(get(client, admin, "/api/territories", parent=parent)) == ["LN", "LS"]
    assert get(client, admin, "/api/territories", level="planet").status_code == 422


def test_the_territory_list_makes_as_many_queries_for_many_rows_as_for_few(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.maria)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/territories?limit=500").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(30):
        leaf = make_territory(
            cast.org, f"LS1-{i}", f"Ruta {i}", Level.TERRITORY, cast.territories["ls1"]
        )
        rep = person(f"rep{i}", f"Rep {i}", cast.org, "rep")
        assign(territory=leaf, user=rep, role=AssignmentRole.REP, valid_from=START)
    with django_assert_max_num_queries(9):
        many = count()
    assert many == few
