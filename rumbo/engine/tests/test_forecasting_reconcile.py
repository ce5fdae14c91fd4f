import numpy as np
import pytest

from rumbo.engine.forecasting.hierarchy import build_hierarchy
from rumbo.engine.forecasting.reconcile import (
    METHODS,
    HierarchicalForecaster,
    reconcile,
    shrunk_covariance,
)

# Two regions, three territories, two categories: six bottom series (territory × category).
KEYS = {
    "region": ["Lima", "Lima", "Lima", "Lima", "Sur", "Sur"],
    "territory": ["Lima Norte", "Lima Norte", "Lima Sur", "Lima Sur", "Arequipa", "Arequipa"],
    "category": ["Bebidas", "Snacks"] * 3,
}
LEVELS = [[], ["region"], ["territory"], ["category"], ["territory", "category"]]


@pytest.fixture
def hierarchy():
    return build_hierarchy(KEYS, LEVELS)


@pytest.fixture
def sales():
    rng = np.random.default_rng(7)
    t = np.arange(36)
    season = 1 + 0.4 * np.cos(2 * np.pi * (t - 1) / 12)  # peak in the Peruvian summer
    return rng.uniform(20, 200, (6, 1)) * season * rng.lognormal(0, 0.15, (6, 36))


def test_the_summing_matrix_adds_territories_to_regions_and_regions_to_the_company(hierarchy):
    s = hierarchy.summing
    assert s.shape == (1 + 2 + 3 + 2 + 6, 6)
    assert s[0].tolist() == [1] * 6
    assert s[1].tolist() == [1, 1, 1, 1, 0, 0] and hierarchy.labels[1] == ("Lima",)
    assert np.array_equal(s[-6:], np.eye(6))
    assert hierarchy.level_names[-1] == "territory × category"


def test_each_series_knows_the_smallest_series_that_contains_it(hierarchy):
    parent = {hierarchy.labels[r]: hierarchy.labels[p] for r, p in enumerate(hierarchy.parents)}
    assert parent[("Lima Norte",)] == ("Lima",)
    assert parent[("Lima Norte", "Bebidas")] == ("Lima Norte",)
    # Arequipa is all of region Sur, so the smallest series strictly larger is the company.
    assert parent[("Arequipa",)] == ()
    assert hierarchy.parents[0] == -1


def test_a_level_that_does_not_tell_bottom_series_apart_is_refused():
    with pytest.raises(ValueError, match="identify"):
        build_hierarchy(KEYS, [[], ["territory"]])


@pytest.mark.parametrize("method", METHODS)
def test_reconciled_forecasts_add_up_exactly_at_every_level_and_month(hierarchy, method):
    rng = np.random.default_rng(0)
    base = rng.uniform(0, 100, (hierarchy.n_series, 12))
    residuals = rng.normal(0, 5, (hierarchy.n_series, 40))
    coherent = reconcile(base, hierarchy, method, residuals)
    bottom = coherent[hierarchy.n_aggregates :]
    assert np.array_equal(coherent, hierarchy.summing @ bottom)


def test_forecasts_that_already_add_up_are_left_alone(hierarchy):
    coherent = hierarchy.aggregate(np.arange(6.0 * 4).reshape(6, 4))
    for method in METHODS:
        residuals = np.random.default_rng(1).normal(size=(hierarchy.n_series, 30))
        assert np.allclose(reconcile(coherent, hierarchy, method, residuals), coherent)


def test_ols_splits_a_discrepancy_evenly_between_two_children():
    two = build_hierarchy({"t": ["a", "b"]}, [[], ["t"]])
    # Total says 12, the children 4 and 4: OLS closes the gap of 4 by moving each of the three
    # series a third of it, the total down and the children up.
    result = reconcile(np.array([[12.0], [4.0], [4.0]]), two, "ols")
    assert np.allclose(result[:, 0], [12 - 4 / 3, 4 + 4 / 3, 4 + 4 / 3])


def test_shrinkage_keeps_variances_and_shrinks_covariances():
    rng = np.random.default_rng(2)
    common = rng.normal(size=50)
    residuals = np.vstack([common + rng.normal(size=50) for _ in range(3)])
    shrunk, intensity = shrunk_covariance(residuals)
    sample = np.cov(residuals)
    assert 0 < intensity < 1
    assert np.allclose(np.diag(shrunk), np.diag(sample))
    assert np.allclose(shrunk[0, 1], (1 - intensity) * sample[0, 1])


def test_the_hierarchical_forecaster_gives_coherent_non_negative_forecasts(hierarchy, sales):
    forecast = HierarchicalForecaster(12).fit(sales, hierarchy).predict(6)
    assert forecast.mean.shape == (hierarchy.n_series, 6)
    bottom = forecast.mean[hierarchy.n_aggregates :]
    assert np.array_equal(forecast.mean, hierarchy.summing @ bottom)
    assert (forecast.mean >= 0).all() and (forecast.lower >= 0).all()


def test_the_hierarchical_forecaster_needs_one_row_per_bottom_series(hierarchy, sales):
    with pytest.raises(ValueError, match="bottom"):
        HierarchicalForecaster(12).fit(sales[:5], hierarchy)
