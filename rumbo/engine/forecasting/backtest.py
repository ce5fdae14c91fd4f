"""Rolling-origin backtests: refit at several past dates, forecast ahead, compare with what came.

Each forecast shown to a user can then carry its measured accuracy: MASE, bias and how often
the actuals fell inside the prediction intervals, per series and averaged per hierarchy level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rumbo.engine.forecasting import metrics
from rumbo.engine.forecasting.hierarchy import Hierarchy
from rumbo.engine.forecasting.models import Forecast
from rumbo.engine.forecasting.reconcile import HierarchicalForecaster

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

FitPredict = Callable[[FloatArray, int], Forecast]


@dataclass(frozen=True)
class Backtest:
    """Accuracy per series (rows), each the mean over origins of that origin's measure."""

    origins: tuple[int, ...]
    horizon: int
    mase: FloatArray
    bias: FloatArray  # mean error on the MASE scale; positive = forecasts too high
    rmse: FloatArray
    levels: tuple[float, ...]
    coverage: FloatArray  # (len(levels), n): share of actuals inside each interval

    def by_level(self, level: IntArray, n_levels: int) -> dict[str, FloatArray]:
        """Each measure averaged within each level of a hierarchy."""
        measures = {"mase": self.mase, "bias": self.bias, "rmse": self.rmse}
        out = {name: metrics.by_level(v, level, n_levels) for name, v in measures.items()}
        for k, lv in enumerate(self.levels):
            out[f"coverage_{lv:g}"] = metrics.by_level(self.coverage[k], level, n_levels)
        return out


def last_origins(n_periods: int, count: int) -> tuple[int, ...]:
    """Training lengths whose first forecast month is each of the last `count` periods."""
    if not 0 < count < n_periods:
        raise ValueError("count must be between 1 and the number of periods - 1")
    return tuple(range(n_periods - count, n_periods))


def rolling_origin(
    y: ArrayLike,
    fit_predict: FitPredict,
    origins: Sequence[int],
    horizon: int,
    season_length: int,
) -> Backtest:
    """Fit on y[:, :o] for each origin o, forecast min(horizon, T − o) periods, and score.

    `fit_predict(history, h)` returns a Forecast for every row of history; MASE and bias are
    scaled by each origin's own in-sample seasonal naive error.
    """
    values = np.array(y, dtype=float, ndmin=2)
    n, n_periods = values.shape
    if not origins or min(origins) < 1 or max(origins) >= n_periods:
        raise ValueError("origins must lie inside the series")
    scores: dict[str, list[FloatArray]] = {"mase": [], "bias": [], "rmse": [], "cover": []}
    levels: tuple[float, ...] = ()
    for origin in origins:
        h = min(horizon, n_periods - origin)
        history, actual = values[:, :origin], values[:, origin : origin + h]
        forecast = fit_predict(history, h)
        levels = forecast.levels
        scale = metrics.seasonal_naive_scale(history, season_length)
        scores["mase"].append(metrics.mase(actual, forecast.mean, scale))
        scores["bias"].append(metrics.scaled_bias(actual, forecast.mean, scale))
        scores["rmse"].append(metrics.rmse(actual, forecast.mean))
        cover = [
            metrics.coverage(actual, lo, hi)
            for lo, hi in zip(forecast.lower, forecast.upper, strict=True)
        ]
        scores["cover"].append(np.array(cover).reshape(len(levels), n))
    mean = {k: _mean_over_origins(np.stack(v)) for k, v in scores.items()}
    return Backtest(
        origins=tuple(origins),
        horizon=horizon,
        mase=mean["mase"],
        bias=mean["bias"],
        rmse=mean["rmse"],
        levels=levels,
        coverage=mean["cover"],
    )


def _mean_over_origins(stack: FloatArray) -> FloatArray:
    count = (~np.isnan(stack)).sum(axis=0)
    return np.where(count > 0, np.nansum(stack, axis=0) / np.maximum(count, 1), np.nan)


def hierarchical(hierarchy: Hierarchy, make: Callable[[], HierarchicalForecaster]) -> FitPredict:
    """A fit_predict over every row of `hierarchy` that fits `make()` on the bottom rows only."""

    def fit_predict(history: FloatArray, h: int) -> Forecast:
        return make().fit(history[hierarchy.n_aggregates :], hierarchy).predict(h)

    return fit_predict
