"""Orders with promotions, business rules and approvals, with amounts computed by hand.

Cast prices: cola 2.00 and chips 1.50 without IGV (list prices), IGV 18 %.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rumbo.catalog.models import Promotion
from rumbo.catalog.services import create_promotion
from rumbo.orders.models import (
    MonthlyCategorySales,
    MonthlySales,
    OrderPolicy,
    OrderStatus,
    QuantityLimit,
)
from rumbo.orders.rules import OrderRefused
from rumbo.orders.selectors import copy_lines
from rumbo.orders.services import (
    LineInput,
    approve_order,
    change_status,
    create_order,
    reject_order,
)
from rumbo.orders.summary import rebuild

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2025, 3, 10)


def write(cast, *lines, actor=None, account="alicia_1", **kwargs):
    return create_order(
        account=cast.accounts[account], lines=list(lines), actor=actor or cast.alicia,
        ordered_on=DAY, **kwargs,
    )  # fmt: skip


def line(cast, name, quantity, discount="0"):
    return LineInput(cast.catalog[name], D(quantity), D(discount))


def promotions(cast):
    create_promotion(
        organisation=cast.org, code="COLA", name="Cola por volumen", kind=Promotion.Kind.VOLUME,
        product=cast.catalog["cola"], tiers=[(D("10"), D("5")), (D("24"), D("10"))],
    )  # fmt: skip
    create_promotion(
        organisation=cast.org, code="PAPAS", name="Papas 10 + 1", kind=Promotion.Kind.BUY_GET,
        product=cast.catalog["chips"], buy_quantity=10, free_quantity=1,
    )  # fmt: skip


def test_a_tier_and_the_reps_discount_compound(cast):
    promotions(cast)
    order = write(cast, line(cast, "cola", "24", "2"))
    cola = order.lines.get()
    # 24 × 2.00 = 48.00; 10 % then 2 % = 11.8 % → 5.664 → 5.66 off; net 42.34; IGV 7.6212 → 7.62
    assert (cola.promotion_pct, cola.discount_pct) == (D("10.00"), D("2.00"))
    assert (cola.discount_amount, cola.net_amount, cola.tax_amount) == (
        D("5.66"), D("42.34"), D("7.62")
    )  # fmt: skip
    assert (order.net_amount, order.tax_amount, order.total_amount) == (
        D("42.34"), D("7.62"), D("49.96")
    )  # fmt: skip


def test_free_units_are_a_separate_zero_priced_line_counted_in_units_not_in_sales(cast):
    promotions(cast)
    order = write(cast, line(cast, "chips", "25"))
    paid, free = order.lines.order_by("pk")
    # 25 × 1.50 = 37.50, IGV 6.75; 2 free units worth 3.00 given away
    assert (paid.net_amount, paid.tax_amount, paid.is_free) == (D("37.50"), D("6.75"), False)
    assert (free.quantity, free.is_free, free.net_amount, free.tax_amount) == (
        D("2.000"), True, D("0.00"), D("0.00")
    )  # fmt: skip
    assert (free.unit_price, free.discount_amount) == (D("1.5000"), D("3.00"))
    assert (order.net_amount, order.discount_amount, order.total_amount) == (
        D("37.50"), D("3.00"), D("44.25")
    )  # fmt: skip
    march = MonthlySales.objects.get(account=order.account, month=dt.date(2025, 3, 1))
    assert (march.net_amount, march.quantity, march.lines, march.orders) == (
        D("37.50"), D("27.000"), 2, 1
    )  # fmt: skip
    snacks = MonthlyCategorySales.objects.get(account=order.account, month=dt.date(2025, 3, 1))
    assert (snacks.quantity, snacks.lines) == (D("27.000"), 2)
    before = sorted(MonthlySales.objects.values_list("month", "net_amount", "quantity", "lines"))
    rebuild(organisation_id=cast.org.pk)
    after = sorted(MonthlySales.objects.values_list("month", "net_amount", "quantity", "lines"))
    assert before == after


def test_copying_an_order_leaves_out_its_free_units(cast):
    promotions(cast)
    order = write(cast, line(cast, "chips", "25"))
    assert copy_lines(order) == [
        {"product": cast.catalog["chips"].pk, "quantity": "25.000", "discount_pct": "0.00"}
    ]


def test_a_discount_above_the_reps_threshold_waits_for_a_manager(cast):
    order = write(cast, line(cast, "cola", "10", "8"))  # alicia may give up to 5 %
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert order.approval_reasons[0] == {
        "code": "discount", "line": 1, "sku": "BEB-001", "pct": "8.00", "max": "5.00"
    }  # fmt: skip
    assert "8,00" in order.approval_messages()[0]
    steps = [(h.from_status, h.to_status) for h in order.history.order_by("at", "id")]
    assert steps == [("", "submitted"), ("submitted", "approval")]
    assert not MonthlySales.objects.filter(account=order.account, month=dt.date(2025, 3, 1))


def test_a_manager_approves_and_the_sale_counts_at_once(cast):
    order = write(cast, line(cast, "cola", "10", "8"))
    approve_order(order=order, actor=cast.maria, note="Cliente estratégico")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    last = order.history.order_by("at", "id").last()
    assert (last.to_status, last.by, last.note) == ("confirmed", cast.maria, "Cliente estratégico")
    march = MonthlySales.objects.get(account=order.account, month=dt.date(2025, 3, 1))
    assert march.net_amount == D("18.40")  # 10 × 2.00 − 8 %


def test_a_rep_cannot_approve_and_rejecting_needs_a_reason(cast):
    order = write(cast, line(cast, "cola", "10", "8"))
    with pytest.raises(PermissionDenied):
        approve_order(order=order, actor=cast.bruno)
    with pytest.raises(ValidationError):
        reject_order(order=order, actor=cast.maria, note=" ")
    reject_order(order=order, actor=cast.maria, note="Descuento no autorizado")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.history.order_by("at", "id").last().note == "Descuento no autorizado"


def test_a_manager_writing_an_order_approves_her_own_discount(cast):
    order = write(cast, line(cast, "cola", "10", "8"), actor=cast.maria)
    assert order.status == OrderStatus.SUBMITTED


def test_going_over_the_credit_limit_waits_for_approval(cast):
    account = cast.accounts["alicia_1"]
    account.credit_limit = D("100")
    account.save()
    # open: the cast's order, 10 × 2.00 + IGV = 23.60; new: 35 × 2.00 + IGV = 82.60 → 106.20
    order = write(cast, line(cast, "cola", "35"))
    assert order.status == OrderStatus.PENDING_APPROVAL
    reason = order.approval_reasons[0]
    assert (reason["code"], reason["open"], reason["total"]) == ("credit", "23.60", "82.60")
    small = write(cast, line(cast, "cola", "2"))  # 23.60 + 82.60 + 4.72 > 100 as well
    assert small.status == OrderStatus.PENDING_APPROVAL
    change_status(order=order, to_status=OrderStatus.CANCELLED, actor=cast.alicia)
    change_status(order=small, to_status=OrderStatus.CANCELLED, actor=cast.alicia)
    assert write(cast, line(cast, "cola", "30")).status == OrderStatus.SUBMITTED  # 23.60 + 70.80


def test_an_order_under_the_minimum_is_refused_and_a_channel_row_overrides(cast):
    OrderPolicy.objects.create(organisation=cast.org, min_order_amount=D("50"))
    with pytest.raises(OrderRefused) as refused:
        write(cast, line(cast, "cola", "10"))  # 20.00 net
    assert refused.value.problems[0].code == "min_amount"
    assert "S/ 50,00" in refused.value.problems[0].message
    OrderPolicy.objects.create(organisation=cast.org, channel=cast.channel, min_order_amount=10)
    assert write(cast, line(cast, "cola", "10")).status == OrderStatus.SUBMITTED
    draft = write(cast, line(cast, "cola", "1"), status=OrderStatus.DRAFT)  # drafts may be small
    assert draft.status == OrderStatus.DRAFT


@pytest.mark.parametrize(
    ("quantity", "ok"), [("6", False), ("12", True), ("18", False), ("48", True), ("60", False)]
)
def test_quantity_limits_of_a_product(cast, quantity, ok):
    QuantityLimit.objects.create(
        organisation=cast.org, product=cast.catalog["cola"], min_quantity=12, max_quantity=48,
        multiple_of=12,
    )  # fmt: skip
    if ok:
        assert write(cast, line(cast, "cola", quantity)).lines.get().quantity == D(quantity)
    else:
        with pytest.raises(OrderRefused) as refused:
            write(cast, line(cast, "cola", quantity))
        assert refused.value.problems[0].code == "quantity"


def test_every_problem_of_an_order_is_reported_at_once(cast):
    chips = cast.catalog["chips"]
    chips.discontinued = True
    chips.save()
    with pytest.raises(OrderRefused) as refused:
        write(cast, line(cast, "cola", "0"), line(cast, "chips", "1"), line(cast, "cola", "2"))
    found = [(p.code, p.line) for p in refused.value.problems]
    assert found == [("quantity", 1), ("discontinued", 2), ("duplicate", 3)]


def test_an_expected_total_that_no_longer_holds_is_refused(cast):
    with pytest.raises(OrderRefused) as refused:
        write(cast, line(cast, "cola", "10"), expected_total=D("23.00"))
    assert refused.value.problems[0].code == "price_changed"
    assert write(cast, line(cast, "cola", "10"), expected_total=D("23.60")).total_amount == D(
        "23.60"
    )


def test_cancelling_a_submitted_order_takes_it_out_of_the_summary(cast):
    order = write(cast, line(cast, "cola", "5"))
    month = {"account": order.account, "month": dt.date(2025, 3, 1)}
    assert MonthlySales.objects.get(**month).orders == 1
    change_status(order=order, to_status=OrderStatus.CANCELLED, actor=cast.alicia, note="error")
    assert not MonthlySales.objects.filter(**month).exists()
