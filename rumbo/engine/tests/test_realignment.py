"""Travel estimates and the reasons behind a realignment, on hand-computed instances."""

import numpy as np
import pytest

from rumbo.engine.geo import haversine_km
from rumbo.engine.realignment import (
    BHH,
    Reason,
    explain,
    hull_area_km2,
    shifts,
    weekly_travel_km,
)

DEG_KM = np.pi / 180 * 6371.0088  # one degree of latitude, in km


def test_the_hull_of_a_small_square_at_the_equator_is_its_area():
    lat = np.array([0.0, 0.0, 0.1, 0.1, 0.05])
    lon = np.array([0.0, 0.1, 0.0, 0.1, 0.05])
    assert hull_area_km2(lat, lon) == pytest.approx((0.1 * DEG_KM) ** 2, rel=1e-3)


def test_points_on_a_line_or_too_few_have_no_area():
    assert hull_area_km2(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0
    assert hull_area_km2(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0])) == 0.0


def test_weekly_travel_is_out_and_back_plus_a_tour_of_each_days_stops():
    # Four accounts on a square 0.1° a side, 10 visits a week in all, the base 1° south.
    lat = np.array([0.0, 0.0, 0.1, 0.1])
    lon = np.array([0.0, 0.1, 0.0, 0.1])
    visits = np.full(4, 2.5)
    bases = np.array([[-1.0, 0.05]])
    km = weekly_travel_km(lat, lon, np.zeros(4, dtype=np.int64), visits, bases, 1, 5, 1.0)
    reach = haversine_km(-1.0, 0.05, lat, lon).mean()
    area = (0.1 * DEG_KM) ** 2
    assert km[0] == pytest.approx(5 * (2 * reach + BHH * np.sqrt(2 * area / 5)), rel=1e-3)


def test_a_territory_without_visits_or_accounts_travels_nothing():
    km = weekly_travel_km(np.zeros(2), np.zeros(2), np.array([0, 0]), np.zeros(2),
                          np.full((2, 2), np.nan), 2)  # fmt: skip
    assert list(km) == [0.0, 0.0]


def test_each_move_gets_the_most_specific_reason():
    # Territory 0 is based at (0, 0) and overloaded; territory 1 at (0, 1).
    lat = np.zeros(4)
    lon = np.array([0.9, 0.5, 0.5, 0.1])
    before = np.array([0, 0, 0, 1])
    after = np.array([1, 1, 0, 0])
    measures = np.array([[10.0], [10.0], [10.0], [1.0]])
    targets = np.array([[15.0], [15.0]])
    bases = np.array([[0.0, 0.0], [0.0, 1.0]])
    manual = np.array([False, False, False, True])
    moves = {m.unit: m for m in explain(lat, lon, before, after, measures, targets, bases, manual)}
    assert set(moves) == {0, 1, 3}
    assert moves[0].reason == Reason.CLOSER  # 0.1° from its new base instead of 0.9°
    assert moves[1].reason == Reason.RELIEVE  # halfway: the old territory was over target
    assert moves[3].reason == Reason.MANUAL
    assert moves[0].km_after == pytest.approx(0.1 * DEG_KM, rel=1e-3)


def test_without_bases_or_overload_the_reason_is_the_overall_balance():
    moves = explain(np.zeros(2), np.zeros(2), np.array([0, 1]), np.array([1, 1]),
                    np.ones((2, 1)), np.ones((2, 1)), np.full((2, 2), np.nan),
                    np.zeros(2, dtype=bool))  # fmt: skip
    assert [(m.unit, m.reason) for m in moves] == [(0, Reason.BALANCE)]


def test_shifts_add_up_what_each_territory_gains_and_loses():
    before, after = np.array([0, 0, 1]), np.array([0, 1, 1])
    measures = np.array([[1.0, 5.0], [2.0, 7.0], [4.0, 1.0]])
    moves = explain(np.zeros(3), np.zeros(3), before, after, measures, np.ones((2, 2)),
                    np.full((2, 2), np.nan), np.zeros(3, dtype=bool))  # fmt: skip
    out = shifts(moves, before, after, measures, np.array([10.0, 20.0]), np.array([8.0, 25.0]))
    assert list(out[0].loads_before) == [3.0, 12.0] and list(out[0].loads_after) == [1.0, 5.0]
    assert [m.unit for m in out[0].lost] == [1] and [m.unit for m in out[1].gained] == [1]
    assert (out[1].km_week_before, out[1].km_week_after) == (20.0, 25.0)
