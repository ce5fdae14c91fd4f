"""The few reshaping steps a source's layout may need before the generic import reads it.

Each takes tables read by `read_table` and returns a new one; `to_csv` turns it back into a file,
which then goes through the same import path as any upload:

- `left_join`: add columns from a second file by key (orders' headers to their lines,
  coordinates to accounts);
- `filter_rows`: keep the rows whose column has one of some values;
- `tree_from_levels`: one row per leaf with a column per level (group, country, region) becomes
  one row per node (code, name, level, parent), as the territory import wants.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from rumbo.imports.readers import Cell, Row, Table
from rumbo.imports.values import is_blank, shown

CODE_LENGTH = 40
NOT_APPLICABLE = ("NA", "N/A")


def to_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV (comma-separated, with a header row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if c is None else shown(c) for c in row.cells])
    return out.getvalue().encode("utf-8")


def rows_of(headers: Sequence[str], values: Iterable[Sequence[Cell]]) -> Table:
    """A table from plain rows; rows are numbered as a spreadsheet would (the header is row 1)."""
    return Table(
        headers=list(headers),
        rows=[Row(n, tuple(cells)) for n, cells in enumerate(values, start=2)],
    )


def left_join(
    left: Table, right: Table, *, on: str, right_on: str = "", columns: Sequence[str] = ()
) -> Table:
    """Every row of `left`, with `columns` of the first row of `right` whose key matches
    (empty when none does). A right column whose name the left table has already is skipped."""
    right_on = right_on or on
    wanted = [c for c in (columns or right.headers) if c != right_on and c not in left.index]
    found: dict[str, Row] = {}
    for row in right.rows:
        found.setdefault(shown(right.value(row, right_on)), row)
    rows = []
    for row in left.rows:
        match = found.get(shown(left.value(row, on)))
        extra = [right.value(match, c) if match else None for c in wanted]
        rows.append([*(row.get(i) for i in range(len(left.headers))), *extra])
    return rows_of([*left.headers, *wanted], rows)


def filter_rows(table: Table, column: str, keep: Iterable[str]) -> Table:
    allowed = {str(k) for k in keep}
    rows = [row.cells for row in table.rows if shown(table.value(row, column)) in allowed]
    return rows_of(table.headers, rows)


@dataclass(frozen=True)
class Level:
    """One level of a hierarchy spread over columns: the column of its names, the column of
    its codes (if the file has one), and the Rumbo level (country, region, zone, territory)."""

    name: str
    level: str
    code: str = ""


def tree_from_levels(table: Table, levels: Sequence[Level]) -> Table:
    """One row per node of the tree, parents before children. A level without a code column gets
    a code made from its path of names. Rows with a blank or "NA" level are left out."""
    nodes: dict[str, list[Cell]] = {}
    for row in table.rows:
        names = [table.value(row, lv.name) for lv in levels]
        if any(is_blank(n) or shown(n).strip() in NOT_APPLICABLE for n in names):
            continue
        parent = ""
        path: list[str] = []
        for lv, name in zip(levels, names, strict=True):
            path.append(shown(name))
            code = shown(table.value(row, lv.code)) if lv.code else path_code(path)
            nodes.setdefault(code, [code, shown(name), lv.level, parent])
            parent = code
    return rows_of(["code", "name", "level", "parent"], nodes.values())


def path_code(path: Sequence[str]) -> str:
    """'north-america-united-states' for ['North America', 'United States'], cut to fit a code."""
    code = slugify("-".join(path))
    if len(code) <= CODE_LENGTH:
        return code
    digest = hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{code[: CODE_LENGTH - 9]}-{digest}"
