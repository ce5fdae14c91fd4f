import pytest

from rumbo.customers.models import Account
from rumbo.orders.models import Order
from rumbo.team.models import Rep
from rumbo.territories.models import Territory
from rumbo.territories.scoping import forget_scope, scope_for
from rumbo.territories.services import end_assignment

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(x) for x in qs)


def test_alicia_sees_only_the_accounts_of_her_territory(cast):
    assert names(Account.objects.visible_to(cast.alicia)) == ["Bodega Rosita", "Minimarket El Sol"]


def test_bruno_cannot_see_alicias_orders(cast):
    visible = Order.objects.visible_to(cast.bruno)
    assert cast.orders["alicia_1"] not in visible
    assert set(visible) == {cast.orders["bruno_1"], cast.orders["bruno_2"]}


def test_maria_sees_her_region_but_not_trujillo(cast):
    accounts = Account.objects.visible_to(cast.maria)
    assert accounts.count() == 4
    assert cast.accounts["trujillo_1"] not in accounts
    assert names(Territory.objects.visible_to(cast.maria)) == [
        "Lima",
        "Lima Norte",
        "Lima Norte 1",
        "Lima Sur",
        "Lima Sur 1",
    ]


def test_maria_sees_her_reps_and_herself_only(cast):
    reps = Rep.objects.visible_to(cast.maria)
    assert {r.user.username for r in reps} == {"alicia", "bruno"}


def test_admin_and_viewer_see_the_whole_organisation_and_nothing_else(cast):
    for user in (cast.admin, cast.vera):
        assert Account.objects.visible_to(user).count() == 5
        assert cast.accounts["other_1"] not in Account.objects.visible_to(user)


def test_another_organisations_admin_sees_only_their_own(cast):
    assert names(Account.objects.visible_to(cast.otto)) == ["Tienda Ajena"]
    assert not Order.objects.visible_to(cast.otto).filter(organisation=cast.org).exists()


def test_a_rep_whose_assignment_ended_sees_nothing(cast):
    assignment = cast.alicia.assignments.get()
    end_assignment(assignment=assignment, valid_to=assignment.valid_from.replace(year=2025))
    forget_scope(cast.alicia)
    assert not Account.objects.visible_to(cast.alicia).exists()
    assert scope_for(cast.alicia).territory_ids == frozenset()


def test_an_anonymous_or_inactive_user_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not Account.objects.visible_to(AnonymousUser()).exists()
    cast.bruno.is_active = False
    forget_scope(cast.bruno)
    assert not Account.objects.visible_to(cast.bruno).exists()
