"""API shapes of orders: what a client sends to write one, the order it gets back, the list's
filters, and the answer when an order is refused.

Amounts are null for users who may not see amounts (viewers without the grant).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, model_validator

from rumbo.core.models import User
from rumbo.core.schemas import PersonRef
from rumbo.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange

# Keys a client might use to set a price; the server computes every price itself.
PRICE_KEYS = frozenset({"price", "unit_price", "net_unit_price", "amount", "net_amount", "total"})


def _sees_amounts(context: dict[str, Any]) -> bool:
    user: User = context["request"].user
    return user.sees_amounts


def _refuse_prices(data: Any, where: Callable[[], str]) -> Any:
    """`where` is translated only when a price was sent (this runs for every line)."""
    if isinstance(data, dict):
        sent = sorted(PRICE_KEYS & set(data))
        if sent:
            raise ValueError(
                _("Rumbo computes prices itself: remove %(keys)s from %(where)s.")
                % {"keys": ", ".join(sent), "where": where()}
            )
    return data


# The inputs are plain pydantic models: ninja's Schema adds a validator per object that reads
# attributes of ORM objects, which a JSON body does not need, and an order has many lines.
class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: int = Field(description="Product id.")
    quantity: Decimal = Field(
        description="In the product's unit, above 0, up to three decimals.", allow_inf_nan=False
    )
    discount_pct: Decimal = Field(
        Decimal("0"),
        description="The rep's discount in % (0–99.99); above the rep's threshold the order "
        "waits for a manager's approval.",
        allow_inf_nan=False,
    )

    @model_validator(mode="before")
    @classmethod
    def no_prices(cls, data: Any) -> Any:
        return _refuse_prices(data, lambda: _("the line"))


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: int = Field(description="Account id; one outside your territories is refused.")
    lines: list[LineIn] = Field(max_length=500)
    notes: str = Field("", max_length=2000)
    submit: bool = Field(True, description="False keeps the order as a draft.")
    expected_total: Decimal | None = Field(
        None,
        description="The total with IGV the client showed; when the server's total differs "
        "by a céntimo or more, the order is refused with code price_changed.",
        allow_inf_nan=False,
    )
    source: Literal["web", "offline", "api"] = Field(
        "api", description="offline: written without a connection and synced later."
    )
    written_at: dt.datetime | None = Field(
        None, description="When the order was written on the device (offline orders)."
    )

    @model_validator(mode="before")
    @classmethod
    def no_prices(cls, data: Any) -> Any:
        return _refuse_prices(data, lambda: _("the order"))


class Problem(Schema):
    code: str = Field(
        description="empty, unknown_product, duplicate, discontinued, quantity, discount, "
        "min_amount, price_changed or account."
    )
    message: str
    line: int | None = Field(description="The line (1-based) the problem is on, if any.")
    product: int | None


class OrderError(Schema):
    """Why an order was refused; nothing was written, and the same key may be sent again."""

    detail: str
    code: str
    problems: list[Problem]


class ProductRef(Schema):
    id: int
    sku: str
    name: str


class AccountRef(Schema):
    id: int
    name: str
    external_code: str


class PromotionRef(Schema):
    id: int
    code: str
    name: str


def _amount(obj: Any, field: str, context: dict[str, Any]) -> Decimal | None:
    return getattr(obj, field) if _sees_amounts(context) else None


class LineOut(Schema):
    product: ProductRef
    unit: str
    quantity: Decimal
    is_free: bool = Field(description="Units a “buy N, get M” promotion gives free.")
    promotion: PromotionRef | None
    promotion_pct: Decimal = Field(description="Discount of the promotion's tier, %.")
    discount_pct: Decimal = Field(description="The rep's discount, %, after the promotion's.")
    unit_price: Decimal | None = Field(description="Without IGV.")
    discount_amount: Decimal | None
    net_amount: Decimal | None
    tax_amount: Decimal | None

    @staticmethod
    def resolve_unit(obj: OrderLine) -> str:
        return obj.product.unit.code

    @staticmethod
    def resolve_unit_price(obj: OrderLine, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "unit_price", context)

    @staticmethod
    def resolve_discount_amount(obj: OrderLine, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "discount_amount", context)

    @staticmethod
    def resolve_net_amount(obj: OrderLine, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "net_amount", context)

    @staticmethod
    def resolve_tax_amount(obj: OrderLine, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "tax_amount", context)


class StatusChangeOut(Schema):
    from_status: str
    to_status: OrderStatus
    by: PersonRef | None
    at: dt.datetime
    note: str


class OrderOut(Schema):
    """An order as the list shows it."""

    id: int
    number: str
    status: OrderStatus
    status_label: str
    account: AccountRef
    territory_id: int | None
    rep: PersonRef | None
    ordered_on: dt.date
    currency: str
    net_amount: Decimal | None = Field(description="Without IGV; null without amounts.")
    discount_amount: Decimal | None
    tax_amount: Decimal | None
    total_amount: Decimal | None
    source: Order.Source
    idempotency_key: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: Order) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_idempotency_key(obj: Order) -> str | None:
        return str(obj.idempotency_key) if obj.idempotency_key else None

    @staticmethod
    def resolve_net_amount(obj: Order, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "net_amount", context)

    @staticmethod
    def resolve_discount_amount(obj: Order, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "discount_amount", context)

    @staticmethod
    def resolve_tax_amount(obj: Order, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "tax_amount", context)

    @staticmethod
    def resolve_total_amount(obj: Order, context: dict[str, Any]) -> Decimal | None:
        return _amount(obj, "total_amount", context)


class OrderDetailOut(OrderOut):
    """An order with its lines, why it waits for approval, and its history."""

    notes: str
    written_at: dt.datetime | None
    approval_reasons: list[str] = Field(description="Why a manager must approve it.")
    lines: list[LineOut]
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_approval_reasons(obj: Order) -> list[str]:
        return obj.approval_messages()

    @staticmethod
    def resolve_lines(obj: Order) -> list[OrderLine]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_history(obj: Order) -> list[Any]:
        return list(obj.history.all())


class OrderQuery(Schema):
    status: OrderStatus | None = None
    account: int | None = Field(None, description="Account id; one you cannot see matches none.")
    rep: int | None = Field(None, description="User id of the rep the sale is credited to.")
    territory: int | None = Field(None, description="Territory id, its subtree included.")
    since: dt.date | None = Field(None, description="Ordered on or after this day.")
    until: dt.date | None = Field(None, description="Ordered on or before this day.")
    q: str | None = Field(None, max_length=100, description="Part of the number or account name.")
    updated_since: dt.datetime | None = Field(
        None, description="Only orders changed at or after this moment (ISO 8601)."
    )


class ActionIn(Schema):
    action: Literal["approve", "reject", "confirm", "deliver", "cancel", "submit"]
    note: str = Field("", max_length=250)


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": PersonRef.resolve_name(user)}


def _line_data(line: OrderLine, sees: bool) -> dict[str, Any]:
    """Decimals as the JSON encoder writes them (str), which saves it a call per value."""
    product, promotion = line.product, line.promotion
    return {
        "product": {"id": product.pk, "sku": product.sku, "name": product.name},
        "unit": LineOut.resolve_unit(line),
        "quantity": str(line.quantity),
        "is_free": line.is_free,
        "promotion": None
        if promotion is None
        else {"id": promotion.pk, "code": promotion.code, "name": promotion.name},
        "promotion_pct": str(line.promotion_pct),
        "discount_pct": str(line.discount_pct),
        "unit_price": str(line.unit_price) if sees else None,
        "discount_amount": str(line.discount_amount) if sees else None,
        "net_amount": str(line.net_amount) if sees else None,
        "tax_amount": str(line.tax_amount) if sees else None,
    }


def _step_data(step: OrderStatusChange) -> dict[str, Any]:
    return {
        "from_status": step.from_status,
        "to_status": str(step.to_status),
        "by": _person(step.by),
        "at": step.at,
        "note": step.note,
    }


def order_detail_data(order: Order, *, sees_amounts: bool) -> dict[str, Any]:
    """What `OrderDetailOut` dumps for the order, built directly (a fifth of the CPU): the API
    stores it with every order it writes. A test keeps the two the same, key for key."""
    sees, account = sees_amounts, order.account
    return {
        "id": order.pk,
        "number": order.number,
        "status": str(order.status),
        "status_label": OrderOut.resolve_status_label(order),
        "account": {"id": account.pk, "name": account.name, "external_code": account.external_code},
        "territory_id": order.territory_id,
        "rep": _person(order.rep),
        "ordered_on": order.ordered_on,
        "currency": order.currency,
        "net_amount": order.net_amount if sees else None,
        "discount_amount": order.discount_amount if sees else None,
        "tax_amount": order.tax_amount if sees else None,
        "total_amount": order.total_amount if sees else None,
        "source": str(order.source),
        "idempotency_key": OrderOut.resolve_idempotency_key(order),
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "notes": order.notes,
        "written_at": order.written_at,
        "approval_reasons": order.approval_messages(),
        "lines": [_line_data(line, sees) for line in order.lines.all()],
        "history": [_step_data(step) for step in order.history.all()],
    }
