"""The white-space model against hand computations: learned density, open outlets, potential,
the ranking of real districts, and the area each user prospects in."""

from decimal import Decimal

import numpy as np
import pytest

from rumbo.engine.geo import haversine_km
from rumbo.geo.models import Distrito
from rumbo.prospects import potential as model
from rumbo.prospects import whitespace
from rumbo.prospects.models import ChannelPotential

pytestmark = pytest.mark.django_db


def test_density_is_the_quantile_over_served_districts_big_enough():
    market = model.Market(
        households=np.array([1000.0, 2000.0, 4000.0, 150.0, 3000.0]),
        customers=np.array([[2, 0], [8, 1], [4, 0], [9, 0], [0, 0]], dtype=float),
    )
    # Channel 0: ratios per 1,000 households 2, 4 and 1 (the 150-household district is too
    # small); the median is 2. Channel 1: one district, 0.5.
    density = model.learn_density(market, quantile=0.5)
    assert density.tolist() == [2.0, 0.5]


def test_open_outlets_and_potential_by_hand():
    market = model.Market(
        households=np.array([1000.0, 5000.0]),
        customers=np.array([[3, 0], [4, 2]], dtype=float),
    )
    result = model.estimate(market, np.array([4.0, 1.0]), np.array([100.0, np.nan]))
    # District 0: expected 4 and 1, open 1 and 1; district 1: expected 20 and 5, open 16 and 3.
    assert result.expected.tolist() == [[4.0, 1.0], [20.0, 5.0]]
    assert result.open.tolist() == [[1.0, 1.0], [16.0, 3.0]]
    # A channel without a value takes the others' mean (100).
    assert result.potential.tolist() == [200.0, 1900.0] and result.in_money
    counting = model.estimate(market, np.array([4.0, 1.0]), np.array([np.nan, np.nan]))
    assert counting.potential.tolist() == [2.0, 19.0] and not counting.in_money


def test_rank_breaks_ties_by_open_outlets():
    order = model.rank(np.array([5.0, 9.0, 5.0]), np.array([1.0, 2.0, 3.0]))
    assert order.tolist() == [1, 2, 0]


@pytest.fixture
def figures(cast):
    """Ten bodegas per 1,000 households, each worth S/ 500 a month."""
    return ChannelPotential.objects.create(
        organisation=cast.org,
        channel=cast.channel,
        outlets_per_1000_households=Decimal("10"),
        monthly_sales_per_outlet=Decimal("500"),
    )


def households(ubigeo: str) -> int:
    return Distrito.objects.get(pk=ubigeo).households_2017 or 0


def hand(ubigeo: str, customers: int) -> float:
    return max(0.0, 10 * households(ubigeo) / 1000 - customers) * 500


def test_the_ranking_matches_a_hand_computation_on_the_casts_districts(cast, figures):
    org = whitespace.org_model(cast.org.pk)
    rows = {
        r.ubigeo: r for r in whitespace.ranking(cast.admin, org, whitespace.area(cast.admin, org))
    }
    cases = {"150135": 2, "150143": 1, "150140": 1, "130101": 1, "150132": 0}
    for ubigeo, customers in cases.items():
        row = rows[ubigeo]
        assert row.customers == customers
        assert row.potential == pytest.approx(hand(ubigeo, customers))
        assert row.open_outlets == pytest.approx(hand(ubigeo, customers) / 500, abs=0.05)
    by_hand = sorted(cases, key=lambda u: -hand(u, cases[u]))
    assert sorted(cases, key=lambda u: rows[u].rank) == by_hand
    assert org.result.in_money and len(rows) == len(whitespace.places().ubigeo)


def test_learned_figures_come_from_the_organisations_own_customers(cast):
    org = whitespace.org_model(cast.org.pk)
    [bodega] = org.channels
    ratios = [2 / households("150135") * 1000]
    ratios += [1 / households(u) * 1000 for u in ("150143", "150140", "130101")]
    assert bodega.density == pytest.approx(float(np.quantile(ratios, 0.75)), abs=0.01)
    assert bodega.density_learned and bodega.value is None  # the cast's sales are old


def test_a_reps_area_is_what_her_territory_holds_and_free_districts_nearby(cast, figures):
    org = whitespace.org_model(cast.org.pk)
    mask = whitespace.area(cast.alicia, org)
    codes = {u for u, inside in zip(org.places.ubigeo, mask, strict=True) if inside}
    assert "150135" in codes
    assert not codes & {"150143", "150140", "130101"}  # bruno's and Trujillo's
    smp = Distrito.objects.get(pk="150135")
    for d in Distrito.objects.filter(ubigeo__in=codes - {"150135"}):
        points = [smp.lat, smp.lon, d.lat, d.lon]
        assert None not in points
        assert haversine_km(*points) <= whitespace.area_km()  # type: ignore[arg-type]
    assert len(codes) > 1
    admin = whitespace.area(cast.admin, org)
    assert admin.all()
    assert whitespace.area(cast.admin, org, cast.territories["ls1"]).sum() >= 2


def test_the_page_shows_the_top_20_and_hides_money_from_viewers(cast, figures, client):
    client.force_login(cast.admin)
    page = client.get("/prospects/white-space/")
    assert len(page.context["page"].object_list) == 20 and page.context["in_money"]
    assert "S/" in page.content.decode()
    client.force_login(cast.vera)
    page = client.get("/prospects/white-space/")
    assert not page.context["in_money"] and "S/" not in page.content.decode()
    heat = client.get("/prospects/white-space.geojson").json()
    assert heat["features"] and heat["features"][0]["properties"]["money"] is False


def test_the_heat_layer_follows_the_ranking(cast, figures, client):
    client.force_login(cast.alicia)
    heat = client.get("/prospects/white-space.geojson").json()
    org = whitespace.org_model(cast.org.pk)
    rows = whitespace.ranking(cast.alicia, org, whitespace.area(cast.alicia, org))
    with_boundary = Distrito.objects.filter(boundary__isnull=False)
    drawn = set(
        with_boundary.filter(ubigeo__in=[r.ubigeo for r in rows]).values_list("ubigeo", flat=True)
    )
    assert {f["id"]: f["properties"]["rank"] for f in heat["features"]} == {
        r.ubigeo: r.rank for r in rows if r.ubigeo in drawn
    }
    assert "150143" not in drawn
