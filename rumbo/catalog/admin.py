"""The catalogue. Prices are written through `set_price` so every change reaches the audit trail."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from rumbo.catalog.models import (
    Category,
    PriceList,
    PriceListItem,
    Product,
    Promotion,
    PromotionTier,
    Unit,
)
from rumbo.catalog.services import (
    PROMOTION_FIELDS,
    create_promotion,
    remove_price,
    set_price,
    update_product,
    update_promotion,
)
from rumbo.core.admin import OrgInline, OrgScopedAdmin, actor


@admin.register(Category)
class CategoryAdmin(OrgScopedAdmin):
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(OrgScopedAdmin):
    list_display = ["code", "name"]


@admin.register(Product)
class ProductAdmin(OrgScopedAdmin):
    list_display = ["sku", "name", "category", "unit", "list_price", "discontinued", "is_active"]
    list_filter = ["category", "discontinued", "is_active"]
    search_fields = ["sku", "name", "brand", "barcode"]
    list_select_related = ["category", "unit"]

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        fresh = Product.objects.get(pk=obj.pk)
        update_product(product=fresh, actor=actor(request), **fields)


class PriceListItemInline(OrgInline):
    model = PriceListItem
    autocomplete_fields = ["product"]
    readonly_fields = ["updated_at"]


@admin.register(PriceList)
class PriceListAdmin(OrgScopedAdmin):
    list_display = ["name", "code", "channel", "account", "prices_include_tax", "is_active"]
    list_filter = ["is_active", "channel"]
    search_fields = ["name", "code"]
    raw_id_fields = ["account"]
    inlines = [PriceListItemInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not PriceListItem:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # fills new_objects, changed_objects, deleted_objects
        for item in formset.deleted_objects:
            remove_price(item=item, actor=actor(request))
        for item in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            set_price(
                price_list=form.instance,
                product=item.product,
                price=item.price,
                actor=actor(request),
            )


class PromotionTierFormSet(BaseInlineFormSet):
    """A volume promotion has tiers; "buy N, get M free" has none."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kind = self.instance.kind
        if kind == Promotion.Kind.VOLUME and not kept:
            raise ValidationError(gettext_lazy("A volume promotion needs at least one tier."))
        if kind == Promotion.Kind.BUY_GET and kept:
            raise ValidationError(gettext_lazy("“Buy N, get M free” has no tiers."))


class PromotionTierInline(OrgInline):
    model = PromotionTier
    formset = PromotionTierFormSet


@admin.register(Promotion)
class PromotionAdmin(OrgScopedAdmin):
    """Promotions are written with their tiers through the services, which audit them."""

    list_display = ["name", "code", "kind", "product", "category", "channel", "valid_from",
                    "valid_to", "is_active"]  # fmt: skip
    list_filter = ["kind", "is_active", "channel"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["product"]
    exclude = ["organisation"]
    inlines = [PromotionTierInline]

    def save_model(self, request: HttpRequest, obj: Promotion, form: Any, change: bool) -> None:
        """Written in save_related, once the tiers are known."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Written in save_related, with the promotion."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        tiers = [
            (f.cleaned_data["min_quantity"], f.cleaned_data["discount_pct"])
            for formset in formsets
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        fields = {n: form.cleaned_data[n] for n in PROMOTION_FIELDS if n in form.cleaned_data}
        if change:
            fresh = Promotion.objects.get(pk=form.instance.pk)
            update_promotion(promotion=fresh, tiers=tiers, actor=actor(request), **fields)
            return
        created = create_promotion(
            organisation=actor(request).organisation, tiers=tiers, actor=actor(request), **fields
        )
        form.instance.pk = created.pk
        form.instance._state.adding = False
