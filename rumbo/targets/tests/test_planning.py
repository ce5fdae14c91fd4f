"""Targets by grid, by copying last year ± %, and by spreading an annual figure with a monthly
distribution; every change audited, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rumbo.core.models import AuditEntry
from rumbo.targets.models import Target
from rumbo.targets.services import (
    Cell,
    check_shares,
    clear_target,
    copy_last_year,
    delete_distribution,
    save_distribution,
    set_target,
    set_targets,
    spread,
    spread_annual,
)
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db
D = Decimal
SEASON = [D(p) for p in ("6", "6", "7", "7", "8", "8", "10", "8", "8", "8", "9", "15")]


def values(**owner) -> dict[int, Decimal]:
    rows = Target.objects.filter(month__year=2025, measure="amount", category=None, **owner)
    return {t.month.month: t.value for t in rows}


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.permutations(SEASON))
def test_a_spread_adds_up_to_the_annual_figure_to_the_cent(annual, shares):
    months = spread(annual, list(shares))
    assert sum(months) == annual and all(m >= 0 for m in months)


def test_a_distribution_must_add_up_to_exactly_100():
    with pytest.raises(ValidationError, match="99"):
        check_shares([D("8.25")] * 12)
    with pytest.raises(ValidationError):
        check_shares([D("50"), D("-10"), *[D("6")] * 10])
    assert check_shares(SEASON) == SEASON


def test_an_annual_target_spreads_over_the_months_by_a_named_distribution(cast):
    season = save_distribution(organisation=cast.org, name="Campaña navideña",
                               percentages=SEASON, actor=cast.admin)  # fmt: skip
    changed = spread_annual(organisation=cast.org, year=2025, measure="amount",
                            annual=D("120000"), territory=cast.territories["ln1"],
                            distribution=season, actor=cast.maria)  # fmt: skip
    found = values(territory=cast.territories["ln1"])
    assert changed == 12 and found[12] == D("18000") and found[1] == D("7200")
    assert sum(found.values()) == D("120000")
    assert AuditEntry.objects.filter(object_type="targets.target", actor=cast.maria).count() == 12


def test_without_a_distribution_the_months_are_equal(cast):
    spread_annual(organisation=cast.org, year=2025, measure="amount", annual=D("1000"),
                  rep=cast.bruno)  # fmt: skip
    found = values(rep=cast.bruno)
    assert sum(found.values()) == D("1000") and set(found.values()) == {D("83.33"), D("83.34")}


def test_copying_last_years_targets_plus_a_percentage(cast):
    for month in (1, 2):
        set_target(organisation=cast.org, month=dt.date(2024, month, 1), measure="amount",
                   value=D("1000") * month, territory=cast.territories["ls1"])  # fmt: skip
    changed = copy_last_year(organisation=cast.org, year=2025, measure="amount",
                             change_pct=D("8"), basis="targets",
                             territories=[cast.territories["ls1"]], actor=cast.admin)  # fmt: skip
    assert changed == 2
    assert values(territory=cast.territories["ls1"]) == {1: D("1080"), 2: D("2160")}


def test_copying_last_years_sales_minus_a_percentage(cast):
    # The cast sold 20.00 in June 2024 in each account; Lima Norte 1 has two of them.
    make_order(cast.accounts["alicia_1"], cast.catalog["cola"], "5", on=dt.date(2024, 3, 2))
    copy_last_year(organisation=cast.org, year=2025, measure="amount", change_pct=D("-5"),
                   basis="sales", territories=[cast.territories["lima"]])  # fmt: skip
    assert values(territory=cast.territories["lima"]) == {3: D("9.50"), 6: D("76.00")}
    copy_last_year(organisation=cast.org, year=2025, measure="units", change_pct=D("0"),
                   basis="sales", reps=[cast.alicia])  # fmt: skip
    units = Target.objects.filter(rep=cast.alicia, measure="units", month__year=2025)
    assert {t.month.month: t.value for t in units} == {3: D("5"), 6: D("20")}


def test_a_change_below_minus_100_percent_is_refused(cast):
    with pytest.raises(ValidationError):
        copy_last_year(organisation=cast.org, year=2025, measure="amount", change_pct=D("-100"),
                       basis="sales", reps=[cast.alicia])  # fmt: skip


def test_a_grid_sets_and_clears_in_one_go_and_audits_each_change(cast):
    ln1 = cast.territories["ln1"]
    set_target(organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount",
               value=D("500"), territory=ln1)  # fmt: skip
    changed = set_targets(organisation=cast.org, measure="amount", actor=cast.maria, cells=[
        Cell(dt.date(2025, 1, 1), None, territory=ln1),
        Cell(dt.date(2025, 2, 1), D("700"), territory=ln1),
        Cell(dt.date(2025, 3, 1), D("800"), rep=cast.alicia),
    ])  # fmt: skip
    assert changed == 3 and values(territory=ln1) == {2: D("700")}
    actions = set(AuditEntry.objects.filter(actor=cast.maria).values_list("action", flat=True))
    assert actions == {"create", "delete"}


def test_a_bad_cell_leaves_every_target_as_it_was(cast):
    ln1 = cast.territories["ln1"]
    with pytest.raises(ValidationError):
        set_targets(organisation=cast.org, measure="amount", cells=[
            Cell(dt.date(2025, 2, 1), D("700"), territory=ln1),
            Cell(dt.date(2025, 3, 1), D("-1"), territory=ln1),
        ])  # fmt: skip
    assert not Target.objects.filter(territory=ln1).exists()


def test_clearing_a_target_that_is_not_there_is_harmless(cast):
    assert not clear_target(organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount",
                            rep=cast.alicia)  # fmt: skip


def test_distributions_have_unique_names_and_are_audited(cast):
    first = save_distribution(organisation=cast.org, name="Plana", percentages=[D("8.33")] * 11 +
                              [D("8.37")], actor=cast.admin)  # fmt: skip
    with pytest.raises(ValidationError):
        save_distribution(organisation=cast.org, name="plana", percentages=SEASON)
    save_distribution(organisation=cast.org, name="Plana 2", percentages=SEASON,
                      distribution=first, actor=cast.admin)  # fmt: skip
    first.refresh_from_db()
    assert first.name == "Plana 2" and first.shares == SEASON
    delete_distribution(distribution=first, actor=cast.admin)
    actions = list(AuditEntry.objects.filter(object_type="targets.monthlydistribution")
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["create", "update", "delete"]
