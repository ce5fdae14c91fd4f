"""Orders and their lines, with an append-only history of status changes.

An order remembers the territory and rep it was credited to when it was written, so that
history stays true after accounts move. Amounts are net of IGV unless named `total`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category, Product
from rumbo.core.fields import money_field, price_field
from rumbo.core.models import Organisation
from rumbo.customers.models import Account
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PENDING_APPROVAL = "approval", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


# Orders that count as sales in reports.
SALES_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.DELIVERED)
# Orders that still use the account's credit.
OPEN_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.PENDING_APPROVAL, OrderStatus.CONFIRMED)


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, user: AnyUser) -> OrderQuerySet:
        """Orders of the accounts the user may see (viewers see them, but not their amounts)."""
        return restrict(self, user, territory="account__territory_id")

    def sales(self) -> OrderQuerySet:
        return self.filter(status__in=SALES_STATUSES)


class Order(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Written in Rumbo")
        OFFLINE = "offline", _("Written offline, synced")
        API = "api", _("API")
        IMPORT = "import", _("Imported")
        DEMO = "demo", _("Demo data")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(_("number"), max_length=30)
    external_code = models.CharField(_("external code"), max_length=40, blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="orders"
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    ordered_on = models.DateField(_("order date"), db_index=True)
    currency = models.CharField(max_length=3, default="PEN")
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    discount_amount = money_field(_("discount"), default=Decimal("0"))
    tax_amount = money_field(_("IGV"), default=Decimal("0"))
    total_amount = money_field(_("total"), default=Decimal("0"))
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="order_number_unique"),
            models.UniqueConstraint(
                fields=["organisation", "external_code"],
                condition=~models.Q(external_code=""),
                name="order_external_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "ordered_on"]),
            models.Index(fields=["organisation", "ordered_on"]),
            models.Index(fields=["rep", "ordered_on"]),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    unit_price = price_field(_("unit price (without IGV)"))
    discount_amount = money_field(_("discount"), default=Decimal("0"))
    net_amount = money_field(_("net amount"))
    tax_amount = money_field(_("IGV"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


class OrderStatusChange(models.Model):
    """One step in an order's life. Rows are only ever added."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=OrderStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status history")
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '∅'} → {self.to_status}"


class MonthlySalesQuerySet(models.QuerySet["MonthlySales"]):
    def visible_to(self, user: AnyUser) -> MonthlySalesQuerySet:
        if user.is_authenticated and not user.sees_amounts:
            return self.none()
        return restrict(self, user, territory="account__territory_id")


class MonthlySales(models.Model):
    """Sales per account and month, credited to a territory and rep: the grain reports read.

    Kept by the order services as orders enter or leave the sales statuses (never by hand),
    and rebuilt from the order lines by `manage.py rebuild_sales_summary`.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="monthly_sales")
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal("0"))
    orders = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)

    objects = MonthlySalesQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        indexes = [
            models.Index(fields=["organisation", "month"]),
            models.Index(fields=["territory", "month"]),
            models.Index(fields=["rep", "month"]),
            models.Index(fields=["account", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.net_amount}"


class MonthlyCategorySales(models.Model):
    """The same sales split by product category (no order count: an order spans categories)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal("0"))
    lines = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("monthly sales by category")
        verbose_name_plural = _("monthly sales by category")
        indexes = [
            models.Index(fields=["organisation", "month"]),
            models.Index(fields=["territory", "month"]),
            models.Index(fields=["account", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m} {self.category_id}: {self.net_amount}"
