"""Orders, read-mostly: lines and history are shown; status changes go through `change_status`.
The order rules (minimum order, quantity limits) are edited here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rumbo.core.admin import OrgScopedAdmin, ReadOnlyInline, actor
from rumbo.orders.models import Order, OrderLine, OrderPolicy, OrderStatusChange, QuantityLimit
from rumbo.orders.services import change_status

LINE_FIELDS = ("product", "quantity", "is_free", "unit_price", "promotion", "promotion_pct",
               "discount_pct", "discount_amount", "net_amount", "tax_amount")  # fmt: skip
HISTORY_FIELDS = ("at", "from_status", "to_status", "by", "note")
ORDER_READONLY = ("number", "account", "territory", "rep", "ordered_on", "net_amount",
                  "discount_amount", "tax_amount", "total_amount", "source", "notes",
                  "approval_reasons", "written_at", "idempotency_key")  # fmt: skip


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS


class StatusHistoryInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = HISTORY_FIELDS
    readonly_fields = HISTORY_FIELDS


@admin.register(Order)
class OrderAdmin(OrgScopedAdmin):
    list_display = [
        "number",
        "ordered_on",
        "account",
        "rep",
        "status",
        "net_amount",
        "total_amount",
    ]
    list_filter = ["status", "source"]
    search_fields = ["number", "external_code", "account__trade_name", "account__legal_name"]
    date_hierarchy = "ordered_on"
    list_select_related = ["account", "rep"]
    fields = (*ORDER_READONLY, "status")
    readonly_fields = ORDER_READONLY
    inlines = [OrderLineInline, StatusHistoryInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Order, form: Any, change: bool) -> None:
        if "status" in form.changed_data:
            previous = Order.objects.get(pk=obj.pk)
            change_status(order=previous, to_status=obj.status, actor=actor(request), note="admin")


@admin.register(OrderPolicy)
class OrderPolicyAdmin(OrgScopedAdmin):
    """Minimum order and highest quantity per line, for every channel or for one."""

    list_display = ["__str__", "min_order_amount", "max_line_quantity"]
    exclude = ["organisation"]


@admin.register(QuantityLimit)
class QuantityLimitAdmin(OrgScopedAdmin):
    list_display = ["product", "min_quantity", "max_quantity", "multiple_of"]
    search_fields = ["product__sku", "product__name"]
    autocomplete_fields = ["product"]
    exclude = ["organisation"]
