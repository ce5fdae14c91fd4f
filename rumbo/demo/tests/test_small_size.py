"""The size `make run` loads: ~2,000 accounts, 15 reps, three years (about 10 s on SQLite)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.db.models import Sum

from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.demo.services import load_demo
from rumbo.demo.sizes import SIZES
from rumbo.orders.models import SALES_STATUSES, Order, OrderLine
from rumbo.targets.models import Target

pytestmark = pytest.mark.django_db


def test_the_small_company_loads_with_three_years_of_seasonal_growing_sales() -> None:
    report = load_demo(size=SIZES["small"], seed=1, end=dt.date(2026, 10, 31))
    org = report.organisation
    assert Account.objects.filter(organisation=org).count() == 2_000
    assert User.objects.filter(organisation=org, role=Role.REP, is_active=True).count() == 15
    assert (
        report.rows["orders.OrderLine"]
        == OrderLine.objects.filter(order__organisation=org).count()
        > 300_000
    )
    sales = Order.objects.filter(organisation=org, status__in=SALES_STATUSES)
    by_month = {
        (y, m): net
        for y, m, net in sales.values_list("ordered_on__year", "ordered_on__month").annotate(
            net=Sum("net_amount")
        )
    }
    assert len(by_month) == 36
    for year in (2024, 2025):
        mean = sum(by_month[(year, m)] for m in range(1, 13)) / 12
        assert by_month[(year, 12)] > Decimal("1.15") * mean
    first_year = sum(v for (y, m), v in by_month.items() if (y, m) < (2024, 11))
    last_year = sum(v for (y, m), v in by_month.items() if (y, m) >= (2025, 11))
    assert Decimal("1.05") < last_year / first_year < Decimal("1.5")  # gentle growth
    per_account = sorted(
        sales.values("account").annotate(n=Sum("net_amount")).values_list("n", flat=True),
        reverse=True,
    )
    top = sum(per_account[: math.ceil(len(per_account) / 5)]) / sum(per_account)
    assert Decimal("0.65") < top < Decimal("0.85")
    assert Target.objects.filter(organisation=org, rep__isnull=False).exists()
