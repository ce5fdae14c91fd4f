"""The dashboard's figures on the cast's month of sales (conftest.sales), by role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from rumbo.reports.accounts import rep_dashboard
from rumbo.reports.performance import REPS, TERRITORIES, dashboard
from rumbo.reports.services import save_settings
from rumbo.reports.tests.conftest import context_for, sell, target

pytestmark = pytest.mark.django_db
D = Decimal


def rows(data):
    return {r.label: r for r in data.rows}


def test_the_company_month_against_last_year_and_the_target_set_for_peru(sales):
    data = dashboard(context_for(sales.cast.admin))
    assert data.level == TERRITORIES and data.title == "Perú"
    total = data.total
    assert (total.now.sales, total.last_year.sales, total.previous.sales) == (
        D("490"),
        D("440"),
        D("90"),
    )
    assert total.growth == D("11.4")
    assert (total.target, total.target_source) == (D("600"), "explicit")
    assert total.attainment == D("81.7")
    assert (total.now.orders, total.last_year.orders) == (4, 4)
    assert total.now.ticket == D("122.50")
    assert (total.now.accounts, total.won, total.lost) == (4, 1, 1)


def test_regions_without_a_target_of_their_own_add_up_their_territories(sales):
    by_name = rows(dashboard(context_for(sales.cast.admin)))
    lima, norte = by_name["Lima"], by_name["Norte"]
    assert (lima.now.sales, lima.last_year.sales) == (D("270"), D("240"))
    assert (lima.target, lima.target_source) == (D("320"), "rolled_up")
    assert (norte.target, norte.target_source) == (D("250"), "rolled_up")
    assert (lima.now.accounts, lima.last_year.accounts, lima.won, lima.lost) == (3, 3, 1, 1)
    assert lima.now.orders == 3  # Don Lucho's cola and chips are one order


def test_visit_coverage_counts_the_accounts_there_now_visited_in_the_period(sales):
    by_name = rows(dashboard(context_for(sales.cast.admin)))
    lima = by_name["Lima"]
    assert (lima.visits.accounts, lima.visits.visited, lima.visits.visits) == (4, 2, 2)
    assert lima.coverage == D("50.0")
    assert by_name["Norte"].coverage == D("0.0")


def test_rows_below_the_organisations_threshold_are_flagged(sales):
    cast = sales.cast
    data = dashboard(context_for(cast.admin))
    # Lima 270 / 320 = 84.4 %, Norte 220 / 250 = 88.0 %: both below the default 90 %.
    assert {r.label for r in data.flagged} == {"Lima", "Norte"}
    save_settings(organisation=cast.org, flag_below_pct=D("85"), actor=cast.admin)
    data = dashboard(context_for(cast.admin))
    assert {r.label for r in data.flagged} == {"Lima"}


def test_a_territory_without_children_is_broken_down_by_rep(sales):
    cast = sales.cast
    with translation.override("en"):
        data = dashboard(context_for(cast.admin, territory_id=cast.territories["ls1"].pk))
    assert data.level == REPS
    (bruno,) = data.rows
    assert bruno.label == str(cast.bruno) and bruno.now.sales == D("120")
    assert bruno.target == D("130")
    assert bruno.now.orders == 2  # his May order and the cast's June order are in other months
    assert [c.label for c in data.breadcrumbs] == [
        "Performance",
        "Perú",
        "Lima",
        "Lima Sur",
        "Lima Sur 1",
    ]


def test_a_reps_page_lists_accounts_new_and_lost(sales):
    cast = sales.cast
    ctx = context_for(cast.maria, rep_id=cast.alicia.pk, territory_id=cast.territories["ln1"].pk)
    data = rep_dashboard(ctx)
    by_name = rows(data)
    assert set(by_name) == {"Bodega Rosita", "Minimarket El Sol"}
    assert by_name["Minimarket El Sol"].lost == 1 and by_name["Bodega Rosita"].won == 0
    assert (data.total.target, data.total.now.sales) == (D("180"), D("150"))
    assert by_name["Bodega Rosita"].visits.visits == 1


def test_maria_sees_her_region_only(sales):
    cast = sales.cast
    data = dashboard(context_for(cast.maria))
    assert data.title == "Lima" and data.total.now.sales == D("270")
    assert {r.label for r in data.rows} == {"Lima Norte", "Lima Sur"}
    with pytest.raises(Http404):
        context_for(cast.maria, territory_id=cast.territories["trujillo"].pk)


def test_alicia_sees_her_own_figures_even_on_her_territorys_page(sales):
    cast = sales.cast
    sell(cast, "alicia_2", dt.date(2024, 5, 20), cola=5, rep=cast.bruno)  # Bruno helps out
    data = dashboard(context_for(cast.alicia, territory_id=cast.territories["ln1"].pk))
    assert data.total.now.sales == D("150")
    assert [r.label for r in data.rows] == [str(cast.alicia)]
    admin_view = dashboard(context_for(cast.admin, territory_id=cast.territories["ln1"].pk))
    assert admin_view.total.now.sales == D("160")
    with pytest.raises(Http404):
        context_for(cast.alicia, rep_id=cast.bruno.pk)
    with pytest.raises(Http404):
        context_for(cast.alicia, territory_id=cast.territories["ls1"].pk)


def test_a_viewer_sees_counts_but_no_amounts(sales, client):
    cast = sales.cast
    client.force_login(cast.vera)
    html = client.get("/performance/?period=2024-05").content.decode()
    assert "Lima" in html and "490" not in html and "S/" not in html
    assert (
        client.get(f"/performance/territory/{cast.territories['ln1'].pk}/gap/").status_code == 404
    )


def test_a_category_filter_narrows_sales_and_targets(sales):
    cast = sales.cast
    snacks = cast.catalog["snacks"]
    data = dashboard(context_for(cast.admin, f"period=2024-05&category={snacks.pk}"))
    assert data.total.now.sales == D("30") and data.total.last_year.sales == D("0")
    assert data.total.target is None
    assert data.total.now.orders is None  # an order spans categories


def test_a_year_asked_for_in_june_runs_to_june_against_january_to_june_a_year_earlier(sales):
    cast = sales.cast
    target(cast, "1000", month=dt.date(2024, 12, 1), territory=cast.territories["pe"])
    ctx = context_for(cast.admin, "period=2024")  # today: 20 June 2024
    assert ctx.to_date and (ctx.period.first, ctx.period.last) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 1),
    )
    total = dashboard(ctx).total
    assert total.last_year.sales == D("440")  # May 2023; nothing else in January–June 2023
    assert (total.target, total.target_full) == (D("600"), D("1600"))


def test_visits_stand_against_the_visits_the_coverage_plans_asked_for(sales):
    from rumbo.coverage.adapters import compute_segments
    from rumbo.coverage.models import AccountSegment

    before = dashboard(context_for(sales.cast.admin)).total.visits
    assert before is not None and before.planned is None  # nothing segmented: no plan yet
    compute_segments(organisation=sales.cast.org, month=dt.date(2024, 5, 1), months=1)
    may = AccountSegment.objects.filter(month=dt.date(2024, 5, 1))
    by_name = rows(dashboard(context_for(sales.cast.admin)))
    t = sales.cast.territories
    lima = sum(s.visits_planned for s in may.filter(territory__in=[t["ln1"], t["ls1"]]))
    assert by_name["Lima"].visits.planned == pytest.approx(lima)
    mine = dashboard(context_for(sales.cast.alicia)).total.visits
    assert mine is not None and mine.planned == pytest.approx(
        sum(s.visits_planned for s in AccountSegment.objects.filter(rep=sales.cast.alicia))
    )
