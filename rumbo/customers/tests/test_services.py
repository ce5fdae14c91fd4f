import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from rumbo.customers.models import Account, Alignment
from rumbo.customers.services import create_account, move_account, update_account
from rumbo.geo.models import Distrito

pytestmark = pytest.mark.django_db


def test_an_account_without_coordinates_sits_at_its_district_and_says_so(cast):
    account = cast.accounts["alicia_1"]
    distrito = Distrito.objects.get(pk="150135")
    assert (account.lat, account.lon) == (distrito.lat, distrito.lon)
    assert account.location_is_approximate


def test_given_coordinates_are_exact(cast):
    account = update_account(account=cast.accounts["alicia_1"], lat=-11.95, lon=-77.07)
    assert account.location_precision == Account.LocationPrecision.EXACT


def test_a_bad_ruc_is_refused_and_nothing_is_saved(cast):
    before = Account.objects.count()
    with pytest.raises(ValidationError) as error:
        create_account(
            organisation=cast.org, legal_name="Mala S.A.C.", channel=cast.channel,
            distrito=Distrito.objects.get(pk="150101"), tax_id_type="ruc", tax_id="20100047219",
        )  # fmt: skip
    assert "RUC" in str(error.value)
    assert Account.objects.count() == before


def test_an_account_in_peru_needs_its_district(cast):
    with pytest.raises(ValidationError):
        create_account(organisation=cast.org, legal_name="Sin distrito", channel=cast.channel)


def test_an_account_abroad_needs_coordinates_not_a_district(cast):
    account = create_account(
        organisation=cast.org, legal_name="A Bike Store", channel=cast.channel, country="US",
        city="Seattle", lat=47.66, lon=-122.41,
    )  # fmt: skip
    assert account.distrito is None and not account.location_is_approximate


def test_moving_an_account_keeps_its_alignment_history(cast):
    account = cast.accounts["alicia_1"]
    move_account(account=account, territory=cast.territories["ls1"], valid_from=dt.date(2025, 5, 1))
    rows = Alignment.objects.filter(account=account).order_by("valid_from")
    assert [(r.territory.code, r.valid_to) for r in rows] == [
        ("LN1", dt.date(2025, 5, 1)),
        ("LS1", None),
    ]
    assert account.territory == cast.territories["ls1"]


def test_an_account_cannot_move_to_another_organisations_territory(cast):
    with pytest.raises(ValidationError):
        move_account(account=cast.accounts["alicia_1"], territory=cast.territories["other"])


def test_opening_hours_must_be_well_formed(cast):
    account = cast.accounts["alicia_1"]
    update_account(account=account, opening_hours={"mon": [["08:00", "13:00"], ["15:00", "21:00"]]})
    bad_hours: list[dict[str, list[list[str]]]] = [
        {"lunes": []},
        {"mon": [["13:00", "08:00"]]},
        {"mon": [["8h", "13h"]]},
    ]
    for bad in bad_hours:
        with pytest.raises(ValidationError):
            update_account(account=account, opening_hours=bad)
