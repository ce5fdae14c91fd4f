"""The rep's own view: my month, my attainment and pace, my accounts ranked by change, my gap
and the orders that would close it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from rumbo.reports.accounts import rep_dashboard
from rumbo.reports.context import Context
from rumbo.reports.gap import Bridge, bridge
from rumbo.reports.lines import Line, ratio_pct
from rumbo.reports.performance import Dashboard
from rumbo.reports.periods import month_period

SUNDAY = 6


def working_days(first: dt.date, last: dt.date) -> int:
    """Monday to Saturday from `first` to `last`, both included."""
    days = (last - first).days + 1
    return sum(1 for i in range(max(days, 0)) if (first + dt.timedelta(i)).weekday() != SUNDAY)


@dataclass
class Closer:
    """An account whose usual order would close part of the gap."""

    line: Line
    amount: Decimal
    reason: str  # "lost": nothing yet this period; "declining": below last year
    cumulative: Decimal = Decimal(0)


@dataclass
class RepView:
    ctx: Context
    data: Dashboard
    bridge: Bridge
    falling: list[Line]
    rising: list[Line]
    closers: list[Closer] = field(default_factory=list)
    days_left: int = 0
    days_total: int = 0

    @property
    def remaining(self) -> Decimal | None:
        """What is still missing to reach the target (None without one, 0 when reached)."""
        target = self.data.total.target
        if target is None:
            return None
        return max(target - self.data.total.now.sales, Decimal(0))

    @property
    def per_day(self) -> Decimal | None:
        remaining = self.remaining
        if not remaining or not self.days_left:
            return None
        return (remaining / self.days_left).quantize(Decimal("0.01"))

    @property
    def pace_target(self) -> Decimal | None:
        """The share of the target due by today, by working days elapsed."""
        target = self.data.total.target
        if target is None or not self.days_total:
            return None
        done = self.days_total - self.days_left
        return (target * done / self.days_total).quantize(Decimal("0.01"))

    @property
    def pace_pct(self) -> Decimal | None:
        return ratio_pct(self.data.total.now.sales, self.pace_target)

    @property
    def closes_gap(self) -> bool:
        remaining = self.remaining
        return (
            bool(self.closers)
            and remaining is not None
            and (self.closers[-1].cumulative >= remaining)
        )


def closers(lines: list[Line], remaining: Decimal, limit: int = 15) -> list[Closer]:
    """Accounts that bought in the same period last year but not yet now (their usual order),
    then those below last year (their shortfall), biggest first, until the gap is covered."""
    lost = [Closer(x, x.last_year.sales, "lost") for x in lines
            if x.last_year.sales > 0 and x.now.sales <= 0]  # fmt: skip
    down = [Closer(x, x.last_year.sales - x.now.sales, "declining") for x in lines
            if x.now.sales > 0 and x.now.sales < x.last_year.sales]  # fmt: skip
    chosen: list[Closer] = []
    total = Decimal(0)
    for closer in sorted(lost, key=lambda c: -c.amount) + sorted(down, key=lambda c: -c.amount):
        if total >= remaining or len(chosen) >= limit:
            break
        total += closer.amount
        closer.cumulative = total
        chosen.append(closer)
    return chosen


def rep_view(ctx: Context) -> RepView:
    if not ctx.period_given:
        ctx.period = month_period(ctx.today)
    data = rep_dashboard(ctx)
    result = bridge(ctx, data.total.target)
    ranked = sorted(data.rows, key=lambda line: line.difference_ly)
    view = RepView(
        ctx, data, result,
        falling=[x for x in ranked if x.difference_ly < 0][:10],
        rising=[x for x in reversed(ranked) if x.difference_ly > 0][:10],
    )  # fmt: skip
    last = ctx.period.end - dt.timedelta(days=1)
    view.days_total = working_days(ctx.period.first, last)
    if ctx.period.in_progress(ctx.today):
        view.days_left = working_days(ctx.today, last)
    elif ctx.today < ctx.period.first:
        view.days_left = view.days_total
    remaining = view.remaining
    if remaining:
        view.closers = closers(data.rows, remaining)
    return view
