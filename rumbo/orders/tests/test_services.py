import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rumbo.catalog.models import PriceList
from rumbo.catalog.services import set_price
from rumbo.orders.models import Order, OrderStatus
from rumbo.orders.services import LineInput, change_status, create_order

pytestmark = pytest.mark.django_db


def order(cast, *lines, **kwargs):
    return create_order(
        account=cast.accounts["alicia_1"], lines=list(lines), actor=cast.alicia, **kwargs
    )


def test_the_server_prices_from_the_channel_list_and_adds_igv(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=Decimal("1.80"))
    o = order(
        cast,
        LineInput(cast.catalog["cola"], Decimal("10")),
        LineInput(cast.catalog["chips"], Decimal("4")),
    )
    # cola 10 × 1.80 from the bodega list; chips 4 × 1.50 at list price
    assert o.net_amount == Decimal("24.00")
    assert o.tax_amount == Decimal("4.32")
    assert o.total_amount == Decimal("28.32")
    assert o.rep == cast.alicia and o.territory == cast.territories["ln1"]


def test_an_account_price_list_beats_the_channel_list(cast):
    account = cast.accounts["alicia_1"]
    own = PriceList.objects.create(
        organisation=cast.org, code="ROSITA", name="Rosita", account=account
    )
    set_price(price_list=own, product=cast.catalog["cola"], price=Decimal("1.70"))
    set_price(
        price_list=PriceList.objects.get(code="BOD", organisation=cast.org),
        product=cast.catalog["cola"],
        price=Decimal("1.80"),
    )
    o = order(cast, LineInput(cast.catalog["cola"], Decimal("1")))
    assert o.lines.get().unit_price == Decimal("1.7000")


def test_a_list_with_prices_including_igv_is_converted_to_net(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    bodegas.prices_include_tax = True
    bodegas.save()
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=Decimal("2.36"))
    o = order(cast, LineInput(cast.catalog["cola"], Decimal("100")))
    assert o.net_amount == Decimal("200.00") and o.total_amount == Decimal("236.00")


def test_a_discount_reduces_the_net(cast):
    o = order(cast, LineInput(cast.catalog["cola"], Decimal("10"), discount_pct=Decimal("5")))
    assert (o.net_amount, o.discount_amount) == (Decimal("19.00"), Decimal("1.00"))


@pytest.mark.parametrize("quantity", ["0", "-3", "1000000"])
def test_absurd_quantities_are_refused(cast, quantity):
    with pytest.raises(ValidationError, match="cantidad"):
        order(cast, LineInput(cast.catalog["cola"], Decimal(quantity)))


def test_a_discontinued_product_cannot_be_ordered(cast):
    cola = cast.catalog["cola"]
    cola.discontinued = True
    cola.save()
    with pytest.raises(ValidationError, match="descontinuado"):
        order(cast, LineInput(cola, Decimal("1")))


def test_status_changes_follow_the_lifecycle_and_are_kept(cast):
    o = order(cast, LineInput(cast.catalog["cola"], Decimal("1")))
    change_status(order=o, to_status=OrderStatus.CONFIRMED, actor=cast.maria)
    change_status(order=o, to_status=OrderStatus.DELIVERED, actor=cast.maria)
    with pytest.raises(ValidationError):
        change_status(order=o, to_status=OrderStatus.CANCELLED, actor=cast.maria)
    steps = [(h.from_status, h.to_status) for h in o.history.order_by("at", "id")]
    assert steps == [("", "submitted"), ("submitted", "confirmed"), ("confirmed", "delivered")]


def test_order_numbers_follow_one_sequence(cast):
    numbers = [order(cast, LineInput(cast.catalog["cola"], Decimal("1"))).number for _ in range(3)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert Order.objects.filter(number__in=numbers).count() == 3


def test_an_imported_order_keeps_its_erp_prices(cast):
    line = LineInput(cast.catalog["cola"], Decimal("3"), unit_price=Decimal("2.5"))
    o = create_order(
        account=cast.accounts["bruno_1"],
        lines=[line],
        actor=cast.admin,
        trust_prices=True,
        status=OrderStatus.DELIVERED,
        ordered_on=dt.date(2023, 12, 1),
        source=Order.Source.IMPORT,
        rep=cast.bruno,
    )
    assert o.net_amount == Decimal("7.50") and o.rep == cast.bruno
