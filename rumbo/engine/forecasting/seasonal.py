"""Seasonal profiles of many monthly (or quarterly) series: what sells when, and how sure we are.

A seasonal index says how a season compares with the series' trend (1.30 = 30 % above it). It is
the mean, over the years, of each season's ratio to a centred moving average, so growth does not
leak into the pattern; the spread of those yearly ratios gives its standard error. Short or noisy
series borrow strength from a parent series (empirical Bayes), as group seasonal indices do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SeasonalProfile:
    """Per series (rows) and season position (columns, e.g. 0 = January): index and uncertainty."""

    index: FloatArray  # (n, m), mean 1 per row
    std_error: FloatArray  # (n, m), NaN where fewer than two years inform a season
    lower: FloatArray  # (n, m) confidence bounds at `confidence`
    upper: FloatArray
    years: IntArray  # (n, m) how many yearly ratios were averaged
    level: FloatArray  # (n,) deseasonalised level at the last period
    growth: FloatArray  # (n,) relative change of the deseasonalised series per year (0.05 = +5 %)
    growth_std_error: FloatArray  # (n,)
    confidence: float


@dataclass(frozen=True)
class TopItems:
    """For each season position, the best-selling items: row indices (-1 = none), totals, shares."""

    items: IntArray  # (m, k)
    totals: FloatArray  # (m, k)
    shares: FloatArray  # (m, k) of the season's total over all items


def trend_cycle(y: FloatArray, m: int) -> FloatArray:
    """Centred moving average (2×m for even m), extended linearly over the ends.

    The ends use a line through the nearest m averages, so every period gets a trend value and
    no year is lost to the averaging window. Series shorter than m + 1 get their mean.
    """
    n, n_periods = y.shape
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    half = len(weights) // 2
    if n_periods < len(weights) + 1:
        return np.repeat(np.nanmean(y, axis=1, keepdims=True), n_periods, axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(y, len(weights), axis=1)
    inner = windows @ weights  # (n, T - 2*half), NaN if a window has a gap
    trend = np.full((n, n_periods), np.nan)
    trend[:, half : n_periods - half] = inner
    centres = np.arange(half, n_periods - half)
    left, right = np.arange(half), np.arange(n_periods - half, n_periods)
    for ends, near in ((left, slice(0, m)), (right, slice(-m, None))):
        slope, intercept = _line(centres[near], inner[:, near])
        trend[:, ends] = intercept[:, None] + slope[:, None] * ends
    return trend


def _line(t: FloatArray | IntArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Least-squares slope and intercept of each row of values against t, ignoring NaN."""
    ok = ~np.isnan(values)
    count = np.maximum(ok.sum(axis=1), 1)
    t_mean = (ok * t).sum(axis=1) / count
    v_mean = np.where(ok, values, 0).sum(axis=1) / count
    dt = np.where(ok, t - t_mean[:, None], 0)
    denom = (dt**2).sum(axis=1)
    slope = np.where(denom > 0, (dt * np.where(ok, values, 0)).sum(axis=1) / _nonzero(denom), 0)
    return slope, v_mean - slope * t_mean


def _nonzero(x: FloatArray) -> FloatArray:
    """x with zeros replaced by 1, for divisions whose zero case is masked anyway."""
    return np.where(x == 0, 1.0, x)


def seasonal_indices(y: FloatArray, m: int) -> tuple[FloatArray, FloatArray, IntArray]:
    """Indices (n, m) by column slot t % m, their standard errors and counts of yearly ratios.

    NaN values are ignored; a series without positive trend values gets indices of 1.
    """
    trend = trend_cycle(y, m)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(trend > 0, y / trend, np.nan)
    n, n_periods = y.shape
    pad = (-n_periods) % m
    by_slot = np.pad(ratio, ((0, 0), (0, pad)), constant_values=np.nan).reshape(n, -1, m)
    count = (~np.isnan(by_slot)).sum(axis=1)
    total = np.nansum(by_slot, axis=1)
    index = np.where(count > 0, total / np.maximum(count, 1), 1.0)
    deviation = np.where(np.isnan(by_slot), 0, by_slot - index[:, None, :]) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        std_error = np.sqrt(deviation.sum(axis=1) / (count - 1) / count)
    std_error[count < 2] = np.nan
    scale = index.mean(axis=1, keepdims=True)
    scale[scale <= 0] = 1.0
    return index / scale, std_error / scale, count.astype(np.int64)


