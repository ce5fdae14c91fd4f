"""rumbo.core.fastsql writes and reads rows exactly as the ORM does, on SQLite and PostgreSQL;
and the order path's scope check in hand (Scope.covers) keeps what the querysets keep."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from rumbo.catalog.models import Product, Unit
from rumbo.core.fastsql import Writes, build, columns, insert, select
from rumbo.customers.models import Account
from rumbo.orders.form_data import account_for_order, order_accounts_qs
from rumbo.orders.models import Order, OrderLine
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for

pytestmark = pytest.mark.django_db


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _order(cast, **fields):
    account = cast.accounts["alicia_1"]
    values = {
        "organisation": cast.org, "number": "T-1", "account": account,
        "territory_id": account.territory_id, "rep": cast.alicia, "status": "submitted",
        "ordered_on": dt.date(2024, 6, 15), "net_amount": Decimal("10.50"),
        "tax_amount": Decimal("1.89"), "total_amount": Decimal("12.39"),
        "idempotency_key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "approval_reasons": [{"code": "credit", "limit": "100.00"}],
        "written_at": timezone.make_aware(dt.datetime(2024, 6, 15, 9, 30, 15, 123456)),
        "notes": "ñandú",
        **fields,
    }  # fmt: skip
    return Order(**values)


def test_an_inserted_order_reads_back_as_the_orm_wrote_its_twin(cast):
    fast, orm = _order(cast), _order(cast, number="T-2", idempotency_key=uuid.uuid4())
    insert([fast])
    orm.save()
    assert fast.pk and fast.pk != orm.pk and not fast._state.adding
    stored = Order.objects.get(pk=fast.pk)
    twin = _values(Order.objects.get(pk=orm.pk))
    got = _values(stored)
    for name in ("id", "number", "idempotency_key", "created_at", "updated_at"):
        got.pop(name), twin.pop(name)
    assert got == twin
    assert stored.idempotency_key == fast.idempotency_key
    assert stored.updated_at is not None  # auto_now is set as save() sets it


def test_many_rows_go_in_one_statement_and_get_their_keys_in_order(cast, django_assert_num_queries):
    order = Order.objects.filter(organisation=cast.org).first()
    products = list(Product.objects.filter(organisation=cast.org).order_by("pk"))
    lines = [
        OrderLine(order=order, product=p, quantity=Decimal(n + 1), unit_price=Decimal("2.5"),
                  net_amount=Decimal(n), tax_amount=Decimal("0"), is_free=n % 2 == 0,
                  promotion=None)
        for n, p in enumerate(products)
    ]  # fmt: skip
    with django_assert_num_queries(1):
        insert(lines)
    for line in lines:
        again = OrderLine.objects.get(pk=line.pk)
        assert (again.product_id, again.quantity, again.is_free, again.promotion_id) == (
            line.product_id, line.quantity, line.is_free, None,
        )  # fmt: skip


def test_build_makes_the_instance_the_constructor_makes(cast):
    order = Order.objects.filter(organisation=cast.org).order_by("pk")[0]
    product = cast.catalog["cola"]
    fields = {"order": order, "product": product, "quantity": Decimal("3"), "promotion": None,
              "unit_price": Decimal("2.5"), "net_amount": Decimal("7.50"),
              "tax_amount": Decimal("1.35")}  # fmt: skip
    fast, orm = build(OrderLine, **fields), OrderLine(**fields)
    assert _values(fast) == _values(orm)
    assert fast.product is product and fast.order is order and fast.promotion is None
    assert fast._state.adding and fast.pk is None


def test_writes_go_in_one_statement_on_postgresql_and_every_row_gets_its_key(
    cast, django_assert_num_queries
):
    order = Order.objects.filter(organisation=cast.org).order_by("pk")[0]
    before = OrderLine.objects.filter(order=order).count()
    lines = [
        build(OrderLine, order=order, product=cast.catalog[name], quantity=Decimal("1"),
              unit_price=Decimal("1"), net_amount=Decimal("1"), tax_amount=Decimal("0"))
        for name in ("cola", "chips")
    ]  # fmt: skip
    writes = Writes()
    postgresql = connection.vendor == "postgresql"
    with django_assert_num_queries(0 if postgresql else 2):
        writes.insert(lines)
        # On PostgreSQL a part does not see what the others write: it counts the lines from
        # before the statement.
        writes.execute(
            "UPDATE orders_order SET notes = (SELECT CAST(COUNT(*) AS varchar(40)) "
            "FROM orders_orderline WHERE order_id = %s) WHERE id = %s",
            [order.pk, order.pk],
        )
    with django_assert_num_queries(1 if postgresql else 0):
        writes.send()
    assert all(line.pk and not line._state.adding for line in lines)
    stored = OrderLine.objects.filter(pk__in=[line.pk for line in lines])
    assert dict(stored.values_list("pk", "product_id")) == {
        line.pk: line.product_id for line in lines
    }
    order.refresh_from_db()
    assert order.notes == str(before if postgresql else before + 2)


def test_select_builds_the_instances_the_orm_builds(cast):
    order = _order(cast)
    insert([order])
    rows = select(
        f"SELECT {columns(Order, 'o')}, {columns(Account, 'a')} FROM orders_order o "
        "JOIN customers_account a ON a.id = o.account_id WHERE o.id = %s",
        [order.pk],
        Order,
        Account,
    )
    (got, account), expected = rows[0], Order.objects.get(pk=order.pk)
    assert _values(got) == _values(expected)
    assert got.approval_reasons == [{"code": "credit", "limit": "100.00"}]
    assert got.written_at == expected.written_at and got.ordered_on == dt.date(2024, 6, 15)
    assert _values(account) == _values(Account.objects.get(pk=order.account_id))


def test_select_reads_single_fields_and_shares_joined_rows(cast):
    price_field = Product._meta.get_field("list_price")
    rows = select(
        f"SELECT p.list_price, {columns(Product, 'p')}, {columns(Unit, 'u')} "
        "FROM catalog_product p JOIN catalog_unit u ON u.id = p.unit_id "
        "WHERE p.organisation_id = %s ORDER BY p.id",
        [cast.org.pk],
        price_field,
        Product,
        Unit,
    )
    assert [price for price, _, _ in rows] == [p.list_price for _, p, _ in rows]
    assert all(isinstance(price, Decimal) for price, _, _ in rows)
    by_unit: dict[int, set[int]] = {}
    for _, product, unit in rows:
        assert unit.pk == product.unit_id
        by_unit.setdefault(unit.pk, set()).add(id(unit))
    assert all(len(instances) == 1 for instances in by_unit.values())


def test_the_order_path_sees_exactly_the_accounts_the_form_lists(cast):
    Account.objects.filter(pk=cast.accounts["alicia_2"].pk).update(status=Account.Status.INACTIVE)
    everyone = list(Account.objects.all())
    for user in cast.users().values():
        listed = set(order_accounts_qs(user).values_list("pk", flat=True))
        found = {a.pk for a in everyone if account_for_order(user, a.pk) is not None}
        assert found == listed, user.username
    assert account_for_order(cast.alicia, 10**9) is None
    account = account_for_order(cast.alicia, cast.accounts["alicia_1"].pk)
    assert account is not None and account.organisation.pk == cast.org.pk


def test_covers_keeps_what_restrict_keeps(cast):
    territories = list(Territory.objects.all())
    for user in cast.users().values():
        scope = scope_for(user)
        kept = set(Territory.objects.visible_to(user).values_list("pk", flat=True))
        covered = {t.pk for t in territories if scope.covers(t.organisation_id, t.pk)}
        assert covered == kept, user.username
