"""Import of the catalogue: categories, products (upsert by SKU) and prices per price list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from rumbo.catalog.services import create_product, set_price, update_product
from rumbo.imports import values as v
from rumbo.imports.kinds.base import (
    Context,
    Field,
    Kind,
    Op,
    Record,
    changed,
    duplicates,
    fail,
    parents_first,
)  # fmt: skip
from rumbo.imports.values import normalise

PRODUCT_DETAILS = (
    "name", "units_per_case", "brand", "barcode", "list_price", "cost", "tax_exempt",
    "is_active", "discontinued",
)  # fmt: skip
DEFAULT_UNIT = "UND"
CURRENCIES = {
    "pen": "PEN", "soles": "PEN", "s": "PEN", "usd": "USD", "dolares": "USD", "eur": "EUR",
}  # fmt: skip


class Categories(Kind):
    code = "categories"
    label = gettext_lazy("Product categories")
    admin_only = True
    fields = (
        Field("code", gettext_lazy("Code"), v.text(30), required=True,
              synonyms=("codigo", "category id", "id categoria", "codigo categoria")),
        Field("name", gettext_lazy("Name"), v.text(100),
              synonyms=("nombre", "categoria", "category name", "descripcion")),
        Field("parent", gettext_lazy("Parent code"), v.text(30),
              synonyms=("padre", "codigo padre", "parent id", "categoria padre")),
    )  # fmt: skip
    layout_help = gettext_lazy("One row per category; a parent may come later in the file.")

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("code"), "code", ctx)
        rows = [r for r in records if r.row not in repeated and not r.failed]
        existing = {c.code: c for c in Category.objects.filter(organisation=ctx.organisation)}
        in_file = {r.values["code"] for r in rows}
        made: dict[str, Category] = dict(existing)
        ops = []
        for record in parents_first(
            rows, lambda r: r.get("code"), lambda r: r.get("parent"), "parent", ctx
        ):
            parent = record.get("parent")
            if parent is not None and parent not in existing and parent not in in_file:
                fail(record, "parent", _("no category has the code '%(v)s'.") % {"v": parent}, ctx)
                continue
            category = existing.get(record.values["code"])
            if category is None and not ctx.require(record, ("name",), self.by_name):
                continue
            ops.append(self.plan_row(record, category, made, ctx))
        return ops

    def plan_row(
        self, record: Record, category: Category | None, made: dict[str, Category], ctx: Context
    ) -> Op:
        code, parent_code = record.values["code"], record.get("parent")
        if category is None:

            def create() -> Category:
                made[code] = save_category(
                    Category(organisation=ctx.organisation, code=code), record.values["name"],
                    made.get(parent_code) if parent_code else None,
                )  # fmt: skip
                return made[code]

            return Op(record.row, "create", create)
        name = record.get("name", category.name)
        same_parent = parent_code is None or (
            category.parent is not None and category.parent.code == parent_code
        )
        if name == category.name and same_parent:
            return Op(record.row, "unchanged")
        parent = category.parent if parent_code is None else None

        def update() -> Category:
            return save_category(category, name, made[parent_code] if parent_code else parent)

        return Op(record.row, "update", update)


@transaction.atomic
def save_category(category: Category, name: str, parent: Category | None) -> Category:
    category.name, category.parent = name, parent
    category.full_clean()
    category.save()
    return category


class Products(Kind):
    code = "products"
    label = gettext_lazy("Products")
    admin_only = True
    fields = (
        Field("sku", gettext_lazy("Code (SKU)"), v.text(40), required=True,
              synonyms=("sku", "codigo", "codigo producto", "product id", "product key", "item")),
        Field("name", gettext_lazy("Name"), v.text(200),
              synonyms=("nombre", "producto", "descripcion", "product name", "product")),
        Field("category", gettext_lazy("Category (code or name)"), v.text(100),
              synonyms=("categoria", "category", "category id", "linea", "familia")),
        Field("unit", gettext_lazy("Unit"), v.text(10), synonyms=("unidad", "um", "uom")),
        Field("units_per_case", gettext_lazy("Units per case"), v.integer,
              synonyms=("unidades por caja", "factor")),
        Field("brand", gettext_lazy("Brand"), v.text(80), synonyms=("marca",)),
        Field("barcode", gettext_lazy("Barcode"), v.text(20), synonyms=("ean", "codigo de barras")),
        Field("list_price", gettext_lazy("List price (without IGV)"), v.price,
              synonyms=("precio", "precio lista", "unit price", "price")),
        Field("cost", gettext_lazy("Unit cost"), v.price,
              synonyms=("costo", "costo unitario", "standard cost")),
        Field("tax_exempt", gettext_lazy("Exempt from IGV"), v.boolean,
              synonyms=("exonerado", "exonerado igv")),
        Field("is_active", gettext_lazy("Active"), v.boolean, synonyms=("activo",)),
        Field("discontinued", gettext_lazy("Discontinued"), v.boolean,
              synonyms=("descontinuado",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per product. A category is found by its code or its name; a new name creates "
        "the category. Without a unit, products are sold by the unit (UND)."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("sku"), "sku", ctx)
        ops: list[Op] = []
        new_categories: dict[str, Category] = {}
        new_units: dict[str, Unit] = {}
        for record in records:
            if record.row in repeated or record.failed:
                continue
            units_ok = record.get("units_per_case", 1) >= 1
            if not units_ok:
                fail(record, "units_per_case", _("there is at least one unit in a case."), ctx)
                continue
            product = ctx.refs.products.get(record.values["sku"])
            if product is None and not ctx.require(record, ("name", "category"), self.by_name):
                continue
            category = self.reference(
                record, "category", ctx.refs.category, new_categories, ops, ctx
            )
            unit = self.reference(
                record, "unit", lambda c: ctx.refs.units.get(normalise(c)), new_units, ops, ctx
            )
            ops.append(self.plan_row(record, product, category, unit, ctx))
        return ops

    def reference(
        self,
        record: Record,
        name: str,
        find: Any,
        made: dict[str, Any],
        ops: list[Op],
        ctx: Context,
    ) -> Any:
        """The category or unit the row names: an existing one, else one created first."""
        value = record.get(name) or (DEFAULT_UNIT if name == "unit" else None)
        if value is None:
            return None
        found = find(value)
        if found is not None:
            return found
        key = normalise(value)
        if key not in made:
            model = Category if name == "category" else Unit
            code = value[: model._meta.get_field("code").max_length]
            made[key] = model(organisation=ctx.organisation, code=code, name=value)
            label = _("new categories") if model is Category else _("new units")
            ops.append(Op(record.row, "create", made[key].save, extra=label))
            warning = (
                _("Category “%(value)s” is new and will be created (row %(row)s).")
                if model is Category
                else _("Unit “%(value)s” is new and will be created (row %(row)s).")
            )
            ctx.warnings.append(warning % {"value": value, "row": record.row})
        return made[key]

    def plan_row(
        self, record: Record, product: Product | None, category: Category | None,
        unit: Unit | None, ctx: Context,
    ) -> Op:  # fmt: skip
        wanted = {name: record.values[name] for name in PRODUCT_DETAILS if name in record}
        if product is None:
            wanted.setdefault("list_price", Decimal("0"))

            def create() -> Product:
                return create_product(
                    organisation=ctx.organisation, actor=ctx.actor, sku=record.values["sku"],
                    category=category, unit=unit, **wanted,
                )  # fmt: skip

            return Op(record.row, "create", create)
        diff = changed(product, wanted)
        if "category" in record and category is not None and category.pk != product.category_id:
            diff["category"] = category
        if "unit" in record and unit is not None and unit.pk != product.unit_id:
            diff["unit"] = unit
        if not diff:
            return Op(record.row, "unchanged")
        return Op(
            record.row, "update", lambda: update_product(product=product, actor=ctx.actor, **diff)
        )


class PriceLists(Kind):
    code = "price_lists"
    label = gettext_lazy("Price lists")
    admin_only = True
    fields = (
        Field("price_list", gettext_lazy("Price list (code)"), v.text(40), required=True,
              synonyms=("lista", "lista de precios", "codigo lista", "price list")),
        Field("price_list_name", gettext_lazy("Price list name"), v.text(120),
              synonyms=("nombre lista", "nombre de lista")),
        Field("currency", gettext_lazy("Currency"), v.choice(CURRENCIES, "PEN, USD, EUR"),
              synonyms=("moneda",)),
        Field("channel", gettext_lazy("Channel"), v.text(80), synonyms=("canal",)),
        Field("account", gettext_lazy("Account (external code)"), v.text(40),
              synonyms=("cuenta", "cliente", "codigo cliente")),
        Field("prices_include_tax", gettext_lazy("Prices include IGV"), v.boolean,
              synonyms=("incluye igv", "con igv")),
        Field("valid_from", gettext_lazy("Valid from"), v.date,
              synonyms=("desde", "vigente desde")),
        Field("valid_to", gettext_lazy("Valid until"), v.date,
              synonyms=("hasta", "vigente hasta")),
        Field("sku", gettext_lazy("Product (SKU)"), v.text(40), required=True,
              synonyms=("sku", "codigo", "codigo producto", "producto")),
        Field("price", gettext_lazy("Price"), v.price, required=True, synonyms=("precio",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per price. Rows with the same list code fill one list; a new code creates the "
        "list with the details of its first row."
    )

    HEADER = ("price_list_name", "currency", "channel", "account", "prices_include_tax",
              "valid_from", "valid_to")  # fmt: skip

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: (r.get("price_list"), r.get("sku")), "sku", ctx)
        lists = {p.code: p for p in PriceList.objects.filter(organisation=ctx.organisation)}
        items = {
            (i.price_list_id, i.product_id): i
            for i in PriceListItem.objects.filter(price_list__organisation=ctx.organisation)
        }
        headers: dict[str, tuple[Record, dict[str, Any]]] = {}
        ops: list[Op] = []
        for record in records:
            if record.row in repeated or record.failed:
                continue
            header = self.header(record, headers, ctx)
            product = ctx.refs.products.get(record.values["sku"])
            if product is None:
                fail(
                    record,
                    "sku",
                    _("no product has the code '%(v)s'.") % {"v": record.values["sku"]},
                    ctx,
                )
            if header is None or product is None:
                continue
            code = record.values["price_list"]
            if code not in lists or record is headers[code][0]:
                ops.extend(self.plan_list(record, lists, header, ctx))
            item = items.get((lists[code].pk, product.pk)) if lists[code].pk else None
            ops.append(self.plan_price(record, lists, product, item, ctx))
        return ops

    def header(
        self, record: Record, headers: dict[str, tuple[Record, dict[str, Any]]], ctx: Context
    ) -> dict[str, Any] | None:
        """The list's details from this row; every row of one list must agree with the first."""
        wanted = {name: record.values[name] for name in self.HEADER if name in record}
        for name in ("channel", "account"):
            if name in wanted:
                wanted[name] = self.owner(record, name, ctx)
        if "channel" in wanted and "account" in wanted:
            fail(
                record,
                "account",
                _("a price list is for a channel or for an account, not both."),
                ctx,
            )
        code = record.values["price_list"]
        first = headers.setdefault(code, (record, wanted))
        for name, value in wanted.items():
            if name in first[1] and first[1][name] != value:
                fail(
                    record,
                    name,
                    _("row %(row)s gives this list another value.") % {"row": first[0].row},
                    ctx,
                )
        return None if record.failed else first[1]

    def owner(self, record: Record, name: str, ctx: Context) -> Any:
        value = record.values[name]
        if name == "channel":
            found: Any = ctx.refs.channel(value)
            message = _("no channel is called '%(v)s'.")
        else:
            found = ctx.refs.accounts([value]).get(value)
            message = _("no account has the code '%(v)s'.")
        if found is None:
            fail(record, name, message % {"v": value}, ctx)
        return found

    def plan_list(
        self, record: Record, lists: dict[str, PriceList], header: dict[str, Any], ctx: Context
    ) -> list[Op]:
        code = record.values["price_list"]
        price_list = lists.get(code)
        fields = {("name" if k == "price_list_name" else k): val for k, val in header.items()}
        if price_list is None:
            price_list = PriceList(organisation=ctx.organisation, code=code, name=code,
                                   currency=ctx.organisation.currency)  # fmt: skip
            lists[code] = price_list
            create = Op(record.row, "create", lambda: save_price_list(price_list, fields))
            create.extra = _("new price lists")
            return [create]
        if not changed(price_list, fields):
            return []
        update = Op(record.row, "update", lambda: save_price_list(price_list, fields))
        update.extra = _("changed price lists")
        return [update]

    def plan_price(
        self, record: Record, lists: dict[str, PriceList], product: Product,
        item: PriceListItem | None, ctx: Context,
    ) -> Op:  # fmt: skip
        price = record.values["price"]
        if item is not None and item.price == price:
            return Op(record.row, "unchanged")
        price_list = lists[record.values["price_list"]]

        def run() -> PriceListItem:
            return set_price(price_list=price_list, product=product, price=price, actor=ctx.actor)

        return Op(record.row, "create" if item is None else "update", run)


@transaction.atomic
def save_price_list(price_list: PriceList, fields: dict[str, Any]) -> PriceList:
    for name, value in fields.items():
        setattr(price_list, name, value)
    price_list.full_clean()
    price_list.save()
    return price_list