def shrink_indices(
    index: FloatArray, std_error: FloatArray, prior: FloatArray, groups: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Pull each row's indices towards its prior (a parent's indices; NaN rows = no prior).

    Weight tau² / (tau² + se²), with tau² the spread of true indices around their priors estimated
    within each group by moments (Efron–Morris); a season with unknown error takes the prior.
    Returns the pooled indices and the weights of the rows' own estimates (1 without a prior).
    """
    out, weights = index.copy(), np.ones_like(index)
    has_prior = ~np.isnan(prior).any(axis=1)
    for group in np.unique(groups[has_prior]):
        rows = np.flatnonzero(has_prior & (groups == group))
        own, pri, var = index[rows], prior[rows], std_error[rows] ** 2
        known = ~np.isnan(var)
        excess = np.where(known, (own - pri) ** 2 - np.where(known, var, 0), 0)
        tau2 = np.maximum(excess.sum(axis=0) / np.maximum(known.sum(axis=0), 1), 0)
        weight = np.where(known, tau2 / np.maximum(tau2 + np.where(known, var, 0), 1e-12), 0)
        out[rows], weights[rows] = pri + weight * (own - pri), weight
    return out / out.mean(axis=1, keepdims=True), weights


def seasonal_profile(
    y: FloatArray,
    season_length: int = 12,
    first_season: int = 0,
    confidence: float = 0.9,
    parents: IntArray | None = None,
    groups: IntArray | None = None,
) -> SeasonalProfile:
    """Seasonal indices with confidence bounds, level and yearly growth for each row of y (n, T).

    Column 0 of y falls in season position `first_season` (0 = January for monthly data). With
    `parents` (row of each row's parent, -1 for none) a row's indices are pulled towards its
    parent's as in `shrink_indices`, and their standard errors shrink to the posterior ones.
    """
    y = np.asarray(y, dtype=float)
    m = season_length
    index, std_error, years = seasonal_indices(y, m)
    if parents is not None:
        prior = np.where((parents >= 0)[:, None], index[np.maximum(parents, 0)], np.nan)
        groups = np.zeros(len(y), dtype=np.int64) if groups is None else groups
        index, weights = shrink_indices(index, std_error, prior, groups)
        std_error = np.sqrt(weights) * std_error
    dof = np.maximum(years - 1, 1)
    half = stats.t.ppf(0.5 + confidence / 2, dof) * std_error
    factors = index[:, np.arange(y.shape[1]) % m]
    with np.errstate(invalid="ignore", divide="ignore"):
        adjusted = np.where(factors > 0, y / factors, np.nan)
    level, growth, growth_se = _growth(adjusted, m)
    order = (np.arange(m) - first_season) % m  # slot of each season position
    return SeasonalProfile(
        index=index[:, order],
        std_error=std_error[:, order],
        lower=(index - half)[:, order],
        upper=(index + half)[:, order],
        years=years[:, order],
        level=level,
        growth=growth,
        growth_std_error=growth_se,
        confidence=confidence,
    )


def _growth(adjusted: FloatArray, m: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Level at the end, growth per year relative to the mean, and its standard error."""
    t = np.arange(adjusted.shape[1], dtype=float)
    slope, intercept = _line(t, adjusted)
    ok = ~np.isnan(adjusted)
    count = ok.sum(axis=1)
    fitted = intercept[:, None] + slope[:, None] * t
    sse = np.where(ok, adjusted - fitted, 0) ** 2
    t_mean = (ok * t).sum(axis=1) / np.maximum(count, 1)
    spread = (np.where(ok, t - t_mean[:, None], 0) ** 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope_se = np.sqrt(sse.sum(axis=1) / (count - 2) / spread)
        mean = np.where(ok, adjusted, 0).sum(axis=1) / count
        growth = np.where(mean > 0, slope * m / mean, np.nan)
        growth_se = np.where(mean > 0, slope_se * m / mean, np.nan)
    growth_se[count < 3] = np.nan
    return intercept + slope * t[-1], growth, growth_se


def top_items(
    values: FloatArray, season_length: int = 12, first_season: int = 0, k: int = 5
) -> TopItems:
    """The k items (rows of values, items × periods) with the largest totals in each season.

    Totals add every year's value of that season; items that never sold in it are left out.
    """
    values = np.nan_to_num(np.asarray(values, dtype=float))
    m = season_length
    positions = (first_season + np.arange(values.shape[1])) % m
    totals = np.stack([values[:, positions == p].sum(axis=1) for p in range(m)])  # (m, items)
    ranked = np.argsort(-totals, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(totals, ranked, axis=1)
    season_total = totals.sum(axis=1, keepdims=True)
    shares = np.where(season_total > 0, top / _nonzero(season_total), 0.0)
    items = np.where(top > 0, ranked, -1)
    return TopItems(items=items, totals=np.where(top > 0, top, 0.0), shares=shares)
