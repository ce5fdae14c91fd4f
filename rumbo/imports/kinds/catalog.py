"""Import of the catalogue: categories, products (upsert by SKU) and prices per price list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from rumbo.catalog.services import (
    create_category,
    create_price_list,
    create_product,
    create_unit,
    set_price,
    update_category,
    update_price_list,
    update_product,
)
from rumbo.imports import values as v
from rumbo.imports.kinds.base import (
    Context,
    Field,
    Kind,
    Later,
    Op,
    Record,
    changed,
    duplicates,
    fail,
    parents_first,
    resolve,
)  # fmt: skip
from rumbo.imports.values import normalise

PRODUCT_DETAILS = (
    "name", "units_per_case", "brand", "barcode", "list_price", "cost", "tax_exempt",
    "is_active", "discontinued",
)  # fmt: skip
DEFAULT_UNIT = "UND"
Reference = Category | Unit | Later | None  # what a product row names: found, made, or neither
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
        existing = {
            c.code: c
            for c in Category.objects.filter(organisation=ctx.organisation).select_related("parent")
        }
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
                made[code] = create_category(
                    organisation=ctx.organisation, code=code, name=record.values["name"],
                    parent=made[parent_code] if parent_code else None, actor=ctx.actor,
                )  # fmt: skip
                return made[code]

            return Op(record.row, "create", create)
        name = record.get("name", category.name)
        moves = parent_code is not None and (
            category.parent is None or category.parent.code != parent_code
        )
        if name == category.name and not moves:
            return Op(record.row, "unchanged")

        def update() -> Category:
            diff: dict[str, Any] = {"name": name} if name != category.name else {}
            if moves:
                diff["parent"] = made[parent_code]
            return update_category(category=category, actor=ctx.actor, **diff)

        return Op(record.row, "update", update)


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
        new_categories: dict[str, Later] = {}
        new_units: dict[str, Later] = {}
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
        made: dict[str, Later],
        ops: list[Op],
        ctx: Context,
    ) -> Reference:
        """The category or unit the row names: an existing one, else one this import creates
        before the products that use it."""
        value = record.get(name) or (DEFAULT_UNIT if name == "unit" else None)
        if value is None:
            return None
        found = find(value)
        if found is not None:
            return found
        key = normalise(value)
        if key not in made:
            made[key] = Later()
            make = made[key].made_by(lambda: self.create_reference(name, value, ctx))
            label = _("new categories") if name == "category" else _("new units")
            ops.append(Op(record.row, "create", make, extra=label))
            warning = (
                _("Category “%(value)s” is new and will be created (row %(row)s).")
                if name == "category"
                else _("Unit “%(value)s” is new and will be created (row %(row)s).")
            )
            ctx.warnings.append(warning % {"value": value, "row": record.row})
        return made[key]

    @staticmethod
    def create_reference(name: str, value: str, ctx: Context) -> Category | Unit:
        """A new category or unit, named as the file names it (its code cut to fit)."""
        org, actor = ctx.organisation, ctx.actor
        if name == "category":
            code = value[: Category._meta.get_field("code").max_length]
            return create_category(organisation=org, code=code, name=value, actor=actor)
        code = value[: Unit._meta.get_field("code").max_length]
        return create_unit(organisation=org, code=code, name=value, actor=actor)

    def plan_row(
        self, record: Record, product: Product | None, category: Reference,
        unit: Reference, ctx: Context,
    ) -> Op:  # fmt: skip
        wanted: dict[str, Any] = {n: record.values[n] for n in PRODUCT_DETAILS if n in record}
        if product is None:
            wanted.setdefault("list_price", Decimal("0"))

            def create() -> Product:
                return create_product(
                    organisation=ctx.organisation, actor=ctx.actor, sku=record.values["sku"],
                    category=resolve(category), unit=resolve(unit), **wanted,
                )  # fmt: skip

            return Op(record.row, "create", create)
        diff = changed(product, wanted)
        for name, ref, current in (
            ("category", category, product.category_id), ("unit", unit, product.unit_id),
        ):  # fmt: skip
            if name in record and ref is not None and (isinstance(ref, Later) or ref.pk != current):
                diff[name] = ref
        if not diff:
            return Op(record.row, "unchanged")

        def update() -> Product:
            fields = {name: resolve(value) for name, value in diff.items()}
            return update_product(product=product, actor=ctx.actor, **fields)

        return Op(record.row, "update", update)


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
        lists: dict[str, PriceList | Later] = {
            p.code: p for p in PriceList.objects.filter(organisation=ctx.organisation)
        }
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
            planned = lists[code]
            item = items.get((planned.pk, product.pk)) if isinstance(planned, PriceList) else None
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
        self, record: Record, lists: dict[str, PriceList | Later], header: dict[str, Any],
        ctx: Context,
    ) -> list[Op]:  # fmt: skip
        code = record.values["price_list"]
        price_list = lists.get(code)
        fields = {("name" if k == "price_list_name" else k): val for k, val in header.items()}
        if price_list is None:
            lists[code] = later = Later()  # its prices are written into it once it is made
            create = later.made_by(
                lambda: create_price_list(
                    organisation=ctx.organisation, code=code, actor=ctx.actor,
                    **{"name": code, **fields},
                )
            )  # fmt: skip
            return [Op(record.row, "create", create, extra=_("new price lists"))]
        if isinstance(price_list, Later):
            return []
        diff = changed(price_list, fields)
        if not diff:
            return []
        update = Op(
            record.row,
            "update",
            lambda: update_price_list(price_list=price_list, actor=ctx.actor, **diff),
            extra=_("changed price lists"),
        )
        return [update]

    def plan_price(
        self, record: Record, lists: dict[str, PriceList | Later], product: Product,
        item: PriceListItem | None, ctx: Context,
    ) -> Op:  # fmt: skip
        price = record.values["price"]
        if item is not None and item.price == price:
            return Op(record.row, "unchanged")
        price_list = lists[record.values["price_list"]]

        def run() -> PriceListItem:
            return set_price(
                price_list=resolve(price_list), product=product, price=price, actor=ctx.actor
            )

        return Op(record.row, "create" if item is None else "update", run)
