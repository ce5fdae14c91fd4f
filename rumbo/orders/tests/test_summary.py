import datetime as dt
from decimal import Decimal

import pytest

from rumbo.orders.models import MonthlyCategorySales, MonthlySales, Order, OrderStatus
from rumbo.orders.services import LineInput, change_status, create_order
from rumbo.orders.summary import rebuild

pytestmark = pytest.mark.django_db


def snapshot(org):
    accounts = sorted(
        MonthlySales.objects.filter(organisation=org).values_list(
            "month",
            "account_id",
            "territory_id",
            "rep_id",
            "net_amount",
            "quantity",
            "orders",
            "lines",
        )
    )
    categories = sorted(
        MonthlyCategorySales.objects.filter(organisation=org).values_list(
            "month", "account_id", "category_id", "net_amount", "quantity", "lines"
        )
    )
    return accounts, categories


def write(cast, account, *quantities, on=dt.date(2024, 6, 3), status=OrderStatus.SUBMITTED):
    products = [cast.catalog["cola"], cast.catalog["chips"]]
    lines = [LineInput(products[i % 2], Decimal(q)) for i, q in enumerate(quantities)]
    return create_order(account=account, lines=lines, actor=None, ordered_on=on, status=status)


def test_a_submitted_order_reaches_the_monthly_summary_at_once(cast):
    account = cast.accounts["alicia_1"]
    write(cast, account, "3", "4")  # 3 × 2.00 + 4 × 1.50
    june = MonthlySales.objects.get(account=account, month=dt.date(2024, 6, 1))
    # the cast's own June order: 10 × 2.00
    assert (june.net_amount, june.quantity, june.orders, june.lines) == (
        Decimal("32.00"), Decimal("17.000"), 2, 3
    )  # fmt: skip
    drinks = MonthlyCategorySales.objects.get(account=account, category=cast.catalog["drinks"])
    assert drinks.net_amount == Decimal("26.00")


def test_a_draft_does_not_count_until_it_is_submitted(cast):
    order = write(cast, cast.accounts["bruno_2"], "5", status=OrderStatus.DRAFT)
    before = MonthlySales.objects.get(account=cast.accounts["bruno_2"]).orders
    change_status(order=order, to_status=OrderStatus.SUBMITTED, actor=cast.bruno)
    assert MonthlySales.objects.get(account=cast.accounts["bruno_2"]).orders == before + 1


def test_a_cancelled_order_leaves_the_summary(cast):
    account = cast.accounts["bruno_1"]
    order = cast.orders["bruno_1"]
    change_status(order=order, to_status=OrderStatus.CANCELLED, actor=cast.bruno)
    assert not MonthlySales.objects.filter(account=account).exists()
    assert not MonthlyCategorySales.objects.filter(account=account).exists()


def test_the_kept_summary_equals_a_rebuild_from_the_lines(cast):
    a, b = cast.accounts["alicia_1"], cast.accounts["bruno_1"]
    for day in (3, 17, 28):
        write(cast, a, "2", "1", on=dt.date(2024, 7, day))
    write(cast, b, "7", on=dt.date(2024, 5, 31))
    cancelled = write(cast, b, "9", "9", on=dt.date(2024, 7, 2))
    change_status(order=cancelled, to_status=OrderStatus.CANCELLED, actor=None)
    approval = write(cast, a, "1", on=dt.date(2024, 7, 9))
    change_status(order=approval, to_status=OrderStatus.PENDING_APPROVAL, actor=None)
    kept = snapshot(cast.org)
    rebuild(organisation_id=cast.org.pk)
    assert snapshot(cast.org) == kept
    total = sum(o.net_amount for o in Order.objects.filter(organisation=cast.org).sales())
    assert sum(row[4] for row in kept[0]) == total


def test_a_rep_sees_only_their_accounts_summaries_and_viewers_none(cast):
    visible = MonthlySales.objects.visible_to(cast.alicia)
    assert {row.account_id for row in visible} == {
        cast.accounts["alicia_1"].pk, cast.accounts["alicia_2"].pk
    }  # fmt: skip
    assert not MonthlySales.objects.visible_to(cast.vera).exists()
    assert not MonthlySales.objects.visible_to(cast.otto).filter(organisation=cast.org).exists()
