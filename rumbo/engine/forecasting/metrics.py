"""Accuracy measures per series, scale-free so that series of any size can be averaged.

MASE divides the mean absolute error by the in-sample mean absolute error of the seasonal naive
forecast (Hyndman & Koehler 2006): below 1 beats last year's value on the history. Bias is the
mean error on the same scale (positive = forecasts too high).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def seasonal_naive_scale(history: FloatArray, season_length: int) -> FloatArray:
    """Mean |y_t − y_{t−m}| of each row of history (n, T); NaN where undefined or zero."""
    m = season_length
    if history.shape[1] <= m:
        return np.full(history.shape[0], np.nan)
    diffs = np.abs(history[:, m:] - history[:, :-m])
    count = (~np.isnan(diffs)).sum(axis=1)
    total = np.nansum(diffs, axis=1)
    scale = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return np.where(scale > 0, scale, np.nan)


def _row_mean(values: FloatArray) -> FloatArray:
    count = (~np.isnan(values)).sum(axis=1)
    return np.where(count > 0, np.nansum(values, axis=1) / np.maximum(count, 1), np.nan)


def mase(actual: FloatArray, forecast: FloatArray, scale: FloatArray) -> FloatArray:
    """Mean absolute scaled error of each row (NaN actuals are skipped)."""
    return _row_mean(np.abs(forecast - actual)) / scale


def scaled_bias(actual: FloatArray, forecast: FloatArray, scale: FloatArray) -> FloatArray:
    """Mean error (forecast − actual) of each row on the MASE scale."""
    return _row_mean(forecast - actual) / scale


def rmse(actual: FloatArray, forecast: FloatArray) -> FloatArray:
    """Root mean squared error of each row, in the data's units."""
    return np.sqrt(_row_mean((forecast - actual) ** 2))


def coverage(actual: FloatArray, lower: FloatArray, upper: FloatArray) -> FloatArray:
    """Share of each row's actuals that fall inside [lower, upper]."""
    inside = ((actual >= lower) & (actual <= upper)).astype(float)
    return _row_mean(np.where(np.isnan(actual), np.nan, inside))


def by_level(values: FloatArray, level: IntArray, n_levels: int) -> FloatArray:
    """Mean of a per-series measure within each level, ignoring undefined (NaN) series."""
    out = np.full(n_levels, np.nan)
    for k in range(n_levels):
        chosen = values[(level == k) & ~np.isnan(values)]
        if chosen.size:
            out[k] = chosen.mean()
    return out
