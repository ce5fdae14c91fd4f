"""Writing orders and moving them through their life. The server always computes prices itself,
except for imports of historical orders, whose prices come from the customer's ERP."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.catalog.models import Product
from rumbo.catalog.pricing import PriceBook, line_amounts
from rumbo.core import audit
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
from rumbo.orders.summary import lock_account, record_sale
from rumbo.territories.models import Assignment, AssignmentRole, Territory

MAX_QUANTITY = Decimal("100000")

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


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: Decimal
    discount_pct: Decimal = Decimal("0")
    # Only used with trust_prices (imports of historical orders); else the price book decides.
    unit_price: Decimal | None = None


def _validate_lines(
    lines: list[LineInput], organisation_id: int, *, allow_discontinued: bool
) -> None:
    if not lines:
        raise ValidationError(_("An order needs at least one line."))
    for n, line in enumerate(lines, start=1):
        where = _("Line %(n)s (%(p)s)") % {"n": n, "p": line.product.sku}
        if line.product.organisation_id != organisation_id:
            raise ValidationError(_("%(where)s: unknown product.") % {"where": where})
        if not allow_discontinued and (line.product.discontinued or not line.product.is_active):
            raise ValidationError(_("%(where)s: this product is discontinued.") % {"where": where})
        if not (Decimal("0") < line.quantity <= MAX_QUANTITY):
            raise ValidationError(
                _("%(where)s: the quantity must be above 0 and at most %(max)s.")
                % {"where": where, "max": MAX_QUANTITY}
            )
        if not (Decimal("0") <= line.discount_pct <= Decimal("100")):
            raise ValidationError(
                _("%(where)s: a discount is between 0 and 100 %%.") % {"where": where}
            )


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


@transaction.atomic
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
) -> Order:
    """Write an order with server-computed prices. `rep` and `territory` say who the sale is
    credited to; by default the account's territory and the rep covering it that day."""
    ordered_on = ordered_on or timezone.localdate()
    org = account.organisation
    if territory is not None and territory.organisation_id != org.pk:
        raise ValidationError(_("The territory belongs to another organisation."))
    _validate_lines(lines, org.pk, allow_discontinued=trust_prices)
    if status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED) and not trust_prices:
        raise ValidationError(_("A new order is a draft or submitted."))
    if rep is None:
        rep = (
            actor
            if actor is not None and actor.role == Role.REP
            else credited_rep(account, ordered_on)
        )
    number = next_number(organisation_id=org.pk, name="order")
    order = Order.objects.create(
        organisation=org,
        number=f"P{number:07d}",
        external_code=external_code,
        account=account,
        territory_id=territory.pk if territory else account.territory_id,
        rep=rep,
        status=status,
        ordered_on=ordered_on,
        currency=org.currency,
        source=source,
        idempotency_key=idempotency_key,
        notes=notes,
        created_by=actor,
    )
    book = None if trust_prices else PriceBook(account, org.tax_rate, on=ordered_on)
    rows = []
    for line in lines:
        if book is None:
            if line.unit_price is None:
                raise ValidationError(_("Imported lines need a unit price."))
            unit_price = line.unit_price
        else:
            unit_price = book.price(line.product).net_unit_price
        tax_rate = Decimal("0") if line.product.tax_exempt else org.tax_rate
        amounts = line_amounts(
            quantity=line.quantity,
            net_unit_price=unit_price,
            discount_pct=line.discount_pct,
            tax_rate=tax_rate,
        )
        rows.append(
            OrderLine(
                order=order,
                product=line.product,
                quantity=line.quantity,
                unit_price=unit_price.quantize(Decimal("0.0001")),
                discount_amount=amounts.discount,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
            )
        )
    OrderLine.objects.bulk_create(rows)
    if status in SALES_STATUSES:
        lock_account(account.pk)
        record_sale(order, +1)
    order.net_amount = sum((r.net_amount for r in rows), Decimal("0"))
    order.discount_amount = sum((r.discount_amount for r in rows), Decimal("0"))
    order.tax_amount = sum((r.tax_amount for r in rows), Decimal("0"))
    order.total_amount = order.net_amount + order.tax_amount
    order.save(update_fields=["net_amount", "discount_amount", "tax_amount", "total_amount"])
    OrderStatusChange.objects.create(order=order, from_status="", to_status=status, by=actor)
    audit.record(actor=actor, obj=order, action="create", changes={"status": [None, status]})
    return order


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
        order=locked, from_status=locked.status, to_status=to_status, by=actor, note=note
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
