"""Segmenting the cast's accounts from their orders and visits, checked against hand-computed
figures: ABC classes, cost to serve, travel, workload, the months an account is present."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rumbo.coverage.adapters import add_months, compute_segments
from rumbo.coverage.models import AccountSegment, Frequency, Quadrant, Segment
from rumbo.coverage.services import strategies_for
from rumbo.engine.geo import haversine_km
from rumbo.interactions.models import Interaction
from rumbo.orders.models import MonthlySales
from rumbo.testing import make_order

JULY = dt.date(2024, 7, 1)


def revenue(account):
    return sum((s.net_amount for s in MonthlySales.objects.filter(account=account)), Decimal(0))


def visit(account, user, day):
    Interaction.objects.create(
        organisation=account.organisation, account=account, kind=Interaction.Kind.VISIT,
        team="sales", user=user,
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    )  # fmt: skip


@pytest.fixture
def sales(cast):
    """Every account bought 10 colas on 15 June 2024; alicia_1 buys 800 more, bruno_1 140."""
    cola = cast.catalog["cola"]
    make_order(cast.accounts["alicia_1"], cola, "800", dt.date(2024, 5, 10))
    make_order(cast.accounts["bruno_1"], cola, "140", dt.date(2024, 3, 2))
    for day in (dt.date(2024, 4, 2), dt.date(2024, 5, 2), dt.date(2024, 6, 2)):
        visit(cast.accounts["bruno_1"], cast.bruno, day)
    return cast


def test_the_big_buyer_is_a_and_the_tail_splits_as_the_cumulative_shares_say(sales):
    cast = sales
    compute_segments(organisation=cast.org, month=JULY, months=1)
    rows = {s.account_id: s for s in AccountSegment.objects.filter(month=JULY)}
    a = cast.accounts
    # Colas 810, 150, 10, 10, 10 of 990: alicia_1 starts at 0 % (A); bruno_1 starts at 81.8 %,
    # past 80 % (B); the three tied at 10 start at 97.0 %, past 80 + 15 % (C).
    assert rows[a["alicia_1"].pk].segment == Segment.A
    assert rows[a["bruno_1"].pk].segment == Segment.B
    assert {rows[a[k].pk].segment for k in ("alicia_2", "bruno_2", "trujillo_1")} == {Segment.C}
    assert rows[a["alicia_1"].pk].revenue_12m == revenue(a["alicia_1"])
    assert rows[a["alicia_1"].pk].orders_12m == 2
    assert rows[a["alicia_1"].pk].recency_days == (JULY - dt.date(2024, 6, 15)).days
    total = sum(revenue(x) for k, x in a.items() if k != "other_1")
    assert rows[a["bruno_1"].pk].revenue_share == pytest.approx(
        float(revenue(a["bruno_1"]) / total)
    )
    assert a["other_1"].pk not in rows  # another organisation is segmented on its own


def test_cost_to_serve_is_visits_times_visit_and_travel_time_times_the_reps_hourly_cost(sales):
    cast = sales
    compute_segments(organisation=cast.org, month=JULY, months=1)
    b1 = AccountSegment.objects.get(month=JULY, account=cast.accounts["bruno_1"])
    one, two = (cast.accounts[k].distrito for k in ("bruno_1", "bruno_2"))
    # bruno's two accounts sit at their districts' reference points; the only neighbour of each
    # is the other one: km × 1.3 detour at 20 km/h.
    km = haversine_km(one.lat, one.lon, two.lat, two.lon)
    travel = km * 1.3 / 20 * 60
    assert b1.travel_min == pytest.approx(travel, rel=1e-3)
    minutes = strategies_for(cast.org)[b1.segment].visit_min
    assert float(b1.cost_to_serve_12m) == pytest.approx(3 * (minutes + travel) / 60 * 25, abs=0.01)
    assert b1.visits_12m == 3
    # alicia's two accounts share one district point: no travel between them.
    a1 = AccountSegment.objects.get(month=JULY, account=cast.accounts["alicia_1"])
    assert a1.travel_min == 0 and a1.cost_to_serve_12m == 0 and a1.quadrant == Quadrant.BEST


def test_workload_follows_the_strategy_or_the_accounts_own_plan(sales):
    cast = sales
    from rumbo.coverage.services import save_account_plan

    save_account_plan(account=cast.accounts["bruno_1"], actor=cast.maria,
                      frequency=Frequency.TWICE_WEEKLY, visit_min=45)  # fmt: skip
    compute_segments(organisation=cast.org, month=JULY, months=1)
    b1 = AccountSegment.objects.get(month=JULY, account=cast.accounts["bruno_1"])
    assert b1.workload_min == pytest.approx(104 / 12 * (45 + b1.travel_min))
    a1 = AccountSegment.objects.get(month=JULY, account=cast.accounts["alicia_1"])
    assert a1.workload_min == pytest.approx(52 / 12 * 30)  # A: weekly, 30 minutes
    assert a1.territory == cast.territories["ln1"] and a1.rep == cast.alicia


def test_an_account_is_absent_before_it_opened_and_after_it_closed_and_new_while_recent(cast):
    a = cast.accounts
    a["alicia_2"].opened_on = dt.date(2024, 5, 20)
    a["alicia_2"].save(update_fields=["opened_on"])
    a["bruno_2"].closed_on = dt.date(2024, 5, 31)
    a["bruno_2"].save(update_fields=["closed_on"])
    written = compute_segments(organisation=cast.org, month=JULY, months=3)
    months = {
        m: dict(AccountSegment.objects.filter(month=m).values_list("account_id", "segment"))
        for m in (add_months(JULY, -2), add_months(JULY, -1), JULY)
    }
    assert a["alicia_2"].pk not in months[dt.date(2024, 5, 1)]
    assert months[JULY][a["alicia_2"].pk] == Segment.NEW
    assert a["bruno_2"].pk in months[dt.date(2024, 5, 1)]
    assert a["bruno_2"].pk not in months[dt.date(2024, 6, 1)]
    assert written == sum(len(v) for v in months.values())


def test_recomputing_replaces_a_month_instead_of_adding_to_it(sales):
    compute_segments(organisation=sales.org, month=JULY, months=1)
    compute_segments(organisation=sales.org, month=JULY, months=1)
    assert AccountSegment.objects.filter(month=JULY).count() == 5
