"""The catalogue over the API: every product of the caller's organisation, and the catalogue
and price lists the order form keeps for offline use (with ETag / If-None-Match)."""

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from rumbo.catalog.models import (
    Category,
    PriceList,
    PriceListItem,
    Product,
    ProductQuerySet,
    Promotion,
    PromotionTier,
)
from rumbo.catalog.pricing import net_of_tax
from rumbo.catalog.schemas import (
    CatalogueOut,
    PriceListsOut,
    ProductOut,
    ProductQuery,
)
from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset

router = Router(tags=["catalog"])
offline_router = Router(tags=["catalog"])
PRICE_PLACES = Decimal("0.0001")


def products_for(user: User) -> ProductQuerySet:
    """The user's organisation's products by name, with what each row shows."""
    return (
        Product.objects.visible_to(user)
        .select_related("category", "unit", "organisation")
        .order_by("name", "pk")
    )


@router.get("", response=list[ProductOut], summary="List products")
@paginate(LimitOffset)
def list_products(request: AuthedRequest, filters: Query[ProductQuery]) -> ProductQuerySet:
    """Filter with `updated_since` to fetch only what changed since the last sync."""
    return filters.filter(products_for(request.user))


@router.get("/{product_id}", response={200: ProductOut, 404: Error}, summary="One product")
def get_product(request: AuthedRequest, product_id: int) -> Product:
    return get_object_or_404(products_for(request.user), pk=product_id)


def etag_json(request: HttpRequest, schema: type[BaseModel], data: Any) -> HttpResponse:
    """The data as JSON with a strong ETag of its content; 304 without a body when the client's
    If-None-Match already names it (the offline caches ask again on every page load)."""
    body = json.dumps(
        schema.model_validate(data).model_dump(), cls=NinjaJSONEncoder, separators=(",", ":")
    ).encode()
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    sent = {
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    }
    response = (
        HttpResponse(status=304)
        if tag in sent
        else HttpResponse(body, content_type="application/json")
    )
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


def _catalogue(user: User) -> dict[str, Any]:
    org = user.organisation
    today = timezone.localdate()
    products = Product.objects.visible_to(user).filter(is_active=True).select_related("unit")
    tiers = Prefetch("tiers", PromotionTier.objects.order_by("min_quantity"))
    promotions = (
        Promotion.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .prefetch_related(tiers)
        .order_by("pk")
    )
    return {
        "currency": org.currency,
        "tax_rate": org.tax_rate,
        "categories": Category.objects.filter(organisation_id=org.pk).order_by("name", "pk"),
        "products": products.order_by("name", "pk"),
        "promotions": promotions,
    }


@offline_router.get(
    "/catalogue",
    response={200: CatalogueOut, 304: None},
    summary="The catalogue for offline use",
)
def catalogue(request: AuthedRequest) -> HttpResponse:
    """Categories, active products and active promotions in one answer, with an ETag: send it
    back as If-None-Match and an unchanged catalogue answers 304 without a body."""
    return etag_json(request, CatalogueOut, _catalogue(request.user))


def _kind(price_list: PriceList) -> str:
    if price_list.account_id:
        return "account"
    return "channel" if price_list.channel_id else "base"


def _net(item: PriceListItem, rate: Decimal) -> Decimal:
    """The unit price without IGV, as the server prices an order line."""
    value = item.price
    if item.price_list.prices_include_tax and not item.product.tax_exempt:
        value = net_of_tax(value, rate)
    return value.quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def _price_lists(user: User) -> dict[str, Any]:
    today = timezone.localdate()
    rate = user.organisation.tax_rate
    lists = (
        PriceList.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("pk")
    )
    items = (
        PriceListItem.objects.filter(price_list__in=lists)
        .select_related("price_list", "product")
        .order_by("price_list_id", "product_id")
    )
    prices: dict[int, list[tuple[int, Decimal]]] = {}
    for item in items:
        prices.setdefault(item.price_list_id, []).append((item.product_id, _net(item, rate)))
    return {
        "valid_on": today,
        "lists": [
            {
                "id": pl.pk,
                "code": pl.code,
                "name": pl.name,
                "kind": _kind(pl),
                "channel_id": pl.channel_id,
                "account_id": pl.account_id,
                "prices": prices.get(pl.pk, []),
            }
            for pl in lists
        ],
    }


@offline_router.get(
    "/price-lists",
    response={200: PriceListsOut, 304: None},
    summary="Price lists for offline use",
)
def price_lists(request: AuthedRequest) -> HttpResponse:
    """The price lists valid today for the accounts the caller may see (channel lists, the base
    list, and the lists of those accounts), prices without IGV; with an ETag like /catalogue."""
    return etag_json(request, PriceListsOut, _price_lists(request.user))
