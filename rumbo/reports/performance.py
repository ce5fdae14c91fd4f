"""The manager dashboard: a territory (or the user's whole scope) broken down one level, for a
period against the previous period and the same period last year.

Rows are the territories just below (region → zone → territory), then at a territory without
children its reps, then on a rep's page their accounts (rumbo.reports.accounts), then an
account's orders. Every query runs once per page, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rumbo.core.models import User
from rumbo.reports import facts
from rumbo.reports.context import Context, Crumb, tops, visible_ancestors
from rumbo.reports.counts import TOTAL, account_counts
from rumbo.reports.lines import Line
from rumbo.reports.periods import Period, add_months
from rumbo.reports.visits import (
    VisitCounts,
    planned_visits,
    visit_counts,
    visits_by_user,
)
from rumbo.targets.models import Measure
from rumbo.targets.selectors import (
    Value,
    explicit_targets,
    period_target,
    rolled_up,
)
from rumbo.territories.models import Territory

TERRITORIES, REPS, ACCOUNTS = "territories", "reps", "accounts"
WINDOW = 12  # months of the trend and the heat map, ending with the period


@dataclass
class Dashboard:
    ctx: Context
    title: str
    level: str
    total: Line
    rows: list[Line]
    window: list[dt.date]
    breadcrumbs: list[Crumb]
    categories: list[Line] = field(default_factory=list)

    @property
    def flagged(self) -> list[Line]:
        return [r for r in self.rows if r.flagged]


def window(period: Period) -> list[dt.date]:
    """The trend's months: the period, or the twelve months ending with it if it is shorter."""
    months = max(len(period), WINDOW)
    return [add_months(period.last, -i) for i in reversed(range(months))]


def needed_months(ctx: Context, trend: list[dt.date]) -> list[dt.date]:
    months: set[dt.date] = set(trend) | {add_months(m, -12) for m in trend}
    for period in ctx.periods.values():
        months |= set(period.months)
    return sorted(months)


def query_string(ctx: Context, **extra: Any) -> str:
    params = {"period": ctx.period.param}
    if ctx.measure != Measure.AMOUNT:
        params["measure"] = ctx.measure
    if ctx.category is not None:
        params["category"] = str(ctx.category.pk)
    params |= {k: str(v) for k, v in extra.items() if v is not None}
    return "?" + urlencode(params)


def crumbs(ctx: Context) -> list[Crumb]:
    """Performance › the visible ancestors of the node › the node."""
    q = query_string(ctx)
    trail = [Crumb(_("Performance"), reverse("reports:performance:index") + q)]
    if ctx.node is None:
        return trail
    above = visible_ancestors(ctx.node, ctx)
    for t in [*above, ctx.node]:
        trail.append(Crumb(t.name, reverse("reports:performance:territory", args=[t.pk]) + q))
    return trail


def _sales(row: facts.MonthRow, measure: str) -> Decimal:
    return row.net if measure == Measure.AMOUNT else row.quantity


def fill(
    lines: dict[Any, Line],
    rows: list[facts.MonthRow],
    key_of: Any,
    ctx: Context,
    trend: list[dt.date],
) -> None:
    """Add each month row's sales, orders and accounts to its line, per period and month."""
    trend_set = set(trend) | {add_months(m, -12) for m in trend}
    periods = ctx.periods.items()
    for row in rows:
        line = lines.get(key_of(row))
        if line is None:
            continue
        sales = _sales(row, ctx.measure)
        if row.month in trend_set:
            line.monthly[row.month] += sales
        for name, period in periods:
            if row.month in period:
                figures = line.periods[name]
                figures.sales += sales
                if row.orders is None:
                    figures.orders = None
                elif figures.orders is not None:
                    figures.orders += row.orders


def target_months(ctx: Context, trend: list[dt.date]) -> list[dt.date]:
    months = set(trend)
    for period in [*ctx.periods.values(), *([ctx.full_period] if ctx.full_period else [])]:
        months |= set(period.months)
    return sorted(months)


