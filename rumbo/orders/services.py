"""Writing orders and moving them through their life. The server always computes prices itself,
except for imports of historical orders, whose prices come from the customer's ERP.

A new order is checked against the rules (rules.py), priced with promotions (pricing.py), and
either submitted or, when a discount or the credit needs a manager, left waiting for approval.
Every status change is appended to the order's history and kept in the monthly summaries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.core import audit
from rumbo.core.fastsql import Writes, build, next_id
from rumbo.core.models import Role, User
from rumbo.core.services import next_number
from rumbo.customers.models import Account
from rumbo.orders.models import (
    SALES_STATUSES,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)
from rumbo.orders.pricing import LineInput, PricedLine, Totals, price_lines, trusted_lines
from rumbo.orders.rules import (
    MAX_QUANTITY,
    Policy,
    approval_reasons,
    check_expected_total,
    check_lines,
    check_minimum,
    policy_for,
)
from rumbo.orders.selectors import attach
from rumbo.orders.summary import lock_account, record_sale
from rumbo.territories.models import Assignment, AssignmentRole, Territory

__all__ = ["MAX_QUANTITY", "TRANSITIONS", "LineInput", "change_status", "create_order"]

# Which status may follow which.
TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.DRAFT: {OrderStatus.SUBMITTED, OrderStatus.CANCELLED},
    OrderStatus.SUBMITTED: {
        OrderStatus.PENDING_APPROVAL,
        OrderStatus.CONFIRMED,
        OrderStatus.CANCELLED,
    },
    OrderStatus.PENDING_APPROVAL: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.DELIVERED, OrderStatus.CANCELLED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
}


def credited_rep(account: Account, on: dt.date) -> User | None:
    """The rep who covers the account's territory on that day (the first, if several)."""
    if account.territory_id is None:
        return None
    assignment = (
        Assignment.objects.active_on(on)
        .filter(territory_id=account.territory_id, role=AssignmentRole.REP)
        .select_related("user")
        .order_by("valid_from", "pk")
        .first()
    )
    return assignment.user if assignment else None


QTY, PCT = Decimal("0.001"), Decimal("0.01")


def _line_rows(order: Order, priced: Sequence[PricedLine]) -> list[OrderLine]:
    """The lines to store, with values at the columns' precision (as they will read back)."""
    return [
        build(
            OrderLine,
            order=order,
            product=line.product,
            quantity=line.quantity.quantize(QTY),
            unit_price=line.unit_price,
            discount_pct=line.discount_pct.quantize(PCT),
            promotion_pct=line.promotion_pct.quantize(PCT),
            promotion=line.promotion,
            is_free=line.is_free,
            discount_amount=line.discount,
            net_amount=line.net,
            tax_amount=line.tax,
        )
        for line in priced
    ]


def _set_amounts(order: Order, totals: Totals) -> None:
    order.net_amount = totals.net
    order.discount_amount = totals.discount
    order.tax_amount = totals.tax
    order.total_amount = totals.total


def _steps(order: Order, first: str, to: str, actor: User | None) -> list[OrderStatusChange]:
    """History rows from `first` to the order's status (through "submitted" when it waits)."""
    steps = [OrderStatusChange(order=order, from_status=first, to_status=to, by=actor)]
    if order.status == OrderStatus.PENDING_APPROVAL:
        steps.append(
            OrderStatusChange(
                order=order,
                from_status=to,
                to_status=OrderStatus.PENDING_APPROVAL,
                by=actor,
                note="; ".join(order.approval_messages())[:250],
            )
        )
    return steps


def _reserve(order: Order) -> None:
    """Give the order the next number of its organisation's "order" counter and, on PostgreSQL,
    its key, so that one statement writes the order and the rows that refer to it
    (`fastsql.Writes`). Outside any transaction the counter moves in a short one of its own
    that does not wait for the disk: orders of one organisation then never queue behind each
    other's commits, and the order's own commit, later in the write-ahead log, makes the
    counter durable with it. An order that fails after this leaves a gap in the numbers."""
    organisation_id = order.organisation_id
    postgresql = connection.vendor == "postgresql"
    if postgresql and not connection.in_atomic_block:
        # next_number's work in one statement (a row lock, +1) that also tells this short
        # transaction not to wait for the disk and takes the order's key, as it runs on every
        # order; next_number itself when the counter does not exist yet.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "WITH c AS (UPDATE core_counter SET value = value + 1 "
                "WHERE organisation_id = %s AND name = %s RETURNING value) "
                f"SELECT value, set_config('synchronous_commit', 'off', true), {next_id(Order)} "
                "FROM c",
                [organisation_id, "order"],
            )
            row = cursor.fetchone()
        if row is not None:
            order.number, order.pk = f"P{row[0]:07d}", row[2]
            return
    with transaction.atomic():
        order.number = f"P{next_number(organisation_id=organisation_id, name='order'):07d}"
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {next_id(Order)}")
            order.pk = cursor.fetchone()[0]


