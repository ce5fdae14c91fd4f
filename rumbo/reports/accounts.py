"""The two lowest levels of the drill-down: a rep's accounts, and one account's orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from rumbo.customers.models import Account
from rumbo.orders.models import MonthlyCategorySales, MonthlySales, Order
from rumbo.reports import facts
from rumbo.reports.context import Context, Crumb
from rumbo.reports.lines import Figures, Line
from rumbo.reports.performance import (
    ACCOUNTS,
    Dashboard,
    add_total_target,
    covered_by,
    crumbs,
    fill,
    needed_months,
    query_string,
    rep_targets,
    set_targets,
    target_months,
    window,
)
from rumbo.reports.visits import VisitCounts, planned_visits, visit_counts
from rumbo.targets.selectors import category_parents, category_roots

ORDERS = "orders"
SLOT = 987654321987  # a stand-in account id, in no real URL


def rep_crumbs(ctx: Context) -> list[Crumb]:
    trail = crumbs(ctx)
    if ctx.rep is not None:
        args = [ctx.node.pk, ctx.rep.pk] if ctx.node else [ctx.rep.pk]
        name = "territory_rep" if ctx.node else "rep"
        url = reverse(f"reports:performance:{name}", args=args) + query_string(ctx)
        trail.append(Crumb(str(ctx.rep), url))
    return trail


def account_lines(ctx: Context, sheets: list[facts.AccountSheet]) -> list[Line]:
    """One line per account with sales in any of the periods, named and linked, with its
    visits now and a year earlier."""
    territory = ctx.node.pk if ctx.node else None
    rep = ctx.rep.pk if ctx.rep else None
    query = query_string(ctx, territory=territory, rep=rep)  # the same for every account
    # Hundreds of accounts: one reverse() with a stand-in id, the real ids put in its place.
    head, tail = reverse("reports:performance:account", args=[SLOT]).split(str(SLOT))
    lines = []
    for sheet in sheets:
        account_id, found = sheet.account_id, sheet.amounts
        url = f"{head}{account_id}{tail}{query}"
        line = Line(key=f"account-{account_id}", label=sheet.name or "?", kind="account",
                    note=sheet.code or "", url=url)  # fmt: skip
        for name, net in found.net.items():
            orders = found.orders[name]
            line.periods[name] = Figures(net, orders, 1 if orders else 0)
        line.won = int(bool(found.orders["now"]) and not found.orders["last_year"])
        line.lost = int(bool(found.orders["last_year"]) and not found.orders["now"])
        now = sheet.visits["now"]
        line.visits = VisitCounts(1, int(now > 0), now)
        line.visits_ly = sheet.visits["last_year"]
        lines.append(line)
    return lines


def rep_visits(ctx: Context, rep_id: int) -> VisitCounts:
    """The active accounts of the territories the rep covers (the accounts they are to visit),
    how many the rep visited in the period and how often, beside the visits planned."""
    org, territory_ids = ctx.organisation_id, covered_by(ctx, rep_id)
    groups = {"t": territory_ids}
    coverage = visit_counts(org, ctx.period, groups, rep_id).get("t", VisitCounts(0, 0, 0))
    planned = planned_visits(org, ctx.period, groups, "rep")
    return coverage.with_plan(planned.get(rep_id, 0.0) if planned else None)


def rep_dashboard(ctx: Context) -> Dashboard:
    """A rep's page: their totals against their target, and their accounts."""
    trend = window(ctx.period)
    rows = facts.month_rows(ctx.slice(), needed_months(ctx, trend), {})  # by month only
    total = Line(key="total", label=_("Total"), kind="total", threshold=ctx.threshold)
    fill({"t": total}, rows, lambda row: "t", ctx, trend)
    rep_id = ctx.rep_filter
    assert rep_id is not None
    months = target_months(ctx, trend)
    set_targets(total, rep_targets(ctx, [rep_id], months).get(rep_id, {}), ctx, trend)
    visit_periods = {"now": ctx.period, "last_year": ctx.period.last_year()}
    sheets = facts.account_sheets(ctx.slice(category_ids=None), ctx.periods, visit_periods, rep_id)
    lines = account_lines(ctx, sheets)
    for name in ctx.periods:
        total.periods[name].accounts = sum(1 for a in sheets if a.amounts.orders[name])
    total.won = sum(line.won or 0 for line in lines)
    total.lost = sum(line.lost or 0 for line in lines)
    total.visits = rep_visits(ctx, rep_id)
    lines.sort(key=lambda line: (-line.now.sales, -line.last_year.sales, line.label))
    title = str(ctx.rep or ctx.user)
    return Dashboard(ctx, title, ACCOUNTS, total, lines, trend, rep_crumbs(ctx))


@dataclass
class AccountPage:
    ctx: Context
    account: Account
    total: Line
    orders: list[Order]
    monthly: list[tuple[dt.date, Decimal, Decimal]]  # month, sales, same month last year
    categories: list[Line] = field(default_factory=list)
    breadcrumbs: list[Crumb] = field(default_factory=list)