def set_targets(line: Line, values: dict[dt.date, Any], ctx: Context, trend: list[dt.date]) -> None:
    line.target, line.target_source = period_target(values, ctx.period.months)
    line.target_ly = period_target(values, ctx.period.last_year().months)[0]
    if ctx.full_period is not None:
        line.target_full = period_target(values, ctx.full_period.months)[0]
    line.monthly_target = {m: values[m].amount for m in trend if m in values}


def territory_targets(ctx: Context, months: list[dt.date]) -> dict[int, dict[dt.date, Any]]:
    category_id = ctx.category.pk if ctx.category else None
    explicit = explicit_targets(
        [t.pk for t in ctx.subtree], months=months, measure=ctx.measure, category_id=category_id
    )
    return rolled_up(ctx.subtree, explicit)


def rep_targets(
    ctx: Context, rep_ids: Iterable[int], months: list[dt.date]
) -> dict[int, dict[dt.date, Any]]:
    category_id = ctx.category.pk if ctx.category else None
    explicit = explicit_targets(
        (), rep_ids, months=months, measure=ctx.measure, category_id=category_id
    )
    return {
        key[1]: {m: Value(v, True) for m, v in values.items()} for key, values in explicit.items()
    }


def children_of(ctx: Context) -> list[Territory]:
    if ctx.node is None:
        return tops(ctx.subtree)
    return sorted(
        (t for t in ctx.subtree if t.parent_id == ctx.node.pk), key=lambda t: (t.name, t.pk)
    )


def _link(name: str, ctx: Context, *args: int, **extra: Any) -> str:
    return reverse(f"reports:performance:{name}", args=args) + query_string(ctx, **extra)


def territory_lines(
    ctx: Context, children: list[Territory]
) -> tuple[dict[Any, Line], dict[Any, list[int | None]]]:
    """One line per child territory (with its subtree), plus the node's own sales if any; and
    the territories whose sales each line adds up (None: sales credited to none)."""
    groups: dict[Any, list[int | None]] = {}
    lines: dict[Any, Line] = {}
    for child in children:
        lines[child.pk] = Line(
            key=f"territory-{child.pk}", label=child.name, kind="territory",
            url=_link("territory", ctx, child.pk), gap_url=_link("territory_gap", ctx, child.pk),
        )  # fmt: skip
        groups[child.pk] = [t.pk for t in ctx.subtree if t.path.startswith(child.path)]
    if ctx.node is not None:
        groups["direct"] = [ctx.node.pk]
        lines["direct"] = Line(
            key="direct", label=_("%(name)s (itself)") % {"name": ctx.node.name}, kind="direct"
        )
    elif ctx.territory_ids is None:
        groups["none"] = [None]
        lines["none"] = Line(key="none", label=_("No territory"), kind="none")
    return lines, groups


def rep_lines(ctx: Context, rep_ids: Iterable[int]) -> dict[Any, Line]:
    node = ctx.node
    assert node is not None
    people = {u.pk: u for u in User.objects.filter(pk__in=[i for i in rep_ids if i])}
    lines: dict[Any, Line] = {}
    for rep_id in rep_ids:
        person = people.get(rep_id) if rep_id else None
        lines[rep_id] = Line(
            key=f"rep-{rep_id or 0}",
            label=str(person) if person else _("No rep"),
            kind="rep" if person else "none",
            url=_link("territory_rep", ctx, node.pk, rep_id) if person else "",
            gap_url=_link("rep_gap", ctx, rep_id, territory=node.pk) if person else "",
            note="" if person is None or person.is_active else _("no longer active"),
        )
    return lines


def prune(lines: dict[Any, Line]) -> list[Line]:
    """The lines worth showing: child territories always; the rest when they have figures."""
    keep = []
    for line in lines.values():
        empty = not any(f.sales or f.orders for f in line.periods.values())
        if line.kind in ("direct", "none") and empty and line.target is None:
            continue
        keep.append(line)
    return keep


