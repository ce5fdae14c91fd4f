"""Visit coverage read from one row per account equals the same read from the visits of each
account, visitor and year."""

from __future__ import annotations

import datetime as dt

import pytest

from rumbo.reports import rollups, visits
from rumbo.reports.tests.conftest import periods_of, subtree, visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("period", ["2024-05", "2024-Q2", "2024", "2024-11..2025-02"])
def test_visit_coverage_from_one_row_per_account_equals_the_visits_by_person(moved, period):
    cast = moved.cast
    visit(cast, "alicia_2", cast.bruno, dt.date(2024, 5, 3))  # two people visit El Sol
    visit(cast, "alicia_2", cast.alicia, dt.date(2024, 5, 28))
    visit(cast, "trujillo_1", cast.admin, dt.date(2025, 1, 7))
    rollups.rebuild(organisation_id=cast.org.pk)
    groups = {"lima": subtree(cast, "lima"), "norte": subtree(cast, "norte")}
    now = periods_of(period)["now"]
    found = visits.visit_counts(cast.org.pk, now, groups)
    assert found == visits._visit_counts(cast.org.pk, now, groups)


def test_lima_had_three_visits_to_three_of_its_four_accounts_in_may(sales):
    cast = sales.cast
    visit(cast, "alicia_2", cast.bruno, dt.date(2024, 5, 3))
    rollups.rebuild(organisation_id=cast.org.pk)
    found = visits.visit_counts(cast.org.pk, periods_of("2024-05")["now"],
                                {"lima": subtree(cast, "lima")})  # fmt: skip
    assert found["lima"] == visits.VisitCounts(accounts=4, visited=3, visits=3)


@pytest.mark.parametrize("period", ["2024-05", "2024", "2024-11..2025-02"])
@pytest.mark.parametrize("where", ["lima", "ln1", "norte"])
def test_a_reps_coverage_in_one_query_equals_the_accounts_and_their_visits_by_person(
    moved, period, where
):
    cast = moved.cast
    visit(cast, "alicia_2", cast.bruno, dt.date(2024, 5, 3))  # two people visit El Sol
    visit(cast, "alicia_2", cast.alicia, dt.date(2024, 5, 28))
    visit(cast, "alicia_1", cast.alicia, dt.date(2025, 1, 7))
    rollups.rebuild(organisation_id=cast.org.pk)
    now, ids = periods_of(period)["now"], subtree(cast, where)
    for person in (cast.alicia, cast.bruno, cast.admin):
        base = visits.visit_counts(cast.org.pk, now, {"t": ids}).get("t")
        seen, n = visits.visits_by_user(cast.org.pk, now, ids, [person.pk]).get(person.pk, (0, 0))
        expected = visits.VisitCounts(base.accounts if base else 0, seen, n)
        found = visits.visit_counts(cast.org.pk, now, {"t": ids}, person.pk).get(
            "t", visits.VisitCounts(0, 0, 0)
        )
        assert found == expected


def test_alicia_visited_both_her_accounts_of_lima_norte_1_in_may(sales):
    cast = sales.cast
    visit(cast, "alicia_2", cast.alicia, dt.date(2024, 5, 28))
    rollups.rebuild(organisation_id=cast.org.pk)
    found = visits.visit_counts(cast.org.pk, periods_of("2024-05")["now"],
                                {"t": subtree(cast, "ln1")}, cast.alicia.pk)["t"]  # fmt: skip
    assert found == visits.VisitCounts(accounts=2, visited=2, visits=2)
