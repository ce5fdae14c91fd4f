"""Rumbo's actual, target and attainment on data nobody here wrote: the AdventureWorks slice of
rumbo/imports/tests/data, imported through the ordinary import path. Every expected figure is
computed below from the CSV files with the csv module alone.

The targets file has one row per rep (by national id) and calendar year, with columns M01 … M12
in thousands of USD ("-": none). The company's fiscal year starts on 1 July, so fiscal 2020 is
July 2019 to June 2020: months of two rows of the file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.http import QueryDict

from rumbo.core.models import Role, User
from rumbo.imports.tests.conftest import DATA, load_source, read_csv
from rumbo.reports.accounts import rep_dashboard
from rumbo.reports.context import build
from rumbo.reports.performance import dashboard
from rumbo.territories.models import Territory
from rumbo.testing import OrganisationFactory, person

pytestmark = pytest.mark.django_db
AW = DATA / "adventureworks"
REPS = ("292", "293", "295")  # Ranjit Varkey Chudukatil, Tete Mensa-Annan, Rachel Valdez


def months_of(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class Expected:
    """Sales and targets per rep (EmployeeKey) and month, straight from the files."""

    def __init__(self) -> None:
        self.sales: dict = defaultdict(Decimal)
        for line in read_csv(AW / "FactResellerSales.csv"):
            day = dt.date.fromisoformat(line["OrderDate"])
            self.sales[(line["EmployeeKey"], day.replace(day=1))] += Decimal(line["SalesAmount"])
        national = {
            row["EmployeeNationalIDAlternateKey"]: row["EmployeeKey"]
            for row in read_csv(AW / "dw2014" / "DimEmployee.csv")
        }
        self.targets: dict = {}
        for row in read_csv(AW / "ResellerSalesTargets.csv"):
            for m in range(1, 13):
                if row[f"M{m:02d}"] != "-":
                    key = (national[row["EmployeeID"]], dt.date(int(row["Year"]), m, 1))
                    self.targets[key] = Decimal(row[f"M{m:02d}"]) * 1000

    def figures(self, rep: str, months: list[dt.date]) -> tuple[Decimal, Decimal | None]:
        actual = sum((self.sales.get((rep, m), Decimal(0)) for m in months), Decimal(0))
        found = [self.targets[(rep, m)] for m in months if (rep, m) in self.targets]
        return actual, (sum(found, Decimal(0)) if found else None)


def attainment(actual: Decimal, target: Decimal) -> Decimal:
    return (100 * actual / target).quantize(Decimal("0.1"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def imported(django_db_setup: None, django_db_blocker: Any) -> Iterator[User]:
    """The slice, imported once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        org = OrganisationFactory.create(name="Adventure Works", slug="aw")
        admin = person("aw-admin", "Ada", org, Role.ADMIN)
        load_source("adventureworks", org, admin)
        yield admin
        transaction.set_rollback(True)


@pytest.fixture
def adventureworks(imported: User, db: None) -> User:
    return imported


PERIODS = [
    ("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 1)),
    ("2019-11", dt.date(2019, 11, 1), dt.date(2019, 11, 1)),
    ("2019-12", dt.date(2019, 12, 1), dt.date(2019, 12, 1)),
    ("2019-Q4", dt.date(2019, 10, 1), dt.date(2019, 12, 1)),
    ("2019-07..2020-06", dt.date(2019, 7, 1), dt.date(2020, 6, 1)),  # fiscal 2020
]


@pytest.mark.parametrize(("period", "first", "last"), PERIODS)
def test_each_reps_actual_target_and_attainment_match_the_files(
    adventureworks, period, first, last
):
    expected = Expected()
    months = months_of(first, last)
    for key in REPS:
        rep = User.objects.get(username=f"aw{key}", organisation=adventureworks.organisation)
        ctx = build(adventureworks, QueryDict(f"period={period}"), rep_id=rep.pk,
                    today=dt.date(2020, 7, 15))  # fmt: skip
        total = rep_dashboard(ctx).total
        actual, target = expected.figures(key, months)
        assert target is not None and actual > 0
        assert total.now.sales == actual, (key, period)
        assert total.target == target, (key, period)
        assert total.attainment == attainment(actual, target), (key, period)


def test_the_same_month_a_year_earlier_has_targets_but_no_sales_in_the_slice(adventureworks):
    expected = Expected()
    rep = User.objects.get(username="aw293", organisation=adventureworks.organisation)
    ctx = build(adventureworks, QueryDict("period=2019-10"), rep_id=rep.pk)
    total = rep_dashboard(ctx).total
    assert total.last_year.sales == 0 and total.growth is None
    assert total.target_ly == expected.targets[("293", dt.date(2018, 10, 1))] == Decimal("250000")


def test_a_territory_breaks_down_into_the_reps_who_sold_there(adventureworks):
    """Northwest (SalesTerritoryKey 1): Tete Mensa-Annan's sales and target, as in the files."""
    expected = Expected()
    northwest = Territory.objects.get(organisation=adventureworks.organisation, code="1")
    ctx = build(adventureworks, QueryDict("period=2019-Q4"), territory_id=northwest.pk)
    data = dashboard(ctx)
    rows = {r.label: r for r in data.rows}
    tete = rows["Tete Mensa-Annan"]
    actual, target = expected.figures("293", months_of(dt.date(2019, 10, 1), dt.date(2019, 12, 1)))
    assert (tete.now.sales, tete.target) == (actual, target)
    lines = read_csv(AW / "FactResellerSales.csv")
    in_territory = sum(Decimal(x["SalesAmount"]) for x in lines if x["SalesTerritoryKey"] == "1")
    assert data.total.now.sales == in_territory
    orders = {x["SalesOrderNumber"] for x in lines if x["SalesTerritoryKey"] == "1"}
    assert data.total.now.orders == len(orders)
