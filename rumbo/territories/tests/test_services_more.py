import pytest
from django.core.exceptions import ValidationError

from rumbo.core.models import AuditEntry
from rumbo.territories.models import Territory
from rumbo.territories.services import update_territory

pytestmark = pytest.mark.django_db


def test_renaming_and_deactivating_a_territory_is_audited(cast):
    ln1 = cast.territories["ln1"]
    update_territory(territory=ln1, name="Lima Norte Uno", is_active=False, actor=cast.admin)
    ln1 = Territory.objects.get(pk=ln1.pk)
    assert (ln1.name, ln1.is_active, ln1.path) == (
        "Lima Norte Uno", False, cast.territories["ln1"].path,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="territories.territory").latest("id")
    assert (entry.action, entry.actor) == ("update", cast.admin)
    assert entry.changes == {"name": ["Lima Norte 1", "Lima Norte Uno"], "is_active": [True, False]}


def test_a_territory_left_as_it_is_is_not_audited(cast):
    before = AuditEntry.objects.count()
    update_territory(territory=cast.territories["ln1"], name="Lima Norte 1", level="territory")
    assert AuditEntry.objects.count() == before


def test_an_unknown_level_or_a_taken_code_is_refused(cast):
    with pytest.raises(ValidationError):
        update_territory(territory=cast.territories["ln1"], level="galaxy")
    with pytest.raises(ValidationError):
        update_territory(territory=cast.territories["ln1"], code="LS1")
    assert Territory.objects.get(pk=cast.territories["ln1"].pk).code == "LN1"


def test_the_parent_changes_through_move_territory_not_update_territory(cast):
    with pytest.raises(ValueError, match="parent"):
        update_territory(territory=cast.territories["ln1"], parent=cast.territories["norte"])
