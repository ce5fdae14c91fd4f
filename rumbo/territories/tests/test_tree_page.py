import pytest
from django.urls import reverse

from rumbo.territories.models import AssignmentRole, Level
from rumbo.territories.selectors import territory_tree
from rumbo.territories.services import assign
from rumbo.testing import START, make_account, make_territory

pytestmark = pytest.mark.django_db
URL = reverse("territories:tree")


def flat(nodes, depth=0):
    """(depth, code, own, total) for every node, in tree order."""
    rows = []
    for n in nodes:
        rows.append((depth, n.territory.code, n.own_accounts, n.total_accounts))
        rows += flat(n.children, depth + 1)
    return rows


def test_maria_sees_her_subtree_with_reps_managers_and_counts(cast, client):
    client.force_login(cast.maria)
    response = client.get(URL)
    assert response.status_code == 200
    roots = response.context["roots"]
    assert flat(roots) == [
        (0, "LIM", 0, 4),
        (1, "LN", 0, 2),
        (2, "LN1", 2, 2),
        (1, "LS", 0, 2),
        (2, "LS1", 2, 2),
    ]
    assert [a.user for a in roots[0].managers] == [cast.maria]
    ln1 = roots[0].children[0].children[0]
    assert [a.user for a in ln1.reps] == [cast.alicia]
    page = response.content.decode()
    assert "Trujillo" not in page and ">Norte</a>" not in page


def test_alicia_sees_only_her_territory_as_the_root(cast, client):
    client.force_login(cast.alicia)
    assert flat(client.get(URL).context["roots"]) == [(0, "LN1", 2, 2)]


def test_the_admin_sees_the_whole_tree_and_otto_only_his(cast, client):
    client.force_login(cast.admin)
    rows = flat(client.get(URL).context["roots"])
    assert rows[0] == (0, "PE", 0, 5)
    assert (1, "NOR", 0, 1) in rows
    client.force_login(cast.otto)
    assert flat(client.get(URL).context["roots"]) == [(0, "X1", 1, 1)]


def test_a_user_with_no_territory_gets_an_explanation(cast, client):
    assign_ended = cast.bruno.assignments.get()
    from rumbo.territories.services import end_assignment

    end_assignment(assignment=assign_ended, valid_to=START.replace(year=2025))
    client.force_login(cast.bruno)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["roots"] == []


def test_ended_assignments_do_not_show_as_current(cast):
    ln1 = cast.territories["ln1"]
    assign(territory=ln1, user=cast.bruno, valid_from=START.replace(year=2025))
    roots = territory_tree(cast.admin)
    node = roots[0].children[0].children[0].children[0]
    assert node.territory == ln1
    assert [a.user for a in node.reps] == [cast.bruno]


def _grow(cast, n):
    parent = cast.territories["lima_norte"]
    for i in range(n):
        t = make_territory(cast.org, f"LN-X{i}", f"Extra {i}", Level.TERRITORY, parent)
        assign(territory=t, user=cast.alicia, role=AssignmentRole.REP, valid_from=START)
        make_account(cast.org, cast.channel, t, f"Cuenta {i}")


@pytest.mark.parametrize("extra", [0, 25])
def test_the_tree_runs_the_same_queries_however_big(cast, client, django_assert_num_queries, extra):
    _grow(cast, extra)
    client.force_login(cast.maria)
    # session, user, maria's scope (3), territories with counts, current assignments, organisation
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.context["size"] == 5 + extra
