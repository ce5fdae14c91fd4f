"""The page's sales by product category: top-level categories, or the categories just below
the one the page is filtered by; with their targets where some were set per category."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from rumbo.catalog.models import Category
from rumbo.reports import facts
from rumbo.reports.context import Context
from rumbo.reports.lines import Line
from rumbo.reports.performance import query_string
from rumbo.targets.models import Target
from rumbo.targets.selectors import Value, category_parents, period_target, rolled_up


def _heads(ctx: Context, parents: dict[int, int | None]) -> dict[int, int]:
    """Each category → the row it adds to: its top-level category; or, when the page is
    filtered by a category, the child of that category it sits under (or the category)."""
    top = ctx.category.pk if ctx.category else None
    heads: dict[int, int] = {}
    for pk in parents:
        chain = [pk]  # the category and its ancestors, nearest first
        while parents.get(chain[-1]) is not None and len(chain) <= len(parents):
            chain.append(parents[chain[-1]])  # type: ignore[arg-type]
        if top is None:
            heads[pk] = chain[-1]
        elif pk == top:
            heads[pk] = top
        elif top in chain:
            heads[pk] = chain[chain.index(top) - 1]
    return heads


def category_lines(ctx: Context) -> list[Line]:
    """One line per category (see the module's doc) with sales in any of the periods."""
    parents = category_parents(ctx.organisation_id)
    heads = _heads(ctx, parents)
    months = sorted({m for p in ctx.periods.values() for m in p.months})
    field = "net_amount" if ctx.measure == "amount" else "quantity"
    rows = facts.category_rows(ctx.slice(), months, field)  # a few thousand rows at most
    names = dict(Category.objects.filter(pk__in=set(heads.values())).values_list("pk", "name"))
    lines: dict[int, Line] = {}
    for category_id, month, net in rows:
        head = heads.get(category_id)
        if head is None:
            continue
        line = lines.get(head)
        if line is None:
            line = lines[head] = Line(
                key=f"category-{head}", label=names.get(head, "?"), kind="category",
                url=query_string(ctx, category=head) if head != (ctx.category and ctx.category.pk)
                else "",
            )  # fmt: skip
        for name, period in ctx.periods.items():
            if month in period:
                line.periods[name].sales += net
                line.periods[name].orders = None
    _add_targets(ctx, lines)
    total = sum((line.now.sales for line in lines.values()), Decimal(0))
    for line in lines.values():
        line.note = str((100 * line.now.sales / total).quantize(Decimal("0.1"))) if total else ""
    return sorted(lines.values(), key=lambda line: -line.now.sales)


def _add_targets(ctx: Context, lines: dict[int, Line]) -> None:
    """Targets set per category for the page's territory subtree or rep, if any."""
    months = ctx.period.months
    rows = Target.objects.filter(
        organisation_id=ctx.organisation_id, month__in=months, measure=ctx.measure,
        category_id__in=list(lines),
    )  # fmt: skip
    rep_id = ctx.rep_filter
    if rep_id is not None:
        rows = rows.filter(rep_id=rep_id)
    else:
        rows = rows.filter(territory_id__in=[t.pk for t in ctx.subtree])
    explicit: dict[int, dict[tuple[str, int], dict[dt.date, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for t in rows:
        owner = ("rep", t.rep_id) if t.rep_id else ("territory", t.territory_id)
        explicit[t.category_id][owner][t.month] = t.value  # type: ignore[index]
    for category_id, found in explicit.items():
        line = lines[category_id]
        values: dict[dt.date, Any]
        if rep_id is not None:
            values = {m: Value(v, True) for m, v in found.get(("rep", rep_id), {}).items()}
        else:
            effective = rolled_up(ctx.subtree, found)
            owner_ids = [ctx.node.pk] if ctx.node else [t.pk for t in ctx.subtree if
                                                          t.parent_id is None]  # fmt: skip
            values = {}
            for pk in owner_ids:
                for month, value in effective.get(pk, {}).items():
                    values[month] = value
        line.target, line.target_source = period_target(values, months)
        line.threshold = ctx.threshold