def dashboard(ctx: Context) -> Dashboard:
    """The page of a territory (or of the user's scope): totals and one row per child
    territory, or per rep at a territory without children."""
    trend = window(ctx.period)
    months = needed_months(ctx, trend)
    children = children_of(ctx)
    level = TERRITORIES if children or ctx.node is None else REPS
    key_of: Any
    if level == TERRITORIES:
        lines, groups = territory_lines(ctx, children)
        rows = facts.month_rows(ctx.slice(), months, groups)  # summed by line in the database
        key_of = attrgetter("group")
    else:
        rows = facts.month_rows(ctx.slice(), months)
        rep_ids = sorted({r.rep_id or 0 for r in rows} | _assigned_reps(ctx), key=str)
        if ctx.own_only:
            rep_ids = [ctx.user.pk]
        lines, key_of = rep_lines(ctx, rep_ids), (lambda row: row.rep_id or 0)
    total = Line(key="total", label=_("Total"), kind="total")
    fill(lines, rows, key_of, ctx, trend)
    fill({"t": total}, rows, lambda row: "t", ctx, trend)
    _add_targets(ctx, level, lines, total, target_months(ctx, trend), trend)
    if ctx.category_ids is None:
        _add_accounts(ctx, level, lines, total)
        _add_visits(ctx, level, lines, total)
    for line in [*lines.values(), total]:
        line.threshold = ctx.threshold
    shown = prune(lines)
    if level == REPS:
        shown.sort(key=lambda line: (-line.now.sales, line.label))
    title = ctx.node.name if ctx.node else _("All territories")
    return Dashboard(ctx, title, level, total, shown, trend, crumbs(ctx))


def _assigned_reps(ctx: Context) -> set[int]:
    from rumbo.territories.models import Assignment

    if ctx.node is None:
        return set()
    return set(
        Assignment.objects.active_on(ctx.today)
        .filter(territory=ctx.node, role="rep")
        .values_list("user_id", flat=True)
    )


def add_total_target(
    ctx: Context, total: Line, months: list[dt.date], trend: list[dt.date]
) -> dict[int, dict[dt.date, Any]]:
    """The target of the page's owner: the rep's own on a rep's page (or for a rep), else the
    territory's effective one (the sum of the top territories without a node). Returns the
    effective targets of the subtree (empty for a rep)."""
    if ctx.own_only or ctx.rep is not None:
        rep_id = ctx.rep_filter
        assert rep_id is not None
        set_targets(total, rep_targets(ctx, [rep_id], months).get(rep_id, {}), ctx, trend)
        return {}
    effective = territory_targets(ctx, months)
    summed: dict[dt.date, Value] = {}
    for territory in [ctx.node] if ctx.node else tops(ctx.subtree):
        for month, value in effective.get(territory.pk, {}).items():
            before = summed.get(month)
            summed[month] = value if before is None else Value(
                before.amount + value.amount, before.explicit and value.explicit
            )  # fmt: skip
    set_targets(total, summed, ctx, trend)
    return effective


def _add_targets(
    ctx: Context, level: str, lines: dict[Any, Line], total: Line, months: list[dt.date],
    trend: list[dt.date],
) -> None:  # fmt: skip
    effective = add_total_target(ctx, total, months, trend)
    if ctx.own_only or ctx.rep is not None:
        rep_id = ctx.rep_filter
        if level == REPS and rep_id in lines:
            lines[rep_id].target, lines[rep_id].target_source = total.target, total.target_source
            lines[rep_id].monthly_target = total.monthly_target
        return
    if level == TERRITORIES:
        for key, line in lines.items():
            if isinstance(key, int):
                set_targets(line, effective.get(key, {}), ctx, trend)
    else:
        targets = rep_targets(ctx, [k for k in lines if k], months)
        for key, line in lines.items():
            set_targets(line, targets.get(key, {}), ctx, trend)


