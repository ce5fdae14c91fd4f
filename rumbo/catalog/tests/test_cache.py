"""The catalogue kept in the process (rumbo.catalog.cache): an order is priced from it, and any
change of the catalogue's rows, however it is written, is seen by the next order. Runs on
SQLite and PostgreSQL, whose triggers differ."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from rumbo.catalog.cache import VERSION, catalogue
from rumbo.catalog.models import PriceList, PriceListItem, Product, Promotion, PromotionTier
from rumbo.catalog.services import set_price
from rumbo.core import versions
from rumbo.customers.models import Account
from rumbo.orders.models import OrderPolicy, QuantityLimit
from rumbo.orders.rules import OrderRefused
from rumbo.orders.services import LineInput, create_order

pytestmark = pytest.mark.django_db
D = Decimal


def _price(cast, account=None, product="cola", quantity="1"):
    order = create_order(
        account=account or cast.accounts["alicia_1"],
        lines=[LineInput(Product.objects.get(pk=cast.catalog[product].pk), D(quantity))],
        actor=cast.alicia,
    )
    return order.lines.get(is_free=False).unit_price


def _triggers() -> set[str]:
    sql = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if connection.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def test_every_watched_table_has_its_trigger_and_its_version_row():
    tables = versions.watched()[VERSION]
    assert {"catalog_product", "catalog_pricelistitem", "orders_quantitylimit"} <= set(tables)
    made = _triggers()
    for table in tables:
        assert any(name.startswith(f"{table}_version") for name in made), table
    assert versions.read(VERSION, connection) is not None
    versions.install(connection)  # again: nothing changes, nothing fails
    assert _triggers() == made


def test_a_copy_is_kept_while_nothing_changes(cast):
    first = catalogue(cast.org.pk)
    assert catalogue(cast.org.pk) is first
    Account.objects.filter(pk=cast.accounts["alicia_1"].pk).update(address="not the catalogue")
    assert catalogue(cast.org.pk) is first


@pytest.mark.parametrize(
    "change",
    [
        "queryset update",
        "raw SQL",
        "bulk create",
        "delete",
    ],
)
def test_any_change_of_a_price_reaches_the_next_order(cast, change):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    item = set_price(price_list=bodegas, product=cast.catalog["cola"], price=D("1.80"))
    assert _price(cast) == D("1.8000")
    if change == "queryset update":
        PriceListItem.objects.filter(pk=item.pk).update(price=D("1.60"))
        expected = D("1.6000")
    elif change == "raw SQL":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_pricelistitem SET price = %s", [D("1.55")])
        expected = D("1.5500")
    elif change == "bulk create":
        own = PriceList.objects.create(
            organisation=cast.org, code="OWN", name="Own", account=cast.accounts["alicia_1"]
        )
        PriceListItem.objects.bulk_create(
            [PriceListItem(price_list=own, product=cast.catalog["cola"], price=D("1.40"))]
        )
        expected = D("1.4000")
    else:
        PriceListItem.objects.filter(pk=item.pk).delete()
        expected = D("2.0000")  # the product's list price
    assert _price(cast) == expected


def test_products_promotions_and_rules_changed_behind_the_services_back_are_seen(cast):
    cola = cast.catalog["cola"]
    assert _price(cast, quantity="12") == D("2.0000")
    Product.objects.filter(pk=cola.pk).update(list_price=D("2.50"))
    assert _price(cast, quantity="12") == D("2.5000")
    promotion = Promotion.objects.create(
        organisation=cast.org, code="V", name="V", kind=Promotion.Kind.VOLUME, product=cola
    )
    PromotionTier.objects.create(promotion=promotion, min_quantity=D("10"), discount_pct=D("5"))
    order = create_order(
        account=cast.accounts["alicia_1"], lines=[LineInput(cola, D("12"))], actor=cast.alicia
    )
    assert order.lines.get().promotion_pct == D("5.00")
    QuantityLimit.objects.create(organisation=cast.org, product=cola, max_quantity=D("5"))
    with pytest.raises(OrderRefused) as refused:
        _price(cast, quantity="12")
    assert refused.value.code_name == "quantity"
    OrderPolicy.objects.create(organisation=cast.org, min_order_amount=D("1000"))
    with pytest.raises(OrderRefused) as refused:
        _price(cast, quantity="2")
    assert refused.value.code_name == "min_amount"


def test_a_change_rolled_back_leaves_no_trace_in_the_copy(cast):
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=D("1.80"))
    before = versions.read(VERSION, connection)
    with pytest.raises(RuntimeError), transaction.atomic():
        PriceListItem.objects.update(price=D("0.10"))
        assert _price(cast) == D("0.1000")  # the copy made inside the transaction
        raise RuntimeError
    assert versions.read(VERSION, connection) == before
    assert _price(cast) == D("1.8000")
