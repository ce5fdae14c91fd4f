import pytest
from django.core.exceptions import ValidationError

from rumbo.core.models import Role, User
from rumbo.team.services import create_user, update_user

pytestmark = pytest.mark.django_db


def test_a_users_name_email_role_and_manager_change_together(cast):
    carla = create_user(organisation=cast.org, username="carla", first_name="Carla")
    update_user(
        user=carla, last_name="Quispe", email="carla@andina.pe", role=Role.MANAGER,
        manager=cast.admin,
    )  # fmt: skip
    carla = User.objects.get(pk=carla.pk)
    assert (carla.get_full_name(), carla.email, carla.role, carla.manager) == (
        "Carla Quispe", "carla@andina.pe", "manager", cast.admin,
    )  # fmt: skip


def test_a_manager_of_another_organisation_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        update_user(user=cast.alicia, manager=cast.otto)
    assert list(error.value.message_dict) == ["manager"]
    assert User.objects.get(pk=cast.alicia.pk).manager == cast.maria


def test_nobody_reports_to_themselves_even_through_others(cast):
    for boss in (cast.alicia, cast.maria):
        with pytest.raises(ValidationError) as error:
            update_user(user=cast.maria, manager=boss)
        assert list(error.value.message_dict) == ["manager"]
    assert User.objects.get(pk=cast.maria.pk).manager is None


def test_a_rep_with_a_field_profile_cannot_become_a_viewer(cast):
    with pytest.raises(ValidationError) as error:
        update_user(user=cast.bruno, role=Role.VIEWER)
    assert list(error.value.message_dict) == ["role"]
    assert update_user(user=cast.bruno, role=Role.MANAGER).role == Role.MANAGER
    assert update_user(user=cast.vera, role=Role.ADMIN).role == Role.ADMIN


def test_a_bad_email_is_refused_and_nothing_is_saved(cast):
    email = cast.alicia.email
    with pytest.raises(ValidationError) as error:
        update_user(user=cast.alicia, email="alicia-sin-arroba", first_name="Ali")
    assert list(error.value.message_dict) == ["email"]
    alicia = User.objects.get(pk=cast.alicia.pk)
    assert (alicia.email, alicia.first_name) == (email, "Alicia")


def test_the_password_and_organisation_are_not_for_update_user(cast):
    with pytest.raises(ValueError, match="organisation"):
        update_user(user=cast.alicia, organisation=cast.outsider)