def _groups(lines: dict[Any, Line], ctx: Context) -> dict[Any, list[int]]:
    groups: dict[Any, list[int]] = {}
    for key in lines:
        if isinstance(key, int):
            child = next(t for t in ctx.subtree if t.pk == key)
            groups[key] = [t.pk for t in ctx.subtree if t.path.startswith(child.path)]
        elif key == "direct" and ctx.node is not None:
            groups[key] = [ctx.node.pk]
    return groups


def _sales_groups(lines: dict[Any, Line], ctx: Context) -> dict[Any, list[Any]]:
    """The groups of credited territories, with sales credited to none as their own group."""
    groups: dict[Any, list[Any]] = dict(_groups(lines, ctx))
    if "none" in lines:
        groups["none"] = [None]
    return groups


def _add_accounts(ctx: Context, level: str, lines: dict[Any, Line], total: Line) -> None:
    where, periods = ctx.slice(), ctx.periods
    if level == TERRITORIES:
        group_by, groups = "territory", _sales_groups(lines, ctx)
    else:
        group_by, groups = "rep", {k: [k] for k in lines if k}
    counts = ctx.cached(
        "accounts", (where, periods, group_by, groups),
        lambda: account_counts(where, periods, group_by, groups),
    )  # fmt: skip
    for key, line in lines.items():
        line.add_counts(counts.get(key))
    total.add_counts(counts.get(TOTAL))


def covered_by(ctx: Context, rep_id: int) -> list[int]:
    """The territories of the page the rep covers now (with their subtrees)."""
    from rumbo.territories.models import Assignment

    paths = list(
        Assignment.objects.active_on(ctx.today)
        .filter(user_id=rep_id, role="rep", territory__organisation_id=ctx.organisation_id)
        .values_list("territory__path", flat=True)
    )
    return [t.pk for t in ctx.subtree if any(t.path.startswith(p) for p in paths)]


def _add_visits(ctx: Context, level: str, lines: dict[Any, Line], total: Line) -> None:
    org = ctx.organisation_id
    all_ids = [t.pk for t in ctx.subtree]
    if ctx.own_only and ctx.rep_filter is not None:
        all_ids = covered_by(ctx, ctx.rep_filter)
    if level == TERRITORIES and not ctx.own_only:
        # Each account is in one territory now, and the groups cover the whole subtree.
        groups = _groups(lines, ctx)
        found = ctx.cached(
            "visits", (org, ctx.period, groups),
            lambda: visit_counts(org, ctx.period, groups), visits=True,
        )  # fmt: skip
        # Not cached: segments change without the rollups' version changing.
        planned = planned_visits(org, ctx.period, groups, by="territory")
        for key, line in lines.items():
            counts = found.get(key)
            line.visits = counts.with_plan(_plan(planned, key)) if counts else None
        total.visits = VisitCounts(
            sum(v.accounts for v in found.values()),
            sum(v.visited for v in found.values()),
            sum(v.visits for v in found.values()),
            sum(planned.values()) if planned else None,
        )
        return
    base = visit_counts(org, ctx.period, {"total": all_ids}).get("total")
    people = [k for k in lines if k] if level == REPS else []
    if ctx.rep_filter is not None:
        people = [ctx.rep_filter]
    by_user = visits_by_user(org, ctx.period, all_ids, people)
    planned = planned_visits(org, ctx.period, {"total": all_ids}, by="rep")
    accounts = base.accounts if base else 0
    for rep_id in people:
        seen, n = by_user.get(rep_id, (0, 0))
        if rep_id in lines:
            lines[rep_id].visits = VisitCounts(accounts, seen, n, _plan(planned, rep_id))
    if ctx.rep_filter is not None:
        seen, n = by_user.get(ctx.rep_filter, (0, 0))
        total.visits = VisitCounts(accounts, seen, n, _plan(planned, ctx.rep_filter))
    else:
        total.visits = base.with_plan(sum(planned.values()) if planned else None) if base else None


def _plan(planned: dict[Any, float], key: Any) -> float | None:
    """A group's planned visits; None when nothing in the period was segmented."""
    return planned.get(key, 0.0) if planned else None