def _account_sales(ctx: Context) -> Any:
    rows = MonthlySales.objects.filter(account=ctx.account)
    if ctx.territory_ids is not None:
        rows = rows.filter(territory_id__in=ctx.territory_ids)
    if ctx.rep_filter is not None:
        rows = rows.filter(rep_id=ctx.rep_filter)
    return rows


def account_page(ctx: Context) -> AccountPage:
    """One account: its sales in the period (credited to the page's territory and rep), the
    same months last year, its orders, and what it bought by category."""
    account = ctx.account
    assert account is not None
    trend = window(ctx.period)
    first = min(trend[0], ctx.period.last_year().first, ctx.period.previous().first)
    by_month = dict(
        _account_sales(ctx).filter(month__gte=first.replace(year=first.year - 1))
        .values("month").order_by().annotate(n=Sum("net_amount")).values_list("month", "n")
    )  # fmt: skip
    total = Line(key="total", label=account.trade_name or account.legal_name, kind="account")
    for name, period in ctx.periods.items():
        total.periods[name].sales = sum(
            (facts.money(by_month.get(m)) for m in period.months), Decimal(0)
        )
    monthly = [
        (m, facts.money(by_month.get(m)), facts.money(by_month.get(m.replace(year=m.year - 1))))
        for m in trend
    ]
    orders = (
        Order.objects.visible_to(ctx.user)
        .sales()
        .filter(account=account, ordered_on__gte=ctx.period.first, ordered_on__lt=ctx.period.end)
    )
    if ctx.territory_ids is not None:
        orders = orders.filter(territory_id__in=ctx.territory_ids)
    if ctx.rep_filter is not None:
        orders = orders.filter(rep_id=ctx.rep_filter)
    found = list(orders.select_related("rep").order_by("-ordered_on", "-id")[:500])
    total.periods["now"].orders = len(found)
    trail = rep_crumbs(ctx)
    trail.append(Crumb(total.label, ""))
    page = AccountPage(ctx, account, total, found, monthly, breadcrumbs=trail)
    page.categories = account_categories(ctx)
    return page


def account_categories(ctx: Context) -> list[Line]:
    """What the account bought by top-level category, now and a year earlier."""
    rows = MonthlyCategorySales.objects.filter(account=ctx.account)
    if ctx.territory_ids is not None:
        rows = rows.filter(territory_id__in=ctx.territory_ids)
    if ctx.rep_filter is not None:
        rows = rows.filter(rep_id=ctx.rep_filter)
    periods = ctx.periods
    months = sorted({m for p in periods.values() for m in p.months})
    sums = (
        rows.filter(month__in=months).values("category_id", "category__name", "month")
        .order_by().annotate(n=Sum("net_amount"))
    )  # fmt: skip
    roots = category_roots(category_parents(ctx.organisation_id))
    lines: dict[int, Line] = {}
    names: dict[int, str] = {}
    for row in sums:
        names[row["category_id"]] = row["category__name"]
    from rumbo.catalog.models import Category

    root_names = dict(Category.objects.filter(pk__in=set(roots.values())).values_list("pk", "name"))
    for row in sums:
        root = roots.get(row["category_id"], row["category_id"])
        line = lines.setdefault(
            root, Line(key=f"category-{root}", label=root_names.get(root, "?"), kind="category")
        )
        for name, period in periods.items():
            if row["month"] in period:
                line.periods[name].sales += facts.money(row["n"])
                line.periods[name].orders = None
    return sorted(lines.values(), key=lambda line: -line.now.sales)


def owner_summary(ctx: Context) -> Dashboard:
    """The page owner's totals only (no rows): sales, target and visit coverage of the
    territory, or of the rep when the page is a rep's. For the gap bridge."""
    trend = window(ctx.period)
    rows = facts.month_rows(ctx.slice(), needed_months(ctx, trend), {})  # by month only
    total = Line(key="total", label=_("Total"), kind="total", threshold=ctx.threshold)
    fill({"t": total}, rows, lambda row: "t", ctx, trend)
    add_total_target(ctx, total, target_months(ctx, trend), trend)
    org, rep_id = ctx.organisation_id, ctx.rep_filter
    if rep_id is not None:
        total.visits = rep_visits(ctx, rep_id)
    else:
        groups = {"t": [t.pk for t in ctx.subtree]}
        base = ctx.cached(
            "visits", (org, ctx.period, groups), lambda: visit_counts(org, ctx.period, groups),
            visits=True,
        ).get("t")  # fmt: skip
        planned = planned_visits(org, ctx.period, groups, "territory")
        total.visits = base.with_plan(planned.get("t", 0.0) if planned else None) if base else None
    if ctx.rep is not None:
        title, trail = str(ctx.rep), rep_crumbs(ctx)
    else:
        title, trail = (ctx.node.name if ctx.node else _("All territories")), crumbs(ctx)
    return Dashboard(ctx, title, ACCOUNTS if ctx.rep else "", total, [], trend, trail)
