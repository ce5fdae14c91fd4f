import numpy as np
import pytest

from rumbo.engine.forecasting import metrics
from rumbo.engine.forecasting.backtest import hierarchical, last_origins, rolling_origin
from rumbo.engine.forecasting.hierarchy import build_hierarchy
from rumbo.engine.forecasting.models import SeasonalNaive
from rumbo.engine.forecasting.reconcile import HierarchicalForecaster


def test_mase_by_hand():
    history = np.arange(1.0, 9.0)[None]  # seasonal (m = 4) differences are all 4
    scale = metrics.seasonal_naive_scale(history, 4)
    assert scale.tolist() == [4.0]
    actual, forecast = np.array([[10.0, 10.0]]), np.array([[8.0, 13.0]])
    assert metrics.mase(actual, forecast, scale).tolist() == [(2 + 3) / 2 / 4]
    assert metrics.scaled_bias(actual, forecast, scale).tolist() == [(-2 + 3) / 2 / 4]
    assert np.isclose(metrics.rmse(actual, forecast)[0], np.sqrt((4 + 9) / 2))


def test_mase_is_undefined_for_a_series_that_never_changes():
    assert np.isnan(metrics.seasonal_naive_scale(np.ones((1, 10)), 4)[0])


def test_coverage_counts_actuals_inside_the_interval():
    actual = np.array([[1.0, 5.0, 9.0, np.nan]])
    assert metrics.coverage(actual, np.zeros((1, 4)), np.full((1, 4), 6.0)).tolist() == [2 / 3]


def test_level_means_skip_undefined_series():
    values = np.array([1.0, np.nan, 3.0, 5.0])
    assert metrics.by_level(values, np.array([0, 0, 1, 1]), 3)[:2].tolist() == [1.0, 4.0]


def test_origins_are_the_last_months():
    assert last_origins(36, 6) == (30, 31, 32, 33, 34, 35)
    with pytest.raises(ValueError):
        last_origins(6, 6)


def test_seasonal_naive_lags_a_yearly_step_by_exactly_its_own_scale():
    # Every year adds 10 to each season: last year's value is always 10 short, in sample and out.
    y = (np.tile([3.0, 1.0, 2.0, 5.0], 6) + 10 * np.repeat(np.arange(6), 4))[None]

    def fit_predict(history, h):
        return SeasonalNaive(4).fit(history).predict(h)

    result = rolling_origin(y, fit_predict, last_origins(24, 4), 4, 4)
    assert result.mase.tolist() == [1.0] and result.bias.tolist() == [-1.0]
    assert result.rmse.tolist() == [10.0]
    assert result.coverage.shape == (2, 1)


def test_a_hierarchical_backtest_reports_every_level():
    rng = np.random.default_rng(5)
    bottom = rng.uniform(50, 150, (4, 1)) * rng.lognormal(0, 0.2, (4, 30))
    tree = build_hierarchy({"zone": ["N", "N", "S", "S"], "t": list("abcd")}, [[], ["zone"], ["t"]])
    series = tree.aggregate(bottom)
    fit_predict = hierarchical(tree, lambda: HierarchicalForecaster(12))
    result = rolling_origin(series, fit_predict, last_origins(30, 3), 3, 12)
    summary = result.by_level(tree.level, 3)
    assert set(summary) == {"mase", "bias", "rmse", "coverage_80", "coverage_95"}
    assert np.isfinite(summary["mase"]).all()
