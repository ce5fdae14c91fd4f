"""The order confirmation as a one-page PDF (fpdf2, pure Python) for the rep to send to the
customer. The core Helvetica font covers Spanish (Latin-1); other characters are replaced."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from rumbo.core.templatetags.rumbo import format_money
from rumbo.orders.models import Order, OrderLine

_PLAIN = str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})
GREEN = (11, 110, 79)


def _t(text: object) -> str:
    """Text the core fonts can draw."""
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _qty(value: Decimal) -> str:
    return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)


def _heading(pdf: FPDF, order: Order) -> None:
    pdf.set_font("helvetica", "B", 16)
    pdf.set_text_color(*GREEN)
    pdf.cell(0, 8, _t(order.organisation.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("helvetica", "B", 13)
    title = _("Order confirmation %(n)s") % {"n": order.number}
    pdf.cell(0, 8, _t(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", "", 10)
    facts = [
        (_("Date"), formats.date_format(order.ordered_on, "DATE_FORMAT")),
        (_("Status"), order.get_status_display()),
        (_("Customer"), order.account.name),
        (_("Legal name"), order.account.legal_name),
        (_("RUC / DNI"), order.account.tax_id or "-"),
        (_("Address"), order.account.address or "-"),
        (_("Rep"), str(order.rep) if order.rep else "-"),
    ]
    for label, value in facts:
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(32, 6, _t(label))
        pdf.set_font("helvetica", "", 10)
        pdf.cell(0, 6, _t(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _line_row(line: OrderLine, order: Order, amounts: bool) -> list[str]:
    name = line.product.name
    if line.is_free:
        name += " (" + _("free, promotion") + ")"
    elif line.promotion_id:
        name += f" (-{_qty(line.promotion_pct)} %)"
    row = [line.product.sku, name, f"{_qty(line.quantity)} {line.product.unit.code}"]
    if amounts:
        row += [
            format_money(line.unit_price, order.currency, places=4),
            format_money(line.discount_amount, order.currency),
            format_money(line.net_amount, order.currency),
        ]
    return [_t(cell) for cell in row]


def _lines(pdf: FPDF, order: Order, amounts: bool) -> None:
    headings = [_("Code"), _("Product"), _("Quantity")]
    widths: tuple[int, ...] = (22, 90, 30)
    if amounts:
        headings += [_("Unit price"), _("Discount"), _("Net")]
        widths = (20, 62, 22, 28, 24, 30)
    pdf.set_font("helvetica", "", 9)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        table.row([_t(h) for h in headings])
        for line in order.lines.all():
            table.row(_line_row(line, order, amounts))


def _totals(pdf: FPDF, order: Order) -> None:
    pdf.ln(3)
    rows = [
        (_("Net (without IGV)"), order.net_amount),
        (_("IGV"), order.tax_amount),
        (_("Total"), order.total_amount),
    ]
    for n, (label, value) in enumerate(rows):
        pdf.set_font("helvetica", "B" if n == len(rows) - 1 else "", 11)
        pdf.cell(150, 6, _t(label), align="R")
        pdf.cell(0, 6, _t(format_money(value, order.currency)), align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    if order.discount_amount:
        pdf.set_font("helvetica", "", 9)
        saved = _("Discounts and free units included: %(d)s") % {
            "d": format_money(order.discount_amount, order.currency)
        }
        pdf.cell(0, 6, _t(saved), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def confirmation(order: Order, *, amounts: bool) -> bytearray:
    """The PDF of the order (with lines and history prefetched, as order_detail gives it)."""
    pdf = FPDF(format="A4")
    pdf.set_title(_t(order.number))
    pdf.set_creator("Rumbo")
    pdf.add_page()
    _heading(pdf, order)
    _lines(pdf, order, amounts)
    if amounts:
        _totals(pdf, order)
    if order.notes:
        pdf.ln(3)
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(0, 5, _t(_("Notes") + ": " + order.notes))
    pdf.ln(4)
    pdf.set_font("helvetica", "I", 8)
    pdf.set_text_color(100, 100, 100)
    pdf.multi_cell(0, 4, _t(_("Prices in %(c)s computed by Rumbo. This is not an invoice.")
                            % {"c": order.currency}))  # fmt: skip
    return pdf.output()
