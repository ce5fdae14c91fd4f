"""The catalogue. Prices are written through `set_price` so every change reaches the audit trail."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rumbo.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from rumbo.catalog.services import remove_price, set_price, update_product
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
