import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from rumbo.core.models import AuditEntry
from rumbo.territories.models import Assignment, Level, Territory
from rumbo.territories.services import assign, create_territory, end_assignment, move_territory

pytestmark = pytest.mark.django_db


def test_a_new_territory_hangs_under_its_parent(cast):
    zone = cast.territories["lima_norte"]
    t = create_territory(organisation=cast.org, name="Lima Norte 2", code="LN2", parent=zone)
    assert t.path == zone.path + f"{t.pk:06d}/"
    assert t.depth == zone.depth + 1
    assert [a.name for a in t.ancestors()] == ["Perú", "Lima", "Lima Norte"]


def test_moving_a_zone_moves_its_whole_subtree(cast):
    zone, norte = cast.territories["lima_norte"], cast.territories["norte"]
    move_territory(territory=zone, parent=norte, actor=cast.admin)
    ln1 = Territory.objects.get(pk=cast.territories["ln1"].pk)
    assert ln1.path.startswith(norte.path)
    assert ln1.depth == 3
    assert [a.name for a in ln1.ancestors()] == ["Perú", "Norte", "Lima Norte"]
    assert AuditEntry.objects.filter(object_type="territories.territory", action="update").exists()


def test_a_territory_cannot_move_under_its_own_child(cast):
    with pytest.raises(ValidationError):
        move_territory(territory=cast.territories["lima"], parent=cast.territories["ln1"])


def test_reassigning_keeps_who_covered_the_territory_when(cast):
    ln1 = cast.territories["ln1"]
    assign(territory=ln1, user=cast.bruno, valid_from=dt.date(2025, 7, 1), actor=cast.admin)
    rows = list(Assignment.objects.filter(territory=ln1).order_by("valid_from"))
    assert [(a.user.username, a.valid_from, a.valid_to) for a in rows] == [
        ("alicia", dt.date(2024, 1, 1), dt.date(2025, 7, 1)),
        ("bruno", dt.date(2025, 7, 1), None),
    ]
    on_june_30 = Assignment.objects.active_on(dt.date(2025, 6, 30)).filter(territory=ln1)
    assert [a.user.username for a in on_june_30] == ["alicia"]


def test_an_assignment_ends_once(cast):
    assignment = cast.alicia.assignments.get()
    end_assignment(assignment=assignment, valid_to=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        end_assignment(assignment=assignment, valid_to=dt.date(2025, 2, 1))


def test_a_viewer_cannot_be_assigned_as_rep(cast):
    with pytest.raises(ValidationError):
        assign(territory=cast.territories["ln1"], user=cast.vera, valid_from=dt.date(2025, 1, 1))


def test_a_user_of_another_organisation_cannot_be_assigned(cast):
    with pytest.raises(ValidationError):
        assign(territory=cast.territories["ln1"], user=cast.olga, valid_from=dt.date(2025, 1, 1))


def test_levels_are_free_to_nest_to_any_depth(cast):
    parent = cast.territories["ln1"]
    for n in range(4):
        parent = create_territory(
            organisation=cast.org,
            name=f"Sub {n}",
            code=f"S{n}",
            level=Level.TERRITORY,
            parent=parent,
        )
    assert parent.depth == 7
    assert Territory.objects.subtree_of(cast.territories["lima"]).count() == 9
