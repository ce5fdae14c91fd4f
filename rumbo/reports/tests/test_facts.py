"""The reads that take a shortcut equal the plain ones: each account's amounts for the gap
bridge from one row per account, a region's sales by category from one row per territory and
year, a dashboard's months summed by row in the database, a rep's accounts with their names and
visits in one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest

from rumbo.customers.models import Account
from rumbo.reports import facts, rollups
from rumbo.reports.facts import Slice
from rumbo.reports.models import TerritoryCategorySales
from rumbo.reports.tests.conftest import periods_of, subtree, visit
from rumbo.reports.visits import visits_by_account

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


@pytest.mark.parametrize("period", ["2024-05", "2024", "2025-03"])
@pytest.mark.parametrize("name", ["everything", "lima", "ln1"])
def test_a_reps_account_sheets_equal_their_amounts_names_and_visits(moved, period, name):
    cast = moved.cast
    visit(cast, "alicia_1", cast.alicia, dt.date(2024, 5, 20))
    visit(cast, "alicia_1", cast.bruno, dt.date(2024, 5, 21))  # not alicia's visit
    visit(cast, "alicia_2", cast.alicia, dt.date(2023, 5, 2))
    rollups.rebuild(organisation_id=cast.org.pk)
    periods = periods_of(period)
    seen = {"now": periods["now"], "last_year": periods["last_year"]}
    for person in (cast.alicia, cast.bruno):
        where = replace(slices(cast)[name], rep_id=person.pk)
        sheets = facts.account_sheets(where, periods, seen, person.pk)
        amounts = facts.account_amounts(where, periods)
        assert {s.account_id: s.amounts for s in sheets} == amounts
        visits = visits_by_account(cast.org.pk, seen, list(amounts), person.pk)
        for sheet in sheets:
            account = Account.objects.get(pk=sheet.account_id)
            label = account.trade_name or account.legal_name
            assert (sheet.name, sheet.code) == (label, account.external_code or account.tax_id)
            assert sheet.visits == visits.get(sheet.account_id, dict.fromkeys(seen, 0))
