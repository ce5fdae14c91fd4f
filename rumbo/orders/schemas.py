"""API shapes of orders: what a client sends to write one, the order it gets back, the list's
filters, and the answer when an order is refused.

Amounts are null for users who may not see amounts (viewers without the grant).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, model_validator

from rumbo.core.models import User
from rumbo.core.schemas import PersonRef
from rumbo.orders.models import Order, OrderLine, OrderStatus

# Keys a client might use to set a price; the server computes every price itself.
PRICE_KEYS = frozenset({"price", "unit_price", "net_unit_price", "amount", "net_amount", "total"})


def _sees_amounts(context: dict[str, Any]) -> bool:
    user: User = context["request"].user
    return user.sees_amounts


def _refuse_prices(data: Any, where: str) -> Any:
    if isinstance(data, dict):
        sent = sorted(PRICE_KEYS & set(data))
        if sent:
            raise ValueError(
                _("Rumbo computes prices itself: remove %(keys)s from %(where)s.")
                % {"keys": ", ".join(sent), "where": where}
            )
    return data


class LineIn(Schema):
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
        return _refuse_prices(data, _("the line"))


class OrderIn(Schema):
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
        return _refuse_prices(data, _("the order"))


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
