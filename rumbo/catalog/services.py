"""Writes on the catalogue: categories, units, products, price lists, prices and promotions
(changes to prices, price lists and promotions go to the audit trail)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.catalog.models import (
    Category,
    PriceList,
    PriceListItem,
    Product,
    Promotion,
    PromotionTier,
    Unit,
)
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


CATEGORY_FIELDS = ["code", "name", "parent"]
PRICE_LIST_FIELDS = [
    "code", "name", "currency", "channel", "account", "prices_include_tax", "valid_from",
    "valid_to", "is_active",
]  # fmt: skip


def _check_same_org(organisation_id: int, **objects: Any) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.organisation_id != organisation_id:
            raise ValidationError({name: _("This belongs to another organisation.")})


def _check_parent(category: Category, parent: Category | None) -> None:
    """A category hangs under one of its own organisation, and never under itself."""
    _check_same_org(category.organisation_id, parent=parent)
    above = parent
    while above is not None:
        if category.pk is not None and above.pk == category.pk:
            raise ValidationError({"parent": _("A category cannot hang under itself.")})
        above = above.parent


@transaction.atomic
def create_category(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    parent: Category | None = None,
    actor: User | None = None,
) -> Category:
    category = Category(organisation=organisation, code=code, name=name, parent=parent)
    _check_parent(category, parent)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def update_category(*, category: Category, actor: User | None = None, **fields: Any) -> Category:
    """Rename a category, change its code, or hang it under another parent (or none)."""
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValueError(f"Not category fields: {sorted(unknown)}")
    if "parent" in fields:
        _check_parent(category, fields["parent"])
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def create_unit(
    *, organisation: Organisation, code: str, name: str, actor: User | None = None
) -> Unit:
    """A unit of sale (UND, CJA, KG, ...)."""
    unit = Unit(organisation=organisation, code=code, name=name)
    unit.full_clean()
    unit.save()
    return unit


def _check_price_list(price_list: PriceList) -> None:
    channel, account = price_list.channel, price_list.account
    _check_same_org(price_list.organisation_id, channel=channel, account=account)
    if channel is not None and account is not None:
        raise ValidationError(
            {"account": _("A price list is for a channel or for an account, not both.")}
        )
    price_list.full_clean()


@transaction.atomic
def create_price_list(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    actor: User | None = None,
    **fields: Any,
) -> PriceList:
    """A price list for a channel, an account, or (neither) the whole organisation; audited.
    Without a currency, it is in the organisation's."""
    unknown = set(fields) - set(PRICE_LIST_FIELDS)
    if unknown:
        raise ValueError(f"Not price list fields: {sorted(unknown)}")
    fields.setdefault("currency", organisation.currency)
    price_list = PriceList(organisation=organisation, code=code, name=name, **fields)
    _check_price_list(price_list)
    price_list.save()
    audit.record(
        actor=actor,
        obj=price_list,
        action="create",
        changes=audit.changes_between({}, audit.snapshot(price_list, PRICE_LIST_FIELDS)),
    )
    return price_list


@transaction.atomic
def update_price_list(
    *, price_list: PriceList, actor: User | None = None, **fields: Any
) -> PriceList:
    """Change a price list's details; what changed is audited (it changes what prices apply)."""
    unknown = set(fields) - set(PRICE_LIST_FIELDS)
    if unknown:
        raise ValueError(f"Not price list fields: {sorted(unknown)}")
    before = audit.snapshot(price_list, list(fields))
    for name, value in fields.items():
        setattr(price_list, name, value)
    _check_price_list(price_list)
    changes = audit.changes_between(before, audit.snapshot(price_list, list(fields)))
    if not changes:
        return price_list
    price_list.save()
    audit.record(actor=actor, obj=price_list, action="update", changes=changes)
    return price_list


PROMOTION_FIELDS = [
    "code", "name", "kind", "product", "category", "channel", "buy_quantity", "free_quantity",
    "valid_from", "valid_to", "is_active",
]  # fmt: skip


def _check_promotion(promotion: Promotion) -> None:
    _check_same_org(
        promotion.organisation_id,
        product=promotion.product,
        category=promotion.category,
        channel=promotion.channel,
    )
    promotion.full_clean()


def _write_tiers(promotion: Promotion, tiers: list[tuple[Decimal, Decimal]]) -> None:
    """Replace the promotion's tiers with (from quantity, discount %) pairs."""
    if promotion.kind == Promotion.Kind.VOLUME and not tiers:
        raise ValidationError({"tiers": _("A volume promotion needs at least one tier.")})
    if promotion.kind == Promotion.Kind.BUY_GET and tiers:
        raise ValidationError({"tiers": _("“Buy N, get M free” has no tiers.")})
    if len({quantity for quantity, _pct in tiers}) != len(tiers):
        raise ValidationError({"tiers": _("Two tiers start at the same quantity.")})
    promotion.tiers.all().delete()
    rows = [
        PromotionTier(promotion=promotion, min_quantity=quantity, discount_pct=pct)
        for quantity, pct in sorted(tiers)
    ]
    for row in rows:
        row.full_clean(exclude=["promotion"])
    PromotionTier.objects.bulk_create(rows)


def _tiers_snapshot(promotion: Promotion) -> list[list[str]]:
    return [[str(t.min_quantity), str(t.discount_pct)] for t in promotion.tiers.all()]


@transaction.atomic
def create_promotion(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str,
    tiers: list[tuple[Decimal, Decimal]] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Promotion:
    """A volume promotion (with its tiers) or a "buy N, get M free" one; audited, since it
    changes what customers pay."""
    unknown = set(fields) - set(PROMOTION_FIELDS)
    if unknown:
        raise ValueError(f"Not promotion fields: {sorted(unknown)}")
    promotion = Promotion(organisation=organisation, code=code, name=name, kind=kind, **fields)
    _check_promotion(promotion)
    promotion.save()
    _write_tiers(promotion, tiers or [])
    after = audit.snapshot(promotion, PROMOTION_FIELDS)
    after["tiers"] = _tiers_snapshot(promotion)
    audit.record(
        actor=actor, obj=promotion, action="create", changes=audit.changes_between({}, after)
    )
    return promotion


@transaction.atomic
def update_promotion(
    *,
    promotion: Promotion,
    tiers: list[tuple[Decimal, Decimal]] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Promotion:
    """Change a promotion (and, when given, replace its tiers); what changed is audited."""
    unknown = set(fields) - set(PROMOTION_FIELDS)
    if unknown:
        raise ValueError(f"Not promotion fields: {sorted(unknown)}")
    before = audit.snapshot(promotion, list(fields))
    before["tiers"] = _tiers_snapshot(promotion)
    for name, value in fields.items():
        setattr(promotion, name, value)
    _check_promotion(promotion)
    promotion.save()
    if tiers is not None:
        _write_tiers(promotion, tiers)
    after = audit.snapshot(promotion, list(fields))
    after["tiers"] = _tiers_snapshot(promotion)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(actor=actor, obj=promotion, action="update", changes=changes)
    return promotion
