import numpy as np
import pytest

from rumbo.engine.forecasting.models import (
    ExponentialSmoothing,
    RumboForecaster,
    SeasonalNaive,
    prepare,
)
from rumbo.engine.forecasting.smoothing import Spec, fit_smoothing

PATTERN = np.array([1.3, 0.8, 1.1, 0.8])


def monthly_panel(n=6, years=4, seed=0):
    """Seasonal series with different levels, trends and noise, like sales of a few territories."""
    rng = np.random.default_rng(seed)
    t = np.arange(12 * years)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / 12)
    level = rng.uniform(50, 500, size=(n, 1)) * (1 + rng.uniform(-0.01, 0.02, (n, 1)) * t)
    return level * season * rng.lognormal(0, 0.1, size=(n, len(t)))


def test_a_series_that_repeats_exactly_is_forecast_exactly():
    y = np.asarray(np.tile(100 * PATTERN, 5)[None], dtype=np.float64)
    fit = fit_smoothing(y, np.array([0]), Spec(trend=False, seasonal=True), 4)
    assert np.allclose(fit.forecast(6), 100 * PATTERN[[0, 1, 2, 3, 0, 1]])


def test_a_straight_line_is_extended_by_the_linear_trend_model():
    y = np.asarray((10 + 2 * np.arange(20))[None], dtype=np.float64)
    fit = fit_smoothing(y, np.array([0]), Spec(trend=True, seasonal=False), 4)
    assert np.allclose(fit.forecast(3), [50, 52, 54])


@pytest.mark.parametrize(
    "model",
    [
        RumboForecaster(12),
        SeasonalNaive(12),
        ExponentialSmoothing(12, trend=True, damped=True),
    ],
    ids=["rumbo", "seasonal-naive", "damped-ets"],
)
def test_predict_gives_one_row_per_series_and_one_column_per_month(model):
    forecast = model.fit(monthly_panel()).predict(7)
    assert forecast.mean.shape == forecast.std.shape == (6, 7)
    assert forecast.lower.shape == forecast.upper.shape == (2, 6, 7)
    assert np.isfinite(forecast.mean).all()


def test_fit_returns_the_estimator_itself():
    model = RumboForecaster(12)
    assert model.fit(monthly_panel()) is model


def test_fitting_twice_on_the_same_data_gives_identical_forecasts():
    # Nothing in the method is random, so no seed is needed to reproduce a forecast.
    y = monthly_panel(seed=3)
    first = RumboForecaster(12).fit(y).predict(12)
    second = RumboForecaster(12).fit(y.copy()).predict(12)
    assert np.array_equal(first.mean, second.mean)
    assert np.array_equal(first.upper, second.upper)


def test_intervals_contain_the_forecast_and_the_wider_level_contains_the_narrower():
    forecast = RumboForecaster(12, levels=(80.0, 95.0)).fit(monthly_panel()).predict(12)
    low80, high80 = forecast.interval(80.0)
    low95, high95 = forecast.interval(95.0)
    assert (low95 <= low80).all() and (low80 <= forecast.mean).all()
    assert (forecast.mean <= high80).all() and (high80 <= high95).all()


def test_intervals_widen_with_the_horizon():
    # Without seasonality no season is quieter than another, so only the horizon moves the width.
    rng = np.random.default_rng(1)
    y = 100 + np.cumsum(rng.normal(0, 5, size=(4, 48)), axis=1)
    forecast = RumboForecaster(12).fit(y).predict(12)
    width = forecast.upper[0] - forecast.lower[0]
    assert (np.diff(width, axis=1) >= -1e-9).all()
    assert (width[:, -1] > width[:, 0]).all()


def test_sales_are_never_forecast_below_zero():
    y = np.array([[50.0, 20, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0] * 2 + [0.0] * 12])
    forecast = RumboForecaster(12).fit(y).predict(12)
    assert (forecast.mean >= 0).all() and (forecast.lower[0] >= 0).all()


def test_short_and_empty_series_still_get_a_forecast():
    y = np.full((3, 30), np.nan)
    y[0, -2:] = [10.0, 14.0]  # two months of history
    y[1, -8:] = np.arange(8.0)  # eight months
    forecast = RumboForecaster(12).fit(y).predict(3)
    assert np.allclose(forecast.mean[0], 12.0)
    assert np.isfinite(forecast.mean[1]).all()
    assert np.allclose(forecast.mean[2], 0.0)


def test_gaps_are_interpolated_and_leading_zeros_can_mark_a_late_start():
    filled, start = prepare([[np.nan, 1.0, np.nan, 3.0], [0.0, 0.0, 5.0, 6.0]], True)
    assert start.tolist() == [1, 2]
    assert filled[0, 2] == 2.0 and np.isnan(filled[1, :2]).all()


def test_seasonal_naive_repeats_the_last_year():
    y = np.arange(24.0)[None]
    assert SeasonalNaive(12).fit(y).predict(14).mean[0].tolist() == [*range(12, 24), 12, 13]