def _checked_lines(
    account: Account,
    lines: Sequence[LineInput],
    *,
    on: dt.date,
    submit: bool,
    expected_total: Decimal | None,
    catalogue: Catalogue | None = None,
) -> list[PricedLine]:
    """Apply the rules and price the lines; raises OrderRefused when a rule refuses them."""
    org = account.organisation
    catalogue = catalogue or catalogue_of(org.pk)
    policy = policy_for(account, catalogue)
    check_lines(lines, organisation_id=org.pk, policy=policy, catalogue=catalogue)
    priced = price_lines(
        account=account, lines=lines, on=on, tax_rate=org.tax_rate, catalogue=catalogue
    )
    totals = Totals.of(priced)
    if submit:
        check_minimum(policy, totals, org.currency)
    check_expected_total(expected_total, totals, org.currency)
    return priced


def _priced(
    account: Account, lines: list[LineInput], *, on: dt.date, status: str, trust_prices: bool,
    expected_total: Decimal | None, catalogue: Catalogue | None,
) -> list[PricedLine]:  # fmt: skip
    org = account.organisation
    if trust_prices:
        check_lines(lines, organisation_id=org.pk, policy=Policy(), historical=True)
        return trusted_lines(lines=lines, tax_rate=org.tax_rate)
    if status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
        raise ValidationError(_("A new order is a draft or submitted."))
    return _checked_lines(
        account, lines, on=on, submit=status == OrderStatus.SUBMITTED,
        expected_total=expected_total, catalogue=catalogue,
    )  # fmt: skip


def create_order(
    *,
    account: Account,
    lines: list[LineInput],
    actor: User | None,
    ordered_on: dt.date | None = None,
    status: str = OrderStatus.SUBMITTED,
    rep: User | None = None,
    territory: Territory | None = None,
    source: str = Order.Source.WEB,
    idempotency_key: uuid.UUID | None = None,
    external_code: str = "",
    notes: str = "",
    trust_prices: bool = False,
    expected_total: Decimal | None = None,
    written_at: dt.datetime | None = None,
    on_created: Callable[[Order, Writes], None] | None = None,
    catalogue: Catalogue | None = None,
) -> Order:
    """Write an order with server-computed prices. `rep` and `territory` say who the sale is
    credited to; by default the account's territory and the rep covering it that day.
    A submitted order that needs approval is stored waiting for it (status "approval").
    The rules and prices are settled first, then the number, then one transaction writes the
    order; `on_created` runs inside it once the order is complete, and may add to its writes
    (the API stores the idempotent response there). The order comes back with its lines and
    history. `catalogue`: the organisation's, when the caller read the products from it."""
    ordered_on = ordered_on or timezone.localdate()
    if territory is not None and territory.organisation_id != account.organisation_id:
        raise ValidationError(_("The territory belongs to another organisation."))
    priced = _priced(
        account, lines, on=ordered_on, status=status, trust_prices=trust_prices,
        expected_total=expected_total, catalogue=catalogue,
    )  # fmt: skip
    order = Order(
        organisation=account.organisation, external_code=external_code, account=account,
        territory_id=territory.pk if territory else account.territory_id, status=status,
        ordered_on=ordered_on, currency=account.organisation.currency, source=source,
        idempotency_key=idempotency_key, notes=notes, written_at=written_at, created_by=actor,
        rep=rep or _default_rep(account, actor, ordered_on),
    )  # fmt: skip
    _set_amounts(order, Totals.of(priced))
    _reserve(order)
    with transaction.atomic():
        writes = Writes()
        _write(order, lines, priced, actor, writes, check_approval=not trust_prices)
        if on_created is not None:
            on_created(order, writes)
        writes.send()
    return order


