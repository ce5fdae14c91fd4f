"""Every table of the performance pages as plain rows, for CSV and Excel downloads: the same
figures the page shows, unformatted (numbers stay numbers in Excel)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rumbo.reports.lines import Line

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


Column = tuple[str, Callable[[Line], Any]]


def _source(line: Line) -> str:
    return {"explicit": _("set"), "rolled_up": _("sum of below"), "mixed": _("mixed")}.get(
        line.target_source, ""
    )


def amount_columns() -> list[Column]:
    return [
        (_("Sales"), lambda r: r.now.sales),
        (_("Same period last year"), lambda r: r.last_year.sales),
        (_("Growth vs last year (%)"), lambda r: r.growth),
        (_("Previous period"), lambda r: r.previous.sales),
        (_("Change vs previous (%)"), lambda r: r.change),
        (_("Target"), lambda r: r.target),
        (_("Target is"), _source),
        (_("Attainment (%)"), lambda r: r.attainment),
        (_("Gap to target"), lambda r: r.gap),
        (_("Average ticket"), lambda r: r.now.ticket),
    ]


def count_columns() -> list[Column]:
    return [
        (_("Orders"), lambda r: r.now.orders),
        (_("Orders last year"), lambda r: r.last_year.orders),
        (_("Active accounts"), lambda r: r.now.accounts),
        (_("Won"), lambda r: r.won),
        (_("Lost"), lambda r: r.lost),
        (_("Visit coverage (%)"), lambda r: r.coverage),
        (_("Visits"), lambda r: r.visits.visits if r.visits else None),
    ]


def lines_table(
    name: str, title: str, label: str, lines: list[Line], total: Line | None, amounts: bool
) -> Table:
    columns = (amount_columns() if amounts else []) + count_columns()
    if amounts:
        columns.append((_("Below threshold"), lambda r: _("yes") if r.flagged else ""))
    rows = [[line.label, *(get(line) for _h, get in columns)] for line in lines]
    if total is not None:
        rows.append([_("Total"), *(get(total) for _h, get in columns)])
    return Table(name, title, [label, *(h for h, _g in columns)], rows)


def category_table(lines: list[Line]) -> Table:
    headers = [_("Category"), _("Sales"), _("Share (%)"), _("Same period last year"),
               _("Growth vs last year (%)"), _("Previous period"), _("Target"),
               _("Attainment (%)")]  # fmt: skip
    rows = [
        [line.label, line.now.sales, line.note, line.last_year.sales, line.growth,
         line.previous.sales, line.target, line.attainment]
        for line in lines
    ]  # fmt: skip
    return Table("categories", _("Sales by category"), headers, rows)


def trend_table(total: Line, months: list[dt.date]) -> Table:
    headers = [_("Month"), _("Sales"), _("Same month last year"), _("Target"), _("Attainment (%)")]
    rows = []
    for m in months:
        ly = total.monthly.get(m.replace(year=m.year - 1), Decimal(0))
        target = total.monthly_target.get(m)
        rows.append([m, total.monthly.get(m, Decimal(0)), ly, target, total.month_attainment(m)])
    return Table("trend", _("Monthly trend against target"), headers, rows)


def heatmap_table(lines: list[Line], months: list[dt.date]) -> Table:
    """Attainment per row and month (or growth against last year where there is no target)."""
    headers = [_("Name"), *(formats.date_format(m, "YEAR_MONTH_FORMAT") for m in months)]
    rows = [[line.label, *(heat_value(line, m) for m in months)] for line in lines]
    return Table("heatmap", _("Attainment by month (%)"), headers, rows)


def heat_value(line: Line, month: dt.date) -> Decimal | None:
    return line.month_attainment(month)


def response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """The table as a CSV (UTF-8 with BOM, so Excel reads accents) or .xlsx download."""
    if fmt == "xlsx":
        content, kind, ext = xlsx(table), XLSX, "xlsx"
    else:
        content, kind, ext = csv_bytes(table), "text/csv; charset=utf-8", "csv"
    out = HttpResponse(content, content_type=kind)
    out["Content-Disposition"] = f'attachment; filename="{filename}-{table.name}.{ext}"'
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()


def xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet: Any = book.active
    sheet.title = table.title[:31].replace("/", "-")
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
