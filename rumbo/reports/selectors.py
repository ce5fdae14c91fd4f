"""Read-only figures for the home page, all scoped through visible_to(user)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.orders.models import Order, OrderQuerySet
from rumbo.targets.models import Measure, Target, TargetQuerySet
from rumbo.territories.models import Assignment, AssignmentRole, Territory


@dataclass(frozen=True)
class HomeSummary:
    month: dt.date
    active_accounts: int
    prospects: int
    territories: list[Territory]
    orders_this_month: int
    sales_this_month: Decimal | None
    sales_same_month_last_year: Decimal | None
    target_this_month: Decimal | None
    recent_orders: list[Order]

    @property
    def attainment_pct(self) -> Decimal | None:
        if not self.target_this_month or self.sales_this_month is None:
            return None
        return (100 * self.sales_this_month / self.target_this_month).quantize(Decimal("0.1"))

    @property
    def growth_pct(self) -> Decimal | None:
        if not self.sales_same_month_last_year or self.sales_this_month is None:
            return None
        change = self.sales_this_month / self.sales_same_month_last_year - 1
        return (100 * change).quantize(Decimal("0.1"))


def _month_to_date(orders: OrderQuerySet, start: dt.date, end: dt.date) -> dict[str, Any]:
    return orders.filter(ordered_on__gte=start, ordered_on__lte=end).aggregate(
        n=Count("id"), amount=Sum("net_amount")
    )


def _own_targets(user: User, targets: TargetQuerySet) -> TargetQuerySet:
    """The targets that measure this user: a rep's own, a manager's territories, the company's."""
    if user.role == Role.REP:
        return targets.filter(rep=user)
    if user.role == Role.MANAGER:
        managed = Assignment.objects.active_on().filter(user=user, role=AssignmentRole.MANAGER)
        return targets.filter(territory_id__in=managed.values("territory_id"))
    return targets.filter(territory__depth=0)


def home_summary(user: User, today: dt.date | None = None) -> HomeSummary:
    today = today or timezone.localdate()
    month = today.replace(day=1)
    last_year = month.replace(year=month.year - 1)
    last_year_today = today.replace(year=today.year - 1, day=min(today.day, 28))
    accounts = Account.objects.visible_to(user).values("status").annotate(n=Count("id"))
    by_status = {row["status"]: row["n"] for row in accounts}
    sales = Order.objects.visible_to(user).sales()
    now = _month_to_date(sales, month, today)
    before = _month_to_date(sales, last_year, last_year_today)
    target = None
    if user.sees_amounts:
        targets = Target.objects.visible_to(user).filter(
            month=month, measure=Measure.AMOUNT, category__isnull=True
        )
        target = _own_targets(user, targets).aggregate(v=Sum("value"))["v"]
    return HomeSummary(
        month=month,
        active_accounts=by_status.get(Account.Status.ACTIVE, 0),
        prospects=by_status.get(Account.Status.PROSPECT, 0),
        territories=list(Territory.objects.visible_to(user).filter(level="territory")[:12]),
        orders_this_month=now["n"],
        sales_this_month=(now["amount"] or Decimal(0)) if user.sees_amounts else None,
        sales_same_month_last_year=before["amount"] if user.sees_amounts else None,
        target_this_month=target,
        recent_orders=list(
            Order.objects.visible_to(user)
            .select_related("account", "rep")
            .order_by("-ordered_on", "-id")[:8]
        ),
    )
