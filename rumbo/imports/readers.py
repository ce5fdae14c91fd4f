"""Read an uploaded file into a header and rows: CSV in any common delimiter and encoding, or XLSX.

CSV: the encoding is detected (UTF-16 with BOM, UTF-8 with or without BOM, else Windows-1252,
which is what Excel in Spanish writes, with Latin-1 as the last resort) and so is the delimiter
(, ; tab or |). XLSX: the first sheet, read with openpyxl in read-only mode; cells keep their
types (numbers, dates), so parsers can tell an Excel date from a text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

DELIMITERS = (",", ";", "\t", "|")
MAX_ROWS = 500_000  # beyond this a file is split (or it would fill the worker's memory)
SNIFF_LINES = 50
XLSX_MAGIC = b"PK\x03\x04"

Cell = str | int | float | dt.date | dt.datetime | dt.time | None


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX we can read; the message says why, for the user."""


@dataclass(frozen=True)
class Row:
    number: int  # the row number a spreadsheet shows; the header is row 1 (or later)
    cells: tuple[Cell, ...]

    def get(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else None


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    encoding: str = ""
    delimiter: str = ""
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.headers)}

    def value(self, row: Row, column: str) -> Cell:
        return row.get(self.index[column])


def read_table(content: bytes, file_name: str = "") -> Table:
    """The table in `content`; XLSX is recognised by its zip signature, anything else is CSV."""
    if content.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(content)
    return read_csv(content)


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was written in."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, the same number each."""
    sample = text.splitlines()[:SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(content: bytes) -> Table:
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(_("This is not a text file: save it as CSV or XLSX."))
    text, encoding = decode(content)
    delimiter = sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    rows = [(n, tuple(_clean(v) for v in record)) for n, record in enumerate(records, start=1)]
    table = _table(rows)
    _check_size(table)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFile(
            _("This Excel file cannot be read: %(error)s") % {"error": exc}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > MAX_ROWS + 1:
                raise _too_many()
            rows.append((n, tuple(_clean(v) for v in values)))
    finally:
        workbook.close()
    table = _table(rows)
    table.encoding = "xlsx"
    return table


def _check_size(table: Table) -> None:
    if len(table.rows) > MAX_ROWS:
        raise _too_many()


def _too_many() -> UnreadableFile:
    message = _("The file has more than %(n)s rows; split it into smaller files.")
    return UnreadableFile(message % {"n": MAX_ROWS})


def _clean(value: Any) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def _blank(cells: Sequence[Cell]) -> bool:
    return all(c is None or c == "" for c in cells)


def _table(rows: Iterable[tuple[int, tuple[Cell, ...]]]) -> Table:
    """The first non-empty row is the header; empty rows are skipped but keep their numbers."""
    header: tuple[Cell, ...] | None = None
    data: list[Row] = []
    for number, cells in rows:
        if _blank(cells):
            continue
        if header is None:
            header = cells
            continue
        data.append(Row(number, cells))
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    return Table(headers=header_names(header), rows=data)


def header_names(cells: Sequence[Cell]) -> list[str]:
    """Column names: trailing empty headers dropped, blanks named, duplicates numbered."""
    names = [str(c).strip() if c is not None else "" for c in cells]
    while names and not names[-1]:
        names.pop()
    seen: dict[str, int] = {}
    result = []
    for position, name in enumerate(names, start=1):
        name = name or _("Column %(n)s") % {"n": position}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result
