"""The one-page monthly review of a territory, as PDF (fpdf2): the month's figures against
target and last year, the territories or reps below it, the gap bridge, the accounts that
explain most of the gap, and the last twelve months as bars."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from rumbo.core.templatetags.rumbo import format_money
from rumbo.reports.context import Context
from rumbo.reports.gap import PART_LABELS, Bridge, bridge, label_accounts
from rumbo.reports.lines import Line
from rumbo.reports.performance import Dashboard, dashboard
from rumbo.reports.periods import month_period

ROWS = 14
ACCOUNTS = 6
PLAIN = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "›": ">"}


def text(value: Any) -> str:
    """The core PDF fonts speak Latin-1: typographic marks become plain ones."""
    out = str(value)
    for fancy, plain in PLAIN.items():
        out = out.replace(fancy, plain)
    return out.encode("latin-1", "replace").decode("latin-1")


def pct(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{formats.number_format(value, 1, use_l10n=True)} %"


class Review(FPDF):
    def __init__(self, currency: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.currency = currency
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=False)

    def money(self, value: Decimal | None) -> str:
        return text(format_money(value, self.currency, 0))

    def heading(self, label: str) -> None:
        self.set_font("Helvetica", "B", 10)
        self.set_text_color(11, 110, 79)
        self.cell(0, 6, text(label), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def row(self, cells: list[str], widths: list[float], bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 8)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            self.cell(width, 4.6, text(cell)[:48], border="B", align="L" if i == 0 else "R")
        self.ln(4.6)


def _kpis(pdf: Review, total: Line) -> None:
    figures = [
        (_("Sales"), pdf.money(total.now.sales)),
        (_("Target"), pdf.money(total.target)),
        (_("Attainment"), pct(total.attainment)),
        (_("Growth vs last year"), pct(total.growth)),
        (_("Orders"), str(total.now.orders or 0)),
        (_("Average ticket"), pdf.money(total.now.ticket)),
        (_("Active accounts"), str(total.now.accounts or 0)),
        (_("Won / lost"), f"{total.won or 0} / {total.lost or 0}"),
        (_("Visit coverage"), pct(total.coverage)),
    ]
    width = (pdf.w - 24) / 3
    top = pdf.get_y()
    for i, (label, value) in enumerate(figures):
        x, y = 12 + (i % 3) * width, top + (i // 3) * 10
        pdf.set_xy(x, y)
        pdf.set_font("Helvetica", "", 7)
        pdf.cell(width, 3.5, text(label))
        pdf.set_xy(x, y + 3.5)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 5.5, text(value))
    pdf.set_xy(12, top + 10 * ((len(figures) + 2) // 3) + 2)


def _rows(pdf: Review, data: Dashboard) -> None:
    pdf.heading(_("Below this territory") if data.level == "territories" else _("Reps"))
    widths = [62.0, 26.0, 26.0, 20.0, 20.0, 32.0]
    headers = [_("Name"), _("Sales"), _("Target"), _("Attainment"), _("Growth"), ""]
    pdf.row(headers, widths, bold=True)
    for line in data.rows[:ROWS]:
        flag = _("below threshold") if line.flagged else ""
        pdf.row([line.label, pdf.money(line.now.sales), pdf.money(line.target),
                 pct(line.attainment), pct(line.growth), flag], widths)  # fmt: skip
    if len(data.rows) > ROWS:
        pdf.set_font("Helvetica", "I", 7)
        pdf.cell(0, 4, text(_("… and %(n)s more") % {"n": len(data.rows) - ROWS}),
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def _bridge(pdf: Review, result: Bridge, ctx: Context) -> None:
    pdf.heading(_("From target to actual"))
    if result.target is None:
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 5, text(_("No target for this month.")), new_x="LMARGIN", new_y="NEXT")
        return
    widths = [70.0, 30.0, 20.0]
    for part in result.steps:
        count = str(part.accounts) if part.accounts else ""
        pdf.row([part.label, pdf.money(part.value), count], widths,
                bold=part.code in ("target", "actual"))  # fmt: skip
    accounts = [a for a in label_accounts(result, ACCOUNTS, ctx) if a.contribution < 0]
    if accounts:
        pdf.ln(1)
        pdf.heading(_("Accounts that explain most of the gap"))
        widths = [70.0, 28.0, 28.0, 28.0, 32.0]
        pdf.row([_("Account"), _("Last year"), _("Sales"), _("Contribution"), ""], widths, True)
        for a in accounts[:ACCOUNTS]:
            pdf.row([a.label, pdf.money(a.last_year), pdf.money(a.actual),
                     pdf.money(a.contribution), str(PART_LABELS[a.kind])], widths)  # fmt: skip


def _trend(pdf: Review, data: Dashboard) -> None:
    pdf.heading(_("The last twelve months"))
    months = data.window[-12:]
    values = [data.total.monthly.get(m, Decimal(0)) for m in months]
    targets = [data.total.monthly_target.get(m) for m in months]
    top = max([*values, *(t for t in targets if t is not None), Decimal(1)])
    x0, base, height = 14.0, pdf.get_y() + 30, 26.0
    step = (pdf.w - 28) / len(months)
    for i, (m, v, t) in enumerate(zip(months, values, targets, strict=True)):
        bar = float(v / top) * height
        pdf.set_fill_color(11, 110, 79)
        pdf.rect(x0 + i * step + 2, base - bar, step - 5, bar, style="F")
        if t is not None:
            y = base - float(t / top) * height
            pdf.set_draw_color(180, 83, 9)
            pdf.line(x0 + i * step + 1, y, x0 + (i + 1) * step - 2, y)
        pdf.set_xy(x0 + i * step, base + 0.5)
        pdf.set_font("Helvetica", "", 6)
        pdf.cell(step, 3, text(formats.date_format(m, "M y")), align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(12, base + 4)
    pdf.set_font("Helvetica", "I", 6)
    pdf.cell(0, 3, text(_("Bars: sales. Lines: target.")), new_x="LMARGIN", new_y="NEXT")


def review_pdf(ctx: Context) -> bytes:
    """The review of the context's territory for one month (the period's last month)."""
    ctx.period = month_period(ctx.period.last)
    data = dashboard(ctx)
    result = bridge(ctx, data.total.target)
    pdf = Review(ctx.user.organisation.currency)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    title = _("Monthly review: %(name)s") % {"name": data.title}
    pdf.cell(0, 8, text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    when = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    line = f"{ctx.period.label} · {ctx.user.organisation.name} · {when}"
    pdf.cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _kpis(pdf, data.total)
    _rows(pdf, data)
    pdf.ln(2)
    _bridge(pdf, result, ctx)
    pdf.ln(2)
    _trend(pdf, data)
    return bytes(pdf.output())
