"""Orders and their lines, with an append-only history of status changes.

An order remembers the territory and rep it was credited to when it was written, so that
history stays true after accounts move. Amounts are net of IGV unless named `total`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category, Product, Promotion
from rumbo.core.fields import money_field, price_field
from rumbo.core.models import Organisation
from rumbo.core.templatetags.rumbo import format_money
from rumbo.customers.models import Account, Channel
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

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="orders", db_index=False
    )
    number = models.CharField(_("number"), max_length=30)
    external_code = models.CharField(_("external code"), max_length=40, blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
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
        db_index=False,
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
    # Why the order waits for a manager: [{"code": "discount"|"credit", ...}], see approval.py.
    approval_reasons = models.JSONField(_("reasons for approval"), default=list, blank=True)
    written_at = models.DateTimeField(
        _("written on the device at"),
        null=True,
        blank=True,
        help_text=_("The device's clock when the order was written offline (not trusted)."),
    )
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
        # These indexes serve the foreign keys they start with (organisation, account, rep),
        # which have no index of their own: one index fewer to keep up on every order.
        indexes = [
            models.Index(fields=["account", "ordered_on"]),
            models.Index(fields=["organisation", "ordered_on"]),
            models.Index(fields=["rep", "ordered_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    def approval_messages(self) -> list[str]:
        """Why the order waits (or waited) for a manager, in the reader's language."""
        return [approval_message(reason, self.currency) for reason in self.approval_reasons]


def approval_message(reason: dict[str, Any], currency: str) -> str:
    if reason.get("code") == "discount":
        pcts = {k: number_format(Decimal(reason[k]), 2, use_l10n=True) for k in ("pct", "max")}
        return _(
            "Line %(line)s (%(sku)s) has a %(pct)s %% discount; the rep may give up to %(max)s %%."
        ) % {"line": reason.get("line"), "sku": reason.get("sku"), **pcts}
    if reason.get("code") == "credit":
        return _(
            "Credit limit %(limit)s exceeded: open orders %(open)s plus this order %(total)s."
        ) % {k: format_money(Decimal(reason[k]), currency) for k in ("limit", "open", "total")}
    return str(reason)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    unit_price = price_field(_("unit price (without IGV)"))
    discount_pct = models.DecimalField(
        _("rep's discount (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    promotion_pct = models.DecimalField(
        _("promotion discount (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    is_free = models.BooleanField(
        _("free units"), default=False, help_text=_("Units given free by a promotion.")
    )
    discount_amount = money_field(_("discount"), default=Decimal("0"))
    net_amount = money_field(_("net amount"))
    tax_amount = money_field(_("IGV"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        # Most lines have no promotion: the index keeps only those that do.
        indexes = [
            models.Index(
                fields=["promotion"],
                condition=models.Q(promotion__isnull=False),
                name="orderline_promotion_idx",
            )
        ]

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

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="monthly_sales", db_index=False
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal("0"))
    orders = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)

    objects = MonthlySalesQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        # These indexes serve the foreign keys they start with, which have no index of their
        # own (it also kept the planner from mixing the territory's rows into the lookup of
        # one account's row, which the order services make on every order).
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

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+", db_index=False)
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
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
        # These indexes serve the foreign keys they start with, which have no index of their
        # own (it also kept the planner from mixing the territory's rows into the lookup of
        # one account's row, which the order services make on every order).
        indexes = [
            models.Index(fields=["organisation", "month"]),
            models.Index(fields=["territory", "month"]),
            models.Index(fields=["account", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m} {self.category_id}: {self.net_amount}"


class IdempotencyKey(models.Model):
    """The key a client sent with a POST that created something, with a fingerprint of the
    request and the response it got: the same key and body replay that response; the same key
    with another body is refused. Written in the same transaction as the order."""

    key = models.UUIDField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=201)
    response = models.TextField(help_text="The JSON body, byte for byte.")
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return str(self.key)


class OrderPolicy(models.Model):
    """The organisation's limits on orders; a row for a channel overrides the general row."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="order_policies"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every channel without its own row."),
    )
    min_order_amount = money_field(
        _("minimum order (without IGV)"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_line_quantity = models.DecimalField(
        _("highest quantity per line"),
        max_digits=12,
        decimal_places=3,
        default=Decimal("100000"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        verbose_name = _("order policy")
        verbose_name_plural = _("order policies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="order_policy_channel_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(channel__isnull=True),
                name="order_policy_general_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.channel or _("Every channel"))


class QuantityLimit(models.Model):
    """How much of one product an order line may ask for, and in which steps (whole cases)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    min_quantity = models.DecimalField(
        _("lowest quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    max_quantity = models.DecimalField(
        _("highest quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    multiple_of = models.DecimalField(
        _("in multiples of"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        verbose_name = _("quantity limit")
        verbose_name_plural = _("quantity limits")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"], name="quantity_limit_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.product)
