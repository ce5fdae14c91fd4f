"""The generator's building blocks, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rumbo.catalog.pricing import line_amounts as book_line_amounts
from rumbo.core.peru import is_valid_ruc
from rumbo.customers.models import validate_opening_hours
from rumbo.demo import bulk, names
from rumbo.demo.account_rows import HOURS, opening_hours
from rumbo.demo.geography import allocate, bisect, inside, spread_radius_m, town_name
from rumbo.demo.orders import line_amounts
from rumbo.demo.seasons import easter, epoch_index, holidays, price_epochs, season_factor


def test_easter_and_the_holidays_around_it() -> None:
    assert easter(2024) == dt.date(2024, 3, 31)
    assert easter(2025) == dt.date(2025, 4, 20)
    days = holidays(range(2025, 2026))
    assert {
        dt.date(2025, 4, 17),
        dt.date(2025, 4, 18),
        dt.date(2025, 7, 28),
        dt.date(2025, 7, 29),
        dt.date(2025, 12, 25),
    } <= days
    assert dt.date(2025, 4, 20) not in days


def test_prices_change_every_first_of_march() -> None:
    epochs = price_epochs(dt.date(2023, 11, 1), dt.date(2026, 10, 31))
    assert epochs == [dt.date(y, 3, 1) for y in (2023, 2024, 2025, 2026)]
    days = np.array([dt.date(2024, 2, 29).toordinal(), dt.date(2024, 3, 1).toordinal()])
    assert epoch_index(days, epochs).tolist() == [0, 1]


def test_december_and_the_summer_are_high_seasons() -> None:
    assert season_factor(12, "SNK-NAV") > 20 * season_factor(6, "SNK-NAV")
    assert season_factor(2, "BEB-GAS") > season_factor(7, "BEB-GAS")
    assert season_factor(3, "SNK-GAL") > season_factor(1, "SNK-GAL")
    assert all(season_factor(12, c) > 1 for c in ("BEB", "SNK", "LAC", "LIM", "CPE"))


@given(
    st.integers(1, 5_000),
    st.integers(1, 5_000_000),
    st.sampled_from([0, 2, 3, 5, 10]),
)
def test_vectorised_line_amounts_match_the_price_book(qty: int, price4: int, pct: int) -> None:
    net, discount, tax = line_amounts(np.array([qty]), np.array([price4]), np.array([pct]), 1800)
    expected = book_line_amounts(
        quantity=Decimal(qty),
        net_unit_price=Decimal(price4).scaleb(-4),
        discount_pct=Decimal(pct),
        tax_rate=Decimal("0.18"),
    )
    assert Decimal(int(net[0])).scaleb(-2) == expected.net
    assert Decimal(int(discount[0])).scaleb(-2) == expected.discount
    assert Decimal(int(tax[0])).scaleb(-2) == expected.tax


def test_allocate_keeps_the_minimum_and_the_total() -> None:
    shares = allocate(np.array([10.0, 1.0, 5.0, 0.5]), 20, minimum=np.array([1, 1, 1, 3]))
    assert shares.sum() == 20
    assert shares.tolist()[3] >= 3 and shares[0] > shares[2] > shares[1]


def test_bisect_makes_balanced_groups_and_cuts_a_district_only_when_needed() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.normal(-12, 0.1, 300), rng.normal(-77, 0.1, 300)
    units = [np.arange(0, 200), np.arange(200, 260), np.arange(260, 300)]
    groups = bisect(units, lat, lon, 5)
    assert len(groups) == 5
    assert sorted(np.concatenate(groups).tolist()) == list(range(300))
    assert max(len(g) for g in groups) <= 2 * min(len(g) for g in groups)
    whole = bisect(units, lat, lon, 3)
    assert sorted(len(g) for g in whole) == [40, 60, 200]


def test_point_in_polygon_with_a_hole() -> None:
    outer = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    hole = np.array([[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]], dtype=float)
    lon, lat = np.array([0.5, 2.0, 5.0]), np.array([0.5, 2.0, 2.0])
    assert inside([outer, hole], lon, lat).tolist() == [True, False, False]


def test_towns_spread_with_their_size() -> None:
    assert spread_radius_m(500) == 300
    assert 300 < spread_radius_m(40_000) < 3000
    assert spread_radius_m(300_000) == 3000
    assert town_name("SAN MARTIN DE PORRES") == "San Martin de Porres"


@pytest.mark.parametrize("channel", sorted(HOURS))
def test_opening_hours_are_valid_for_every_channel(channel: str) -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        hours = opening_hours(rng, channel)
        validate_opening_hours(hours)
        assert set(hours) <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun"} and hours


def test_tax_ids_and_names_look_peruvian() -> None:
    rng = np.random.default_rng(9)
    for _ in range(200):
        dni = names.dni(rng)
        assert len(dni) == 8 and dni.isdigit()
        assert is_valid_ruc(names.ruc_person(dni)) and names.ruc_person(dni).startswith("10")
        assert is_valid_ruc(names.ruc_company(rng))
    owner = names.Person("Rosa", "Quispe Huamán", True)
    shop = {names.shop_name(rng, "bodega", owner, "Comas") for _ in range(100)}
    assert "Bodega Doña Rosa" in shop
    assert names.ascii_slug("Ñuñez Huamán") == "nunezhuaman"


def test_bulk_text_formats() -> None:
    assert bulk.fixed(np.array([0, 5, 1234, 100]), 2).tolist() == ["0.00", "0.05", "12.34", "1.00"]
    assert bulk.fixed(np.array([185000]), 4).tolist() == ["18.5000"]
    assert bulk.dates(np.array([dt.date(2025, 3, 1).toordinal()])).tolist() == ["2025-03-01"]
    assert bulk.nullable(np.array(["a", "b"]), np.array([False, True])).tolist() == ["a", bulk.NULL]
