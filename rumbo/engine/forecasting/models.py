"""Forecasters for many series at once, in scikit-learn style.

Parameters go to `__init__`, `fit(y)` learns from a (series × periods) array and returns self,
learned attributes end in `_`, and `predict(h)` returns a `Forecast` with Gaussian intervals.
NaN marks a missing value; a series may start late (leading NaN, or leading zeros if asked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from rumbo.engine.forecasting.seasonal import seasonal_indices, shrink_indices
from rumbo.engine.forecasting.smoothing import SmoothingFit, Spec, fit_smoothing

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# Level only, linear trend, damped trend: the three forms of the M4 "Comb" benchmark.
TREND_FORMS = ((False, False), (True, False), (True, True))
# Seasonal factors are floored so that dividing by them stays finite for seasons without sales.
MIN_FACTOR = 0.1


@dataclass(frozen=True)
class Forecast:
    """Point forecasts (n, h) with standard deviations and bounds per level (levels, n, h)."""

    mean: FloatArray
    std: FloatArray
    levels: tuple[float, ...]
    lower: FloatArray
    upper: FloatArray

    def interval(self, level: float) -> tuple[FloatArray, FloatArray]:
        """Lower and upper bounds (n, h) of the prediction interval at `level` percent."""
        k = self.levels.index(level)
        return self.lower[k], self.upper[k]


def gaussian_forecast(
    mean: FloatArray, std: FloatArray, levels: Sequence[float], nonnegative: BoolArray
) -> Forecast:
    """Forecast with normal intervals; rows that cannot go negative are clipped at zero."""
    floor = np.where(nonnegative[:, None], 0.0, -np.inf)
    mean = np.maximum(mean, floor)
    z = stats.norm.ppf(0.5 + np.asarray(levels, dtype=float) / 200)[:, None, None]
    lower = np.maximum(mean - z * std, floor)
    return Forecast(mean, std, tuple(float(v) for v in levels), lower, mean + z * std)


def prepare(y: ArrayLike, leading_zeros_missing: bool = False) -> tuple[FloatArray, IntArray]:
    """Series from their first value on, with gaps interpolated, and the column each starts at.

    Values before the start become NaN; a series with no value starts at the end (length 0).
    """
    values = np.array(y, dtype=float, ndmin=2)
    present = ~np.isnan(values)
    if leading_zeros_missing:
        present &= values != 0
    n_periods = values.shape[1]
    start = np.where(present.any(axis=1), present.argmax(axis=1), n_periods).astype(np.int64)
    filled = np.full_like(values, np.nan)
    t = np.arange(n_periods)
    for i in np.flatnonzero(start < n_periods):
        seen = t[~np.isnan(values[i]) & (t >= start[i])]
        filled[i, start[i] :] = np.interp(t[start[i] :], seen, values[i, seen])
    return filled, start


def never_negative(values: FloatArray) -> BoolArray:
    """Rows without a negative value (sales, units): their forecasts are clipped at zero."""
    return np.asarray(np.all(np.nan_to_num(values) >= 0, axis=1), dtype=bool)


def _mean_over(stack: FloatArray) -> FloatArray:
    """Mean over the first axis ignoring NaN; NaN where every member is NaN (no warnings)."""
    count = (~np.isnan(stack)).sum(axis=0)
    total = np.nansum(stack, axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _median_over(stack: FloatArray) -> FloatArray:
    """Median over the first axis ignoring NaN; NaN where every member is NaN (no warnings)."""
    ordered = np.sort(stack, axis=0)  # NaN sorts last
    count = (~np.isnan(stack)).sum(axis=0)
    low = np.take_along_axis(ordered, np.maximum(count - 1, 0)[None] // 2, axis=0)[0]
    high = np.take_along_axis(ordered, (count // 2)[None], axis=0)[0]
    return np.where(count > 0, (low + high) / 2, np.nan)


class SeasonalNaive:
    """Each season repeats its value of the last cycle (last value for shorter series)."""

    def __init__(self, season_length: int = 12, levels: Sequence[float] = (80.0, 95.0)) -> None:
        self.season_length = season_length
        self.levels = levels

    def fit(self, y: ArrayLike) -> SeasonalNaive:
        filled, start = prepare(y)
        m = self.season_length
        n_periods = filled.shape[1]
        last = np.nan_to_num(filled[:, -1:], nan=0.0)
        short = (n_periods - start < m)[:, None]
        cycle = filled[:, -m:] if n_periods >= m else np.repeat(last, m, axis=1)
        self.last_cycle_ = np.where(short, last, np.nan_to_num(cycle))
        self.residuals_ = np.full_like(filled, np.nan)
        self.residuals_[:, m:] = filled[:, m:] - filled[:, :-m]
        squares = np.nan_to_num(self.residuals_**2)
        count = np.maximum((~np.isnan(self.residuals_)).sum(axis=1), 1)
        self.sigma_ = np.sqrt(squares.sum(axis=1) / count)
        self.nonnegative_ = never_negative(filled)
        return self

    def predict(self, horizon: int) -> Forecast:
        k = np.arange(horizon)
        mean = self.last_cycle_[:, k % self.season_length]
        std = self.sigma_[:, None] * np.sqrt(k // self.season_length + 1)
        return gaussian_forecast(mean, std, self.levels, self.nonnegative_)


class ExponentialSmoothing:
    """One additive exponential-smoothing model (ETS with additive errors) for every series."""

    def __init__(
        self,
        season_length: int = 12,
        trend: bool = False,
        damped: bool = False,
        seasonal: bool = True,
        levels: Sequence[float] = (80.0, 95.0),
    ) -> None:
        self.season_length = season_length
        self.trend = trend
        self.damped = damped
        self.seasonal = seasonal
        self.levels = levels

    def fit(self, y: ArrayLike) -> ExponentialSmoothing:
        filled, start = prepare(y)
        spec = Spec(self.trend, self.trend and self.damped, self.seasonal)
        self.fit_ = fit_smoothing(filled, start, spec, self.season_length)
        self.nonnegative_ = never_negative(filled)
        return self

    def predict(self, horizon: int) -> Forecast:
        mean = self.fit_.forecast(horizon)
        std = self.fit_.sigma[:, None] * np.sqrt(self.fit_.variance_multiplier(horizon))
        return gaussian_forecast(mean, std, self.levels, self.nonnegative_)


class RumboForecaster:
    """Median of six exponential-smoothing forecasts per series.

    Three trend forms (none, linear, damped) × two seasonal forms: additive seasonal states, and
    multiplicative seasonal indices pooled towards a parent series (so short, noisy series borrow
    the pattern of their group) applied to a non-seasonal model of the adjusted series. Combining
    is robust where selecting one model is not, and the median ignores a member gone astray;
    members a series is too short for (seasonal states or trends: two years) are left out.
    """

    def __init__(
        self,
        season_length: int = 12,
        levels: Sequence[float] = (80.0, 95.0),
        leading_zeros_missing: bool = False,
    ) -> None:
        self.season_length = season_length
        self.levels = levels
        self.leading_zeros_missing = leading_zeros_missing

    def fit(
        self, y: ArrayLike, parents: IntArray | None = None, groups: IntArray | None = None
    ) -> RumboForecaster:
        """Learn from y (n, T). `parents[i]` is the row whose seasonal pattern row i may borrow
        (-1: none; default: the mean pattern of all rows); rows of one `groups` value (e.g. a
        hierarchy level) share the estimate of how far true patterns stray from their priors."""
        filled, start = prepare(y, self.leading_zeros_missing)
        m, n_periods = self.season_length, filled.shape[1]
        self.start_ = start
        self.seasonal_index_ = self._seasonal_index(filled, start, parents, groups)
        factors = np.maximum(self.seasonal_index_[:, np.arange(n_periods) % m], MIN_FACTOR)
        self.members_: list[tuple[SmoothingFit, FloatArray | None]] = []
        for trend, damped in TREND_FORMS:
            min_obs = 2 * m if trend else 0
            additive = fit_smoothing(filled, start, Spec(trend, damped, True), m, 2 * m)
            adjusted = fit_smoothing(
                filled / factors, start, Spec(trend, damped, False), m, min_obs
            )
            self.members_ += [(additive, None), (adjusted, factors)]
        self._fit_fallback(filled, start)
        self.nonnegative_ = never_negative(filled)
        return self

    def _seasonal_index(
        self,
        filled: FloatArray,
        start: IntArray,
        parents: IntArray | None,
        groups: IntArray | None,
    ) -> FloatArray:
        """Indices by column slot t % m, estimated from each series' own span, then pooled."""
        m, n = self.season_length, len(filled)
        index, std_error = np.ones((n, m)), np.full((n, m), np.nan)
        for offset in np.unique(start[start < filled.shape[1]]):
            rows = np.flatnonzero(start == offset)
            own, se, _ = seasonal_indices(filled[rows, offset:], m)
            index[rows], std_error[rows] = np.roll(own, offset, 1), np.roll(se, offset, 1)
        if parents is None:
            prior = np.repeat(index.mean(axis=0, keepdims=True), n, axis=0)
        else:
            prior = np.where((parents >= 0)[:, None], index[np.maximum(parents, 0)], np.nan)
        groups = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups)
        return shrink_indices(index, std_error, prior, groups)[0]

    def _fit_fallback(self, filled: FloatArray, start: IntArray) -> None:
        """Combined residuals and their scale; rows no member fits get their recent mean."""
        residuals = np.stack(
            [fit.residuals * (1.0 if f is None else f) for fit, f in self.members_]
        )
        self.residuals_ = _median_over(residuals)
        recent = filled[:, -self.season_length :]
        self.fallback_ = np.nan_to_num(_mean_over(recent.T))
        bare = np.isnan(self.residuals_).all(axis=1) & (start < filled.shape[1])
        self.residuals_[bare] = filled[bare] - self.fallback_[bare, None]
        squares = np.nan_to_num(self.residuals_**2)
        count = np.maximum((~np.isnan(self.residuals_)).sum(axis=1), 1)
        self.sigma_ = np.sqrt(squares.sum(axis=1) / count)

    def predict(self, horizon: int) -> Forecast:
        """Median of the members' forecasts, with the members' mean standard deviation.

        The spread of a combination is not smaller than its members' out of sample, whatever its
        in-sample residuals say, so each member's own (degrees-of-freedom adjusted) spread is used.
        """
        m = self.season_length
        means, spreads = [], []
        for fit, factors in self.members_:
            mean = fit.forecast(horizon)
            spread = fit.sigma[:, None] * np.sqrt(fit.variance_multiplier(horizon))
            if factors is not None:
                ahead = self.seasonal_index_[:, (factors.shape[1] + np.arange(horizon)) % m]
                ahead = np.maximum(ahead, MIN_FACTOR)
                mean, spread = mean * ahead, spread * ahead
            means.append(mean)
            spreads.append(np.where(fit.usable[:, None], spread, np.nan))
        mean = _median_over(np.stack(means))
        std = _mean_over(np.stack(spreads))
        mean = np.where(np.isnan(mean), self.fallback_[:, None], mean)
        std = np.where(np.isnan(std), self.sigma_[:, None], std)
        return gaussian_forecast(mean, std, self.levels, self.nonnegative_)
