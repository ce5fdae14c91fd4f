"""API shapes of the catalogue: products with their category, unit and list price."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterSchema, Schema

from rumbo.catalog.models import Product


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
