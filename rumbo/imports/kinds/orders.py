"""Import of historical orders: one row per line, grouped into orders by the order's code.

Orders are written by `create_order` with the file's prices (`trust_prices`) and the source
"import". An order already imported is left alone when the file says the same; a new status is
applied through `change_status`; any other difference is a problem, since Rumbo never rewrites
the lines of an order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.catalog.pricing import line_amounts
from rumbo.core.models import User
from rumbo.customers.models import Account
from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Record, fail
from rumbo.imports.kinds.refs import in_chunks
from rumbo.orders.models import Order, OrderStatus
from rumbo.orders.services import MAX_QUANTITY, TRANSITIONS, LineInput, change_status, create_order
from rumbo.territories.models import Territory

STATUSES = {
    "draft": OrderStatus.DRAFT, "borrador": OrderStatus.DRAFT,
    "submitted": OrderStatus.SUBMITTED, "enviado": OrderStatus.SUBMITTED,
    "approval": OrderStatus.PENDING_APPROVAL, "poraprobar": OrderStatus.PENDING_APPROVAL,
    "confirmed": OrderStatus.CONFIRMED, "confirmado": OrderStatus.CONFIRMED,
    "delivered": OrderStatus.DELIVERED, "entregado": OrderStatus.DELIVERED,
    "facturado": OrderStatus.DELIVERED, "cancelled": OrderStatus.CANCELLED,
    "canceled": OrderStatus.CANCELLED, "cancelado": OrderStatus.CANCELLED,
    "anulado": OrderStatus.CANCELLED,
}  # fmt: skip
# Fields that belong to the order, not to the line: every line of one order must agree.
HEADER = ("ordered_on", "account", "rep", "territory", "status", "notes")


@dataclass
class Draft:
    """An order as the file describes it, gathered from its lines."""

    code: str
    first: Record
    header: dict[str, Any]
    lines: list[tuple[Record, LineInput]] = field(default_factory=list)
    account: Account | None = None
    rep: User | None = None
    territory: Territory | None = None

    def signature(self) -> Counter[tuple[Any, ...]]:
        """What the lines will be once written, to compare with an order already in Rumbo."""
        result: Counter[tuple[Any, ...]] = Counter()
        for _record, line in self.lines:
            assert line.unit_price is not None
            amounts = line_amounts(
                quantity=line.quantity, net_unit_price=line.unit_price,
                discount_pct=line.discount_pct, tax_rate=Decimal("0"),
            )  # fmt: skip
            result[(line.product.pk, line.quantity, line.unit_price, amounts.discount)] += 1
        return result


class Orders(Kind):
    code = "orders"
    label = gettext_lazy("Orders")
    fields = (
        Field("order", gettext_lazy("Order (external code)"), v.text(40), required=True,
              synonyms=("pedido", "nro pedido", "numero pedido", "order id", "sales order number",
                        "salesordernumber", "documento")),
        Field("ordered_on", gettext_lazy("Order date"), v.date, required=True,
              synonyms=("fecha", "fecha pedido", "order date", "orderdate")),
        Field("account", gettext_lazy("Account (external code)"), v.text(40), required=True,
              synonyms=("cliente", "codigo cliente", "cuenta", "customer id", "reseller key")),
        Field("rep", gettext_lazy("Rep (code or username)"), v.text(150),
              synonyms=("vendedor", "codigo vendedor", "employee id", "employee key")),
        Field("territory", gettext_lazy("Territory credited (code)"), v.text(40),
              synonyms=("territorio", "sales territory key")),
        Field("status", gettext_lazy("Status"),
              v.choice(STATUSES, gettext_lazy("delivered, confirmed, cancelled…")),
              synonyms=("estado",)),
        Field("notes", gettext_lazy("Notes"), v.text(2000), synonyms=("notas", "observaciones")),
        Field("sku", gettext_lazy("Product (SKU)"), v.text(40), required=True,
              synonyms=("producto", "codigo producto", "product id", "product key")),
        Field("quantity", gettext_lazy("Quantity"), v.positive_decimal, required=True,
              synonyms=("cantidad", "order quantity", "orderquantity", "qty")),
        Field("unit_price", gettext_lazy("Unit price (without IGV)"), v.price, required=True,
              synonyms=("precio", "precio unitario", "unit price", "unitprice")),
        Field("discount_pct", gettext_lazy("Discount (%)"), v.percent,
              synonyms=("descuento", "dscto", "discount")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per order line; the lines of one order share its code, date and account. "
        "Without a status, orders are imported as delivered."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        drafts = self.gather(records, ctx)
        existing = {
            o.external_code: o
            for o in in_chunks(
                Order.objects.filter(organisation=ctx.organisation).prefetch_related("lines"),
                "external_code", drafts,
            )
        }  # fmt: skip
        accounts = ctx.refs.accounts(
            d.header["account"] for d in drafts.values() if "account" in d.header
        )
        ops = []
        for draft in drafts.values():
            self.resolve(draft, accounts, ctx)
            if any(r.failed for r in [draft.first, *(r for r, _line in draft.lines)]):
                continue
            op = self.plan_order(draft, existing.get(draft.code), ctx)
            if op is not None:
                ops.append(op)
        return ops

    def gather(self, records: list[Record], ctx: Context) -> dict[str, Draft]:
        """Group the lines by order; a line that disagrees with the order's first is a problem."""
        drafts: dict[str, Draft] = {}
        for record in records:
            code = record.get("order")
            if code is None:
                continue
            header = {k: record.values[k] for k in HEADER if k in record}
            draft = drafts.setdefault(code, Draft(code, record, header))
            for name in HEADER:
                if draft.header.get(name) != header.get(name) and name not in record.failed:
                    message = _("row %(row)s of this order says otherwise.") % {
                        "row": draft.first.row
                    }
                    fail(record, name, message, ctx)
            line = self.line(record, ctx)
            if line is not None:
                draft.lines.append((record, line))
        return drafts

    def line(self, record: Record, ctx: Context) -> LineInput | None:
        sku = record.get("sku")
        product = ctx.refs.products.get(sku) if sku else None
        if sku and product is None:
            fail(record, "sku", _("no product has the code '%(v)s'.") % {"v": sku}, ctx)
        quantity = record.get("quantity")
        if quantity is not None and quantity > MAX_QUANTITY:
            fail(record, "quantity", _("at most %(max)s per line.") % {"max": MAX_QUANTITY}, ctx)
        if product is None or record.failed:
            return None
        return LineInput(
            product=product,
            quantity=quantity.quantize(Decimal("0.001")),
            discount_pct=record.get("discount_pct", Decimal("0")),
            unit_price=record.values["unit_price"],
        )

    def resolve(self, draft: Draft, accounts: dict[str, Account], ctx: Context) -> None:
        """The account, rep and territory the order names, each checked against the scope."""
        record, header = draft.first, draft.header
        code = header.get("account")
        draft.account = accounts.get(code) if code else None
        if code and draft.account is None:
            fail(record, "account", _("no account has the code '%(v)s'.") % {"v": code}, ctx)
        elif draft.account is not None and not ctx.territory_in_scope(draft.account.territory_id):
            fail(record, "account", _("this account is not in your territories."), ctx)
        rep = header.get("rep")
        draft.rep = ctx.refs.person(rep) if rep else None
        if rep and (draft.rep is None or not ctx.user_in_scope(draft.rep.pk)):
            fail(record, "rep", _("no user or rep has the code '%(v)s'.") % {"v": rep}, ctx)
        territory = header.get("territory")
        draft.territory = ctx.refs.territories.get(territory) if territory else None
        if territory and draft.territory is None:
            fail(
                record, "territory", _("no territory has the code '%(v)s'.") % {"v": territory}, ctx
            )
        elif draft.territory is not None and not ctx.territory_in_scope(draft.territory.pk):
            fail(record, "territory", _("territory '%(v)s' is not yours.") % {"v": territory}, ctx)

    def plan_order(self, draft: Draft, order: Order | None, ctx: Context) -> Op | None:
        status = draft.header.get("status", OrderStatus.DELIVERED)
        if order is None:
            ctx.state.setdefault("counts", Counter())[_("new order lines")] += len(draft.lines)
            return Op(draft.first.row, "create", lambda: self.create(draft, status, ctx))
        if not self.same_order(draft, order):
            message = _(
                "this order was imported before with other lines, date or account; "
                "Rumbo does not rewrite orders."
            )
            fail(draft.first, "order", message, ctx)
            return None
        if order.status == status:
            return Op(draft.first.row, "unchanged")
        if status not in TRANSITIONS[order.status]:
            message = _("the order is “%(from)s” and cannot become “%(to)s”.") % {
                "from": order.get_status_display(), "to": OrderStatus(status).label,
            }  # fmt: skip
            fail(draft.first, "status", message, ctx)
            return None
        return Op(
            draft.first.row,
            "update",
            lambda: change_status(order=order, to_status=status, actor=ctx.actor),
        )

    def same_order(self, draft: Draft, order: Order) -> bool:
        lines = Counter(
            (line.product_id, line.quantity, line.unit_price, line.discount_amount)
            for line in order.lines.all()
        )
        same_header = (
            draft.account is not None
            and order.account_id == draft.account.pk
            and order.ordered_on == draft.header["ordered_on"]
            and (draft.rep is None or order.rep_id == draft.rep.pk)
            and (draft.territory is None or order.territory_id == draft.territory.pk)
        )
        return same_header and lines == draft.signature()

    def create(self, draft: Draft, status: str, ctx: Context) -> Order:
        assert draft.account is not None
        draft.account.organisation = ctx.organisation  # saves a query per order
        order = create_order(
            account=draft.account, lines=[line for _record, line in draft.lines], actor=ctx.actor,
            ordered_on=draft.header["ordered_on"], status=status, rep=draft.rep,
            territory=draft.territory, source=Order.Source.IMPORT, external_code=draft.code,
            notes=draft.header.get("notes", ""), trust_prices=True,
        )  # fmt: skip
        return order
