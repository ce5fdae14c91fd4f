import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rumbo.catalog.models import Category, PriceList
from rumbo.catalog.services import (
    create_category,
    create_price_list,
    create_unit,
    update_category,
    update_price_list,
)
from rumbo.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_category_hangs_under_another_and_can_be_renamed(cast):
    drinks = cast.catalog["drinks"]
    water = create_category(organisation=cast.org, code="AGU", name="Agua", parent=drinks)
    water = update_category(category=water, name="Aguas")
    assert Category.objects.get(pk=water.pk).name == "Aguas"
    assert water.parent == drinks


def test_a_category_cannot_hang_under_itself_or_its_children(cast):
    drinks = cast.catalog["drinks"]
    water = create_category(organisation=cast.org, code="AGU", name="Agua", parent=drinks)
    for parent in (drinks, water):
        with pytest.raises(ValidationError) as error:
            update_category(category=drinks, parent=parent)
        assert list(error.value.message_dict) == ["parent"]
    assert Category.objects.get(pk=drinks.pk).parent is None


def test_a_category_of_another_organisation_is_no_parent(cast):
    foreign = Category.objects.get(organisation=cast.outsider, code="BEB")
    with pytest.raises(ValidationError) as error:
        create_category(organisation=cast.org, code="X", name="X", parent=foreign)
    assert list(error.value.message_dict) == ["parent"]
    with pytest.raises(ValidationError) as error:
        update_category(category=cast.catalog["snacks"], parent=foreign)
    assert list(error.value.message_dict) == ["parent"]


def test_a_category_code_is_unique_in_the_organisation(cast):
    with pytest.raises(ValidationError):
        create_category(organisation=cast.org, code="BEB", name="Otra")
    create_category(organisation=cast.outsider, code="LAC", name="Lácteos")
    assert create_category(organisation=cast.org, code="LAC", name="Lácteos").pk


def test_a_unit_code_is_unique_in_the_organisation(cast):
    assert create_unit(organisation=cast.org, code="CJA", name="Caja").pk
    with pytest.raises(ValidationError):
        create_unit(organisation=cast.org, code="UND", name="Unidad")


def test_a_new_price_list_is_in_the_organisations_currency_and_audited(cast):
    cast.org.currency = "USD"
    price_list = create_price_list(
        organisation=cast.org, code="MAY", name="Mayoristas", channel=cast.channel,
        actor=cast.admin,
    )  # fmt: skip
    assert (price_list.currency, price_list.channel) == ("USD", cast.channel)
    entry = AuditEntry.objects.get(object_type="catalog.pricelist")
    assert (entry.action, entry.actor) == ("create", cast.admin)
    assert entry.changes["channel"] == [None, "Bodega"]


def test_a_price_list_is_for_a_channel_or_an_account_not_both(cast):
    with pytest.raises(ValidationError) as error:
        create_price_list(
            organisation=cast.org, code="X", name="X", channel=cast.channel,
            account=cast.accounts["alicia_1"],
        )  # fmt: skip
    assert list(error.value.message_dict) == ["account"]
    assert not PriceList.objects.filter(code="X").exists()


def test_a_price_list_cannot_name_another_organisations_channel_or_account(cast):
    with pytest.raises(ValidationError) as error:
        create_price_list(
            organisation=cast.org, code="X", name="X", account=cast.accounts["other_1"]
        )
    assert list(error.value.message_dict) == ["account"]
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    foreign = cast.accounts["other_1"].channel
    with pytest.raises(ValidationError) as error:
        update_price_list(price_list=bodegas, channel=foreign)
    assert list(error.value.message_dict) == ["channel"]
    assert PriceList.objects.get(pk=bodegas.pk).channel == cast.channel


def test_changing_a_price_list_audits_what_changed_and_only_that(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    update_price_list(
        price_list=bodegas, name="Bodegas", prices_include_tax=True,
        valid_from=dt.date(2025, 1, 1), actor=cast.admin,
    )  # fmt: skip
    update_price_list(price_list=bodegas, name="Bodegas", actor=cast.admin)
    entries = AuditEntry.objects.filter(object_type="catalog.pricelist")
    assert [e.changes for e in entries] == [
        {"prices_include_tax": [False, True], "valid_from": [None, "2025-01-01"]}
    ]
    assert PriceList.objects.get(pk=bodegas.pk).prices_include_tax


def test_a_price_list_has_no_field_called_items(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    with pytest.raises(ValueError, match="items"):
        update_price_list(price_list=bodegas, items=Decimal("1"))
