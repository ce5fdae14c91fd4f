"""The gap bridge and the rep's view on the cast's month (conftest.sales)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.reports.accounts import rep_dashboard
from rumbo.reports.gap import GROWING, LOST, MIX, NEW, bridge, label_accounts
from rumbo.reports.performance import dashboard
from rumbo.reports.repview import closers, rep_view, working_days
from rumbo.reports.tests.conftest import context_for, sell

pytestmark = pytest.mark.django_db
D = Decimal


def test_lima_norte_1s_gap_splits_into_the_mix_a_lost_and_a_growing_account(sales):
    cast = sales.cast
    ctx = context_for(cast.admin, territory_id=cast.territories["ln1"].pk)
    result = bridge(ctx, dashboard(ctx).total.target)
    parts = {p.code: p.value for p in result.parts}
    # As worked out in test_gap_math: company drinks 440 → 460, all sales 440 → 490.
    assert (parts[MIX], parts[LOST], parts[GROWING], parts[NEW]) == (
        D("-12.24"),
        D("-83.45"),
        D("45.69"),
        D("0"),
    )
    assert (result.steps[0].value, result.steps[-1].value) == (D("200"), D("150"))
    assert sum(p.value for p in result.parts) == result.gap == D("-50")
    named = {a.label: a for a in label_accounts(result, 5, ctx)}
    assert named["Minimarket El Sol"].kind == LOST and named["Minimarket El Sol"].visits == 0
    assert named["Bodega Rosita"].visits == 1
    (category,) = result.categories
    assert (category.label, category.trend_pct) == ("Bebidas", D("4.5"))


def test_a_reps_bridge_reads_only_their_sales_and_their_target(sales):
    cast = sales.cast
    ctx = context_for(cast.alicia, rep_id=cast.alicia.pk)
    data = rep_dashboard(ctx)
    result = bridge(ctx, data.total.target)
    assert (result.target, result.actual, result.last_year) == (D("180"), D("150"), D("180"))
    assert sum(p.value for p in result.parts) == D("-30")


def test_without_a_target_there_is_no_bridge(sales):
    cast = sales.cast
    ctx = context_for(cast.admin, "period=2024-04", territory_id=cast.territories["ln1"].pk)
    assert bridge(ctx, None).steps == []


def test_the_gap_page_answers_and_downloads(sales, client):
    cast = sales.cast
    client.force_login(cast.maria)
    url = f"/performance/territory/{cast.territories['ln1'].pk}/gap/?period=2024-05"
    html = client.get(url).content.decode()
    assert "Clientes perdidos" in html and "Minimarket El Sol" in html
    csv = client.get(url + "&export=bridge&format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Paso") and "-83.45" in csv


def test_working_days_skip_sundays():
    assert working_days(dt.date(2024, 6, 1), dt.date(2024, 6, 30)) == 25
    assert working_days(dt.date(2024, 6, 30), dt.date(2024, 6, 30)) == 0


def test_my_month_lists_the_orders_that_would_close_my_gap(sales):
    cast = sales.cast
    ctx = context_for(cast.alicia, "period=2024-05", rep_id=cast.alicia.pk)
    view = rep_view(ctx)
    assert view.remaining == D("30")  # 180 − 150
    (closer,) = view.closers
    assert (closer.line.label, closer.reason, closer.amount) == (
        "Minimarket El Sol",
        "lost",
        D("80"),
    )
    assert view.closes_gap
    assert [line.label for line in view.falling] == ["Minimarket El Sol"]
    assert [line.label for line in view.rising] == ["Bodega Rosita"]


def test_the_month_in_progress_shows_the_pace_and_what_is_due_per_day(sales):
    cast = sales.cast
    ctx = context_for(cast.alicia, "", rep_id=cast.alicia.pk)  # today: 20 June 2024
    view = rep_view(ctx)
    assert ctx.period.param == "2024-06"
    assert view.days_total == 25 and view.days_left == 9  # 20 to 29 June, without the 23rd
    assert view.data.total.now.sales == D("40")  # the cast's two June orders


def test_closers_take_lost_accounts_first_then_the_biggest_shortfalls():
    from rumbo.reports.lines import Figures, Line

    def line(label: str, now: str, before: str) -> Line:
        made = Line(key=label, label=label, kind="account")
        made.periods["now"], made.periods["last_year"] = Figures(D(now)), Figures(D(before))
        return made

    found = closers([line("a", "10", "50"), line("b", "0", "30"), line("c", "5", "100")], D("60"))
    assert [(c.line.label, c.amount, c.cumulative) for c in found] == [
        ("b", D("30"), D("30")),
        ("c", D("95"), D("125")),
    ]


def test_a_kept_bridge_follows_a_new_target_and_a_new_order(sales):
    cast = sales.cast
    ln1 = cast.territories["ln1"].pk
    ctx = context_for(cast.admin, territory_id=ln1)
    first = bridge(ctx, D("200"))
    assert bridge(ctx, D("200")).parts == first.parts  # read back from the report cache
    assert bridge(ctx, D("150")).steps[0].value == D("150")
    sell(cast, "alicia_2", dt.date(2024, 5, 20), cola=10)  # El Sol buys again: 20
    ctx = context_for(cast.admin, territory_id=ln1)
    again = bridge(ctx, dashboard(ctx).total.target)
    lost = again.part(LOST)
    assert again.actual == D("170") and lost is not None and lost.value == D("0")
