"""The catalogue over the API: every product of the caller's organisation."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.catalog.models import Product, ProductQuerySet
from rumbo.catalog.schemas import ProductOut, ProductQuery
from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset

router = Router(tags=["catalog"])


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
