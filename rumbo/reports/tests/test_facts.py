"""The reads that take a shortcut equal the plain ones: each account's amounts for the gap
bridge from one row per account, a region's sales by category from one row per territory and
year, a dashboard's months summed by row in the database."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from rumbo.reports import facts
from rumbo.reports.facts import Slice
from rumbo.reports.models import TerritoryCategorySales
from rumbo.reports.tests.conftest import periods_of, subtree

pytestmark = pytest.mark.django_db


def slices(cast) -> dict[str, Slice]:
    org = cast.org.pk
    return {
        "everything": Slice(org),
        "credited": Slice(org, credited=True),
        "lima": Slice(org, territory_ids=frozenset(subtree(cast, "lima"))),
        "ln1": Slice(org, territory_ids=frozenset(subtree(cast, "ln1"))),
    }


@pytest.mark.parametrize("period", ["2024-05", "2024-Q2", "2024", "2025-03", "2025"])
@pytest.mark.parametrize("name", ["everything", "credited", "lima", "ln1"])
def test_account_pairs_from_one_row_per_account_equal_those_from_account_years(moved, period, name):
    where = slices(moved.cast)[name]
    now = periods_of(period)["now"]
    fast = facts.account_pairs(where, now, now.last_year())
    assert fast == facts._account_pairs(where, now, now.last_year())
    assert all(isinstance(a, int) and isinstance(b, int) for a, b in fast.values())


def test_account_pairs_are_in_centimos(moved):
    cast = moved.cast
    now = periods_of("2024-05")["now"]
    pairs = facts.account_pairs(slices(cast)["ln1"], now, now.last_year())
    # Rosita 150 → 100, El Sol 0 → 80, Market Surco 20 through Lima Norte 1 (S/ 2.00 a cola).
    assert pairs == {
        cast.accounts["alicia_1"].pk: (15000, 10000),
        cast.accounts["alicia_2"].pk: (0, 8000),
        cast.accounts["bruno_2"].pk: (2000, 0),
    }


def category_sums(where: Slice, months: list) -> list[tuple]:
    rows = TerritoryCategorySales.objects.filter(organisation_id=where.organisation_id,
                                                 month__in=months)  # fmt: skip
    if where.territory_ids is not None:
        rows = rows.filter(territory_id__in=where.territory_ids)
    elif where.credited:
        rows = rows.filter(territory_id__isnull=False)
    sums: dict = defaultdict(Decimal)
    for row in rows:
        sums[(row.category_id, row.month)] += row.net_amount
    return sorted((c, m, n) for (c, m), n in sums.items())


@pytest.mark.parametrize("name", ["everything", "credited", "lima", "ln1"])
def test_sales_by_category_equal_the_monthly_rows(moved, name):
    where = slices(moved.cast)[name]
    periods = periods_of("2024-05")
    months = sorted({m for p in periods.values() for m in p.months})
    assert sorted(facts.category_rows(where, months)) == category_sums(where, months)


def test_months_summed_by_row_equal_the_rows_summed_here(moved):
    cast = moved.cast
    where = slices(cast)["lima"]
    months = periods_of("2024")["now"].months
    groups = {"ln": subtree(cast, "lima_norte"), "ls": subtree(cast, "lima_sur")}
    of_group: dict[int | None, str] = {t: key for key, ids in groups.items() for t in ids}
    expected: dict = defaultdict(lambda: [Decimal(0), 0])
    for row in facts.month_rows(where, months):
        expected[(of_group.get(row.territory_id), row.month)][0] += row.net
        expected[(of_group.get(row.territory_id), row.month)][1] += row.orders or 0
    found = {(r.group, r.month): [r.net, r.orders] for r in facts.month_rows(where, months, groups)}
    assert found == dict(expected)
