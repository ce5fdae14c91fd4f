"""Products, categories, units, price lists (per channel or per account) and promotions.

Prices are Decimal in the organisation's currency. A price list says whether its prices include
IGV; `rumbo.catalog.pricing` turns any price into net, tax and gross amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.core.fields import price_field
from rumbo.core.models import Organisation
from rumbo.customers.models import Account, Channel
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class Category(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit of sale: UND (unit), CJA (case), PQT (pack), KG, L, ..."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class ProductQuerySet(models.QuerySet["Product"]):
    def visible_to(self, user: AnyUser) -> ProductQuerySet:
        # The catalogue is shared by everyone in the organisation.
        return (
            self.filter(organisation_id=user.organisation_id)
            if user.is_authenticated
            else self.none()
        )

    def sellable(self) -> ProductQuerySet:
        return self.filter(is_active=True, discontinued=False)


class Product(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="products"
    )
    sku = models.CharField(_("code (SKU)"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    units_per_case = models.PositiveIntegerField(_("units per case"), default=1)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    barcode = models.CharField(_("barcode"), max_length=20, blank=True)
    list_price = price_field(
        _("list price (without IGV)"), validators=[MinValueValidator(Decimal("0"))]
    )
    cost = price_field(
        _("unit cost"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    tax_exempt = models.BooleanField(_("exempt from IGV"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    discontinued = models.BooleanField(_("discontinued"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sku"], name="product_sku_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class PriceListQuerySet(models.QuerySet["PriceList"]):
    def visible_to(self, user: AnyUser) -> PriceListQuerySet:
        """Channel lists are public within the organisation; account lists follow the account."""
        return restrict(self, user).filter(
            Q(account__isnull=True) | Q(account__in=Account.objects.visible_to(user))
        )


class PriceList(models.Model):
    """Prices for one channel, one account, or (neither) the organisation's base list."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="price_lists"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, default="PEN")
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="price_lists"
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="price_lists"
    )
    prices_include_tax = models.BooleanField(_("prices include IGV"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PriceListQuerySet.as_manager()

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="price_list_code_unique"),
            models.CheckConstraint(
                condition=Q(channel__isnull=True) | Q(account__isnull=True),
                name="price_list_channel_or_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price = price_field(_("price"), validators=[MinValueValidator(Decimal("0"))])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="price_list_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.price}"


class PromotionQuerySet(models.QuerySet["Promotion"]):
    def visible_to(self, user: AnyUser) -> PromotionQuerySet:
        # Promotions, like the catalogue, are shared by the whole organisation.
        return (
            self.filter(organisation_id=user.organisation_id)
            if user.is_authenticated
            else self.none()
        )

    def active_on(self, day: dt.date) -> PromotionQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            is_active=True,
        )


class Promotion(models.Model):
    """A promotion on one product or on a category (its subcategories included).

    - volume: the tiers give a discount by quantity ordered (of the product, or summed over the
      order's lines of the category);
    - buy_get: for every `buy_quantity` units of the product ordered, `free_quantity` more units
      are given free (as a separate line priced at zero).
    """

    class Kind(models.TextChoices):
        VOLUME = "volume", _("Volume discount by tiers")
        BUY_GET = "buy_get", _("Buy N, get M free")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="promotions"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promotions",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promotions",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promotions",
        help_text=_("Empty: every channel."),
    )
    buy_quantity = models.PositiveIntegerField(_("buy (units)"), null=True, blank=True)
    free_quantity = models.PositiveIntegerField(_("get free (units)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="promotion_code_unique"),
            models.CheckConstraint(
                condition=Q(product__isnull=True, category__isnull=False)
                | Q(product__isnull=False, category__isnull=True),
                name="promotion_product_or_category",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.product_id is None) == (self.category_id is None):
            raise ValidationError(_("A promotion is on one product or on one category."))
        if self.kind == self.Kind.BUY_GET:
            if self.product_id is None:
                raise ValidationError({"product": _("“Buy N, get M free” is on one product.")})
            if not self.buy_quantity or not self.free_quantity:
                raise ValidationError(
                    {"buy_quantity": _("Say how many units to buy and how many come free.")}
                )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The promotion ends before it starts.")})


class PromotionTier(models.Model):
    """From `min_quantity` units on, the line gets `discount_pct` off (the highest tier wins)."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.DecimalField(
        _("from quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    discount_pct = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
    )

    class Meta:
        verbose_name = _("promotion tier")
        verbose_name_plural = _("promotion tiers")
        ordering = ["promotion", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "min_quantity"], name="promotion_tier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_quantity}: {self.discount_pct} %"
