"""Writes on the catalogue: products and prices (price changes go to the audit trail)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.catalog.models import PriceList, PriceListItem, Product
from rumbo.core import audit
from rumbo.core.models import Organisation, User


@transaction.atomic
def create_product(
    *, organisation: Organisation, actor: User | None = None, **fields: Any
) -> Product:
    product = Product(organisation=organisation, **fields)
    for name in ("category", "unit"):
        related = getattr(product, name)
        if related.organisation_id != organisation.pk:
            raise ValidationError({name: _("This belongs to another organisation.")})
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def update_product(*, product: Product, actor: User | None = None, **fields: Any) -> Product:
    before = audit.snapshot(product, list(fields))
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean()
    product.save()
    changes = audit.changes_between(before, audit.snapshot(product, list(fields)))
    if {"list_price", "discontinued", "is_active"} & set(changes):
        audit.record(actor=actor, obj=product, action="update", changes=changes)
    return product


@transaction.atomic
def set_price(
    *, price_list: PriceList, product: Product, price: Decimal, actor: User | None = None
) -> PriceListItem:
    """Create or change one price; the old and new values are audited."""
    if product.organisation_id != price_list.organisation_id:
        raise ValidationError({"product": _("This product belongs to another organisation.")})
    if price < 0:
        raise ValidationError({"price": _("A price cannot be negative.")})
    price = price.quantize(Decimal("0.0001"))
    item = (
        PriceListItem.objects.select_for_update()
        .filter(price_list=price_list, product=product)
        .first()
    )
    old = item.price if item else None
    if item is None:
        item = PriceListItem.objects.create(price_list=price_list, product=product, price=price)
    elif item.price != price:
        item.price = price
        item.save(update_fields=["price", "updated_at"])
    else:
        return item
    audit.record(
        actor=actor,
        obj=item,
        action="create" if old is None else "update",
        changes={"price": [old, price]},
        organisation_id=price_list.organisation_id,
    )
    return item


@transaction.atomic
def remove_price(*, item: PriceListItem, actor: User | None = None) -> None:
    """Delete one price (the product falls back to the next list); audited."""
    audit.record(
        actor=actor,
        obj=item,
        action="delete",
        changes={"price": [item.price, None]},
        organisation_id=item.price_list.organisation_id,
    )
    item.delete()
