import pytest
from django.core.exceptions import ValidationError

from rumbo.customers.models import Contact
from rumbo.customers.services import add_contact, update_contact

pytestmark = pytest.mark.django_db


def test_a_contact_made_main_takes_the_place_of_the_old_main_contact(cast):
    account = cast.accounts["alicia_1"]
    rosa = add_contact(account=account, name="Rosa Pérez", is_primary=True)
    luis = add_contact(account=account, name="Luis Pérez")
    update_contact(contact=luis, is_primary=True, position="Dueño")
    rosa.refresh_from_db()
    luis.refresh_from_db()
    assert (rosa.is_primary, luis.is_primary, luis.position) == (False, True, "Dueño")


def test_another_accounts_main_contact_stays_main(cast):
    other = add_contact(account=cast.accounts["bruno_1"], name="Lucho", is_primary=True)
    mine = add_contact(account=cast.accounts["alicia_1"], name="Rosa")
    update_contact(contact=mine, is_primary=True)
    other.refresh_from_db()
    assert other.is_primary


def test_a_bad_email_is_refused_and_nothing_is_saved(cast):
    rosa = add_contact(account=cast.accounts["alicia_1"], name="Rosa", is_primary=True)
    luis = add_contact(account=cast.accounts["alicia_1"], name="Luis")
    with pytest.raises(ValidationError) as error:
        update_contact(contact=luis, email="no-es-un-correo", is_primary=True)
    assert "email" in error.value.message_dict
    assert Contact.objects.get(pk=rosa.pk).is_primary
    assert Contact.objects.get(pk=luis.pk).email == ""


def test_a_contact_has_no_field_called_account(cast):
    contact = add_contact(account=cast.accounts["alicia_1"], name="Rosa")
    with pytest.raises(ValueError, match="account"):
        update_contact(contact=contact, account=cast.accounts["other_1"])
