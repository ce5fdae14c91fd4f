"""Targets as an Excel file in the layout the targets import reads back (one row per owner,
measure and category, a column per month), so a file exported, edited and imported again
changes exactly the cells that were edited."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rumbo.core.models import User
from rumbo.targets.models import Target
from rumbo.territories.models import Assignment, Territory
from rumbo.territories.scoping import scope_for


def _people_in(territories: list[Territory], year: int, user: User) -> set[int]:
    """Who was assigned to any of these territories during the year, and the user may see."""
    first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    ids = set(
        Assignment.objects.filter(territory__in=territories, valid_from__lt=after)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .values_list("user_id", flat=True)
    )
    visible = scope_for(user).user_ids
    return ids if visible is None else ids & visible


def export_rows(user: User, territory: Territory, year: int) -> list[list[Any]]:
    """The header and one row per territory or rep, measure and category with a target."""
    subtree = list(Territory.objects.visible_to(user).filter(path__startswith=territory.path))
    people = _people_in(subtree, year, user)
    targets = (
        Target.objects.visible_to(user)
        .filter(Q(territory__in=subtree) | Q(rep_id__in=people), month__year=year)
        .select_related("territory", "rep__rep_profile", "category")
    )
    grouped: dict[tuple[Any, ...], dict[int, Decimal]] = defaultdict(dict)
    for t in targets:
        rep_code = ""
        if t.rep is not None:
            profile = getattr(t.rep, "rep_profile", None)
            rep_code = profile.code if profile is not None else t.rep.username
        key = (
            t.territory.path if t.territory else "~",
            t.territory.code if t.territory else "",
            rep_code,
            t.measure,
            t.category.code if t.category else "",
        )
        grouped[key][t.month.month] = t.value
    header = [_("Territory"), _("Rep"), _("Year"), _("Measure"), _("Category")]
    header += [f"M{m:02d}" for m in range(1, 13)]
    rows: list[list[Any]] = [header]
    for (_path, code, rep_code, measure, category), months in sorted(grouped.items()):
        values = [months.get(m) for m in range(1, 13)]
        rows.append([code, rep_code, year, measure, category, *values])
    return rows


def workbook(rows: list[list[Any]], title: str) -> bytes:
    """An .xlsx file of one sheet: a bold header row, then the rows as they are."""
    book = Workbook()
    sheet: Any = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