def _default_rep(account: Account, actor: User | None, on: dt.date) -> User | None:
    """The rep writing the order, else the rep covering the account's territory that day."""
    if actor is not None and actor.role == Role.REP:
        return actor
    return credited_rep(account, on)


def _write(
    order: Order, lines: list[LineInput], priced: list[PricedLine], actor: User | None,
    writes: Writes, *, check_approval: bool,
) -> None:  # fmt: skip
    """Insert the order, its lines, its first steps and its sales (inside a transaction, after
    the account's lock is taken; `writes` sends them)."""
    asked = order.status
    if check_approval and asked == OrderStatus.SUBMITTED:  # locks the account's row
        order.approval_reasons = approval_reasons(
            account=order.account, lines=lines, totals=Totals.of(priced), actor=actor
        )
        if order.approval_reasons:
            order.status = OrderStatus.PENDING_APPROVAL
    elif asked in SALES_STATUSES or asked == OrderStatus.SUBMITTED:
        lock_account(order.account_id)
    writes.insert([order])
    rows = _line_rows(order, priced)
    writes.insert(rows)
    if order.status in SALES_STATUSES:
        record_sale(order, +1, rows, writes)
    steps = _steps(order, "", asked, actor)
    writes.insert(steps)
    audit.record(
        actor=actor, obj=order, action="create", changes={"status": [None, order.status]},
        writes=writes,
    )  # fmt: skip
    attach(order, rows, steps)


@transaction.atomic
def submit_order(
    *, order: Order, actor: User | None, expected_total: Decimal | None = None
) -> Order:
    """Submit a draft: its lines are priced again for today and checked like a new order."""
    locked = (
        Order.objects.select_for_update().select_related("account__organisation").get(pk=order.pk)
    )
    if locked.status != OrderStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    account = locked.account
    kept = locked.lines.filter(is_free=False).select_related("product").order_by("pk")
    lines = [LineInput(line.product, line.quantity, line.discount_pct) for line in kept]
    today = timezone.localdate()
    priced = _checked_lines(account, lines, on=today, submit=True, expected_total=expected_total)
    totals = Totals.of(priced)
    reasons = approval_reasons(account=account, lines=lines, totals=totals, actor=actor)
    locked.lines.all().delete()
    rows = _line_rows(locked, priced)
    OrderLine.objects.bulk_create(rows)
    _set_amounts(locked, totals)
    locked.status = OrderStatus.PENDING_APPROVAL if reasons else OrderStatus.SUBMITTED
    locked.approval_reasons, locked.ordered_on = reasons, today
    locked.save()
    if locked.status in SALES_STATUSES:
        record_sale(locked, +1, rows)
    OrderStatusChange.objects.bulk_create(
        _steps(locked, OrderStatus.DRAFT, OrderStatus.SUBMITTED, actor)
    )
    audit.record(
        actor=actor, obj=locked, action="update", changes={"status": ["draft", locked.status]}
    )
    return locked


@transaction.atomic
def change_status(*, order: Order, to_status: str, actor: User | None, note: str = "") -> Order:
    """Move an order to its next status; the step is kept in the order's history."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if to_status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("An order that is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": OrderStatus(to_status).label}
        )
    OrderStatusChange.objects.create(
        order=locked, from_status=locked.status, to_status=to_status, by=actor, note=note[:250]
    )
    was_sale, is_sale = locked.status in SALES_STATUSES, to_status in SALES_STATUSES
    if was_sale != is_sale:
        lock_account(locked.account_id)
        record_sale(locked, +1 if is_sale else -1)
    audit.record(
        actor=actor, obj=locked, action="update", changes={"status": [locked.status, to_status]}
    )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _approver(actor: User) -> None:
    if actor.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("Only a manager or an administrator approves orders."))


@transaction.atomic
def approve_order(*, order: Order, actor: User, note: str = "") -> Order:
    """A manager accepts an order that waited for approval: it is confirmed."""
    _approver(actor)
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise ValidationError(_("This order is not waiting for approval."))
    return change_status(order=order, to_status=OrderStatus.CONFIRMED, actor=actor, note=note)


@transaction.atomic
def reject_order(*, order: Order, actor: User, note: str) -> Order:
    """A manager turns down an order that waited for approval, saying why: it is cancelled."""
    _approver(actor)
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise ValidationError(_("This order is not waiting for approval."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the order is turned down.")})
    return change_status(order=order, to_status=OrderStatus.CANCELLED, actor=actor, note=note)
