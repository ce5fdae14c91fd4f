"""API shapes of the catalogue: products with their category, unit and list price."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterSchema, Schema

from rumbo.catalog.models import Product, Promotion, PromotionTier


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category: CategoryRef
    unit: str = Field(description="Unit of sale code: UND, CJA, PQT, KG, …")
    units_per_case: int
    brand: str
    barcode: str
    list_price: Decimal = Field(description="List price without IGV, in the currency below.")
    currency: str
    tax_exempt: bool = Field(description="True when the product is exempt from IGV.")
    is_active: bool
    discontinued: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_unit(obj: Product) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_currency(obj: Product) -> str:
        return obj.organisation.currency


class ProductQuery(FilterSchema):
    q: str | None = Field(None, description="Part of the SKU, name, brand or barcode.")
    category: str | None = Field(
        None, description="Category code; products of its subcategories too."
    )
    updated_since: dt.datetime | None = Field(
        None, description="Only products changed at or after this moment (ISO 8601)."
    )
    discontinued: bool | None = None
    is_active: bool | None = None

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return (
            Q(sku__icontains=value)
            | Q(name__icontains=value)
            | Q(brand__icontains=value)
            | Q(barcode__icontains=value)
        )

    def filter_category(self, value: str | None) -> Q:
        return Q(category__code=value) | Q(category__parent__code=value) if value else Q()

    def filter_updated_since(self, value: dt.datetime | None) -> Q:
        if value is None:
            return Q()
        if timezone.is_naive(value):  # read as the organisation's local time
            value = timezone.make_aware(value)
        return Q(updated_at__gte=value)


class CategoryNode(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None


class CatalogueProduct(Schema):
    id: int
    sku: str
    name: str
    category_id: int
    unit: str
    units_per_case: int
    brand: str
    barcode: str
    list_price: Decimal = Field(description="Without IGV.")
    tax_exempt: bool
    discontinued: bool

    @staticmethod
    def resolve_unit(obj: Product) -> str:
        return obj.unit.code


class TierOut(Schema):
    min_quantity: Decimal
    discount_pct: Decimal


class PromotionOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="volume (tiers) or buy_get (buy N, get M free).")
    product_id: int | None
    category_id: int | None = Field(description="Subcategories included.")
    channel_id: int | None = Field(description="Null: every channel.")
    buy_quantity: int | None
    free_quantity: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    tiers: list[TierOut]

    @staticmethod
    def resolve_tiers(obj: Promotion) -> list[PromotionTier]:
        return list(obj.tiers.all())


class CatalogueOut(Schema):
    """Everything the order form needs to show and price products offline."""

    currency: str
    tax_rate: Decimal = Field(description="IGV, e.g. 0.18.")
    categories: list[CategoryNode]
    products: list[CatalogueProduct] = Field(description="Active products, discontinued flagged.")
    promotions: list[PromotionOut] = Field(description="Active promotions, today's and coming.")


class PriceListOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="account, channel or base: the first that has a price wins.")
    channel_id: int | None
    account_id: int | None
    prices: list[tuple[int, Decimal]] = Field(
        description="[product id, unit price without IGV rounded to 4 decimals] pairs."
    )


class PriceListsOut(Schema):
    """The price lists valid today that apply to the accounts the caller may see."""

    valid_on: dt.date
    lists: list[PriceListOut]
