"""Additive exponential smoothing (ETS with additive errors) fitted to many series at once.

The smoothing parameters come from a grid shared by every series. For each grid point the one-step
errors are linear in the initial states, so those are the exact least-squares solution; the whole
fit is then a few vectorised passes over time instead of one numerical optimiser per series.
Series must be fully observed and of equal length here; `fit_smoothing` groups by start first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

ALPHAS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6, 0.8, 0.95)
BETAS = (0.005, 0.02, 0.05, 0.1, 0.2)
GAMMAS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.35)
PHIS = (0.8, 0.9, 0.95, 0.98)
# Errors held in memory per chunk of series (series × grid points × periods), about 32 MB.
_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True)
class Spec:
    """Which components a model has: trend (optionally damped) and additive seasonality."""

    trend: bool = False
    damped: bool = False
    seasonal: bool = True

    def state_size(self, season_length: int) -> int:
        return 1 + int(self.trend) + (season_length if self.seasonal else 0)

    def n_params(self, season_length: int) -> int:
        """Smoothing parameters plus initial states, for degrees of freedom."""
        smoothing = 1 + int(self.trend) + int(self.damped) + int(self.seasonal)
        return smoothing + self.state_size(season_length)


@dataclass(frozen=True)
class SmoothingFit:
    """Per-series parameters, final states and one-step residuals of one `Spec`.

    `usable` is False for series too short for this model; their forecasts are NaN.
    """

    spec: Spec
    season_length: int
    params: FloatArray  # (n, 4): alpha, beta, gamma, phi
    states: FloatArray  # (n, p) after the last observation: level, [slope], seasons by slot
    residuals: FloatArray  # (n, T), NaN before a series starts
    sigma: FloatArray  # (n,) residual standard deviation, adjusted for degrees of freedom
    n_obs: IntArray  # (n,)
    usable: NDArray[np.bool_]

    def forecast(self, horizon: int) -> FloatArray:
        """Point forecasts (n, horizon)."""
        m, spec = self.season_length, self.spec
        phi = self.params[:, 3:4]
        mean = np.repeat(self.states[:, :1], horizon, axis=1)
        if spec.trend:
            damp = np.cumsum(phi ** np.arange(1, horizon + 1), axis=1)
            mean = mean + damp * self.states[:, 1:2]
        if spec.seasonal:
            first = 1 + int(spec.trend)
            slots = (self.n_obs[:, None] + np.arange(horizon)) % m
            mean = mean + np.take_along_axis(self.states[:, first:], slots, axis=1)
        return np.where(self.usable[:, None], mean, np.nan)

    def variance_multiplier(self, horizon: int) -> FloatArray:
        """(n, horizon) ratio of the h-step to the one-step error variance (Hyndman et al. 2008)."""
        alpha, beta, gamma, phi = (self.params[:, i : i + 1] for i in range(4))
        j = np.arange(1, horizon)
        c = alpha + beta * np.cumsum(phi**j, axis=1) + gamma * (j % self.season_length == 0)
        c = c if c.size else np.zeros((len(alpha), 0))
        return np.concatenate([np.ones((len(alpha), 1)), 1 + np.cumsum(c**2, axis=1)], axis=1)


def grid(spec: Spec) -> FloatArray:
    """The (G, 4) candidate parameters; beta <= alpha, gamma <= 1 - alpha keep them admissible."""
    betas = BETAS if spec.trend else (0.0,)
    gammas = GAMMAS if spec.seasonal else (0.0,)
    phis = PHIS if spec.damped else (1.0,)
    points = [
        (a, b, g, p)
        for a, b, g, p in itertools.product(ALPHAS, betas, gammas, phis)
        if b <= a and g <= 1 - a
    ]
    return np.array(points, dtype=float)


def run(
    y: FloatArray, params: FloatArray, x0: FloatArray, spec: Spec, m: int
) -> tuple[FloatArray, FloatArray]:
    """Filter y (A, T) with params broadcastable to (A, B, 4) from states x0 (A, B, p).

    Returns the one-step errors (A, B, T) and the final states (A, B, p).
    """
    alpha, beta, gamma, phi = (params[..., i] for i in range(4))
    x = x0.copy()
    first = 1 + int(spec.trend)
    errors = np.empty((*x.shape[:2], y.shape[1]))
    for t in range(y.shape[1]):
        damped = phi * x[..., 1] if spec.trend else 0.0
        slot = first + t % m
        fitted = x[..., 0] + damped + (x[..., slot] if spec.seasonal else 0.0)
        e = y[:, t, None] - fitted
        errors[..., t] = e
        x[..., 0] += damped + alpha * e
        if spec.trend:
            x[..., 1] = damped + beta * e
        if spec.seasonal:
            x[..., slot] += gamma * e
    return errors, x


def _design(
    spec: Spec, m: int, points: FloatArray, n_periods: int
) -> tuple[FloatArray, FloatArray]:
    """For each grid point, the pseudo-inverse factors (V S^-1, U) of the initial-state design.

    Fitted values are linear in the initial states; the design's columns are the fitted values
    obtained from each unit initial state with y = 0.
    """
    p = spec.state_size(m)
    unit = np.repeat(np.eye(p)[:, None, :], len(points), axis=1)
    errors, _ = run(np.zeros((p, n_periods)), points[None], unit, spec, m)
    factors = []
    for g in range(len(points)):
        u, s, vt = np.linalg.svd(-errors[:, g, :].T, full_matrices=False)
        keep = s > 1e-9 * max(s[0], 1e-300)
        factors.append((vt[keep].T / s[keep], u[:, keep]))
    width = max(f[1].shape[1] for f in factors)
    solve = np.zeros((len(points), p, width))
    basis = np.zeros((len(points), n_periods, width))
    for g, (vs, u) in enumerate(factors):
        solve[g, :, : u.shape[1]], basis[g, :, : u.shape[1]] = vs, u
    return solve, basis


def _fit_equal_length(y: FloatArray, spec: Spec, m: int) -> tuple[FloatArray, FloatArray]:
    """Best grid parameters (n, 4) and least-squares initial states (n, p) for full series."""
    points = grid(spec)
    n, n_periods = y.shape
    solve, basis = _design(spec, m, points, n_periods)
    p = spec.state_size(m)
    best_params, best_x0 = np.empty((n, 4)), np.empty((n, p))
    chunk = max(1, _CHUNK_CELLS // (len(points) * n_periods))
    for lo in range(0, n, chunk):
        part = y[lo : lo + chunk]
        errors, _ = run(part, points[None], np.zeros((len(part), len(points), p)), spec, m)
        coef = np.matmul(errors.transpose(1, 0, 2), basis)  # (G, chunk, width)
        sse = (errors**2).sum(axis=2) - (coef**2).sum(axis=2).T
        best = sse.argmin(axis=1)
        rows = np.arange(len(part))
        best_params[lo : lo + chunk] = points[best]
        best_x0[lo : lo + chunk] = np.einsum("npw,nw->np", solve[best], coef[best, rows])
    return best_params, best_x0


def fit_smoothing(
    y: FloatArray, start: IntArray, spec: Spec, m: int, min_obs: int = 0
) -> SmoothingFit:
    """Fit `spec` to each row of y (n, T), whose data begin at column `start[i]`.

    Series with fewer than max(p + 2, min_obs) observations (p initial states) are unusable.
    """
    n, n_periods = y.shape
    p = spec.state_size(m)
    params, states = np.zeros((n, 4)), np.zeros((n, p))
    residuals = np.full((n, n_periods), np.nan)
    n_obs = (n_periods - start).astype(np.int64)
    usable = n_obs >= max(p + 2, min_obs)
    for offset in np.unique(start[usable]):
        rows = np.flatnonzero(usable & (start == offset))
        part = y[rows, offset:]
        params[rows], x0 = _fit_equal_length(part, spec, m)
        errors, final = run(part, params[rows, None], x0[:, None], spec, m)
        residuals[rows, offset:], states[rows] = errors[:, 0], final[:, 0]
    dof = np.maximum(n_obs - spec.n_params(m), 1)
    sigma = np.sqrt(np.nansum(residuals**2, axis=1) / dof)
    return SmoothingFit(spec, m, params, states, residuals, sigma, n_obs, usable)
