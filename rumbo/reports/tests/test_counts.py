"""Accounts active, won and lost counted in one pass over AccountActivity equal the same counts
from AccountYear (account × territory × rep), also for an account whose sales of a year went
to two territories and for one that changed territory from one year to the next."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rumbo.reports import counts
from rumbo.reports.facts import Slice
from rumbo.reports.models import AccountActivity
from rumbo.reports.tests.conftest import periods_of, subtree
from rumbo.testing import Cast

pytestmark = pytest.mark.django_db


GROUPINGS: dict[str, Callable[[Cast], counts.Groups]] = {
    "regions": lambda cast: {"lima": subtree(cast, "lima"), "norte": subtree(cast, "norte"),
                             "none": [None]},
    "territories": lambda cast: {"ln1": [cast.territories["ln1"].pk],
                                 "ls1": [cast.territories["ls1"].pk]},
    "lima": lambda cast: {"lima": subtree(cast, "lima")},
}  # fmt: skip


@pytest.mark.parametrize(
    "period", ["2024-05", "2024-01", "2024-Q2", "2024", "2025-03", "2025-Q1", "2025"]
)
@pytest.mark.parametrize("grouping", list(GROUPINGS))
def test_counts_from_one_row_per_account_equal_those_from_account_years(moved, period, grouping):
    cast = moved.cast
    assert AccountActivity.objects.filter(mixed=True).exists()  # the fallback is exercised
    groups = GROUPINGS[grouping](cast)
    where = Slice(cast.org.pk, credited=grouping != "regions")
    fast = counts.account_counts(where, periods_of(period), "territory", groups)
    slow = counts._account_counts(where, periods_of(period), "territory", groups)
    assert fast == slow


def test_a_period_across_two_years_is_counted_from_account_years(moved):
    cast = moved.cast
    periods = periods_of("2023-12..2024-05")
    groups = GROUPINGS["regions"](cast)
    found = counts.account_counts(Slice(cast.org.pk), periods, "territory", groups)
    assert found == counts._account_counts(Slice(cast.org.pk), periods, "territory", groups)
    assert found[counts.TOTAL].active["now"] == 4  # Rosita, Don Lucho, Surco, Trujillana


def test_el_sol_is_lost_to_lima_norte_and_won_by_trujillo(moved):
    cast = moved.cast
    el_sol = AccountActivity.objects.get(account=cast.accounts["alicia_2"], year=2025)
    assert (el_sol.territory, el_sol.prev_territory, el_sol.mixed) == (
        cast.territories["trujillo"], cast.territories["ln1"], False,
    )  # fmt: skip
    groups = {"ln1": [cast.territories["ln1"].pk], "trujillo": [cast.territories["trujillo"].pk]}
    found = counts.account_counts(Slice(cast.org.pk), periods_of("2025"), "territory", groups)
    # 2024: Rosita, El Sol and Surco through Lima Norte 1, Trujillana; 2025: El Sol, Trujillo.
    assert (found["trujillo"].won, found["trujillo"].lost) == (1, 1)
    assert (found["ln1"].won, found["ln1"].lost) == (0, 3)
    total = found[counts.TOTAL]
    assert (total.active["now"], total.active["last_year"], total.won, total.lost) == (1, 4, 0, 3)
