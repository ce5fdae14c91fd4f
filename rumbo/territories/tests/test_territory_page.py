import datetime as dt

import pytest
from django.urls import reverse

from rumbo.territories.services import assign

pytestmark = pytest.mark.django_db


def url(territory):
    return reverse("territories:detail", args=[territory.pk])


def test_maria_sees_lima_norte_with_breadcrumbs_children_and_map(cast, client):
    client.force_login(cast.maria)
    response = client.get(url(cast.territories["lima_norte"]))
    assert response.status_code == 200
    detail = response.context["detail"]
    assert [t.code for t in detail.breadcrumbs] == ["LIM"]  # Perú is above maria's scope
    assert [c.territory.code for c in detail.node.children] == ["LN1"]
    assert detail.node.total_accounts == 2
    page = response.content.decode()
    assert f"/accounts/points.json?territory={cast.territories['lima_norte'].pk}" in page
    assert f"/accounts/distritos.geojson?territory={cast.territories['lima_norte'].pk}" in page


def test_the_assignment_history_says_who_covered_it_when(cast, client):
    ln1 = cast.territories["ln1"]
    assign(territory=ln1, user=cast.bruno, valid_from=dt.date(2025, 1, 1))
    assign(territory=ln1, user=cast.alicia, valid_from=dt.date(2099, 1, 1))
    client.force_login(cast.admin)
    history = client.get(url(ln1)).context["detail"].history
    assert [(r.assignment.user.username, r.state) for r in history] == [
        ("alicia", "planned"),
        ("bruno", "now"),
        ("alicia", "ended"),
    ]
    assert history[2].assignment.valid_to == dt.date(2025, 1, 1)


def test_otto_gets_404_on_andinas_territory(cast, client):
    client.force_login(cast.otto)
    assert client.get(url(cast.territories["lima"])).status_code == 404


def test_alicia_gets_404_on_brunos_territory_and_on_her_region(cast, client):
    client.force_login(cast.alicia)
    assert client.get(url(cast.territories["ls1"])).status_code == 404
    assert client.get(url(cast.territories["lima"])).status_code == 404
    assert client.get(url(cast.territories["ln1"])).status_code == 200


def test_a_rep_sees_no_breadcrumbs_above_her_territory(cast, client):
    client.force_login(cast.alicia)
    assert client.get(url(cast.territories["ln1"])).context["detail"].breadcrumbs == []


def test_the_territory_page_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    client.force_login(cast.maria)
    # session, user, scope (3), territory, subtree with counts, assignments, history,
    # breadcrumbs, organisation
    with django_assert_num_queries(10):
        client.get(url(cast.territories["lima"]))
