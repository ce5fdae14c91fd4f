"""Balanced assignment to fixed centres by Lagrangian prices (the dual of the assignment LP).

A unit's cost of joining territory j is its weighted distance plus Σ_m price[j, m] × its share of
measure m; a heavy territory's prices rise and a light one's fall until the cheapest choices are
balanced. Prices move by per-entry steps that grow while the sign of the imbalance persists and
halve when it flips (Rprop), which needs no tuning to the units' scale. A bonus for staying in
today's territory plays the same role for the disruption limit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.model import Model
from rumbo.engine.alignment.tracker import Tracker

PRICE_ROUNDS = 300
INNER_BAND = 0.5  # prices aim at half of each tolerance; moves may use the rest
GROW, SHRINK = 1.2, 0.5


class ScaleData:
    """Normalised measures and bands of the balanced measures, split into fixed and free units."""

    def __init__(self, model: Model) -> None:
        self.model = model
        tol = model.problem.tolerances
        self.balanced = np.flatnonzero(np.isfinite(tol))
        scale = model.bands.scale[self.balanced]
        self.shares = model.measures[:, self.balanced] / scale[None, :]
        self.lower = model.bands.lower[:, self.balanced] / scale[None, :]
        self.upper = model.bands.upper[:, self.balanced] / scale[None, :]
        target = model.problem.target_matrix()[:, self.balanced] / scale[None, :]
        half = np.abs(target) * tol[self.balanced][None, :] * INNER_BAND
        self.inner_lower, self.inner_upper = target - half, target + half
        self.free = np.flatnonzero(model.movable)
        fixed = np.flatnonzero(~model.movable)
        self.fixed_loads = np.zeros((model.k, len(self.balanced)))
        if len(fixed):
            assert model.current is not None
            self.fixed_loads = summed(model.current[fixed], self.shares[fixed], model.k)

    def loads(self, assign: NDArray[np.int64]) -> NDArray[np.float64]:
        """Normalised loads (k, balanced measures) of a full assignment."""
        return summed(assign, self.shares, self.model.k)


def summed(where: NDArray[np.int64], values: NDArray[np.float64], k: int) -> NDArray:
    """(k, columns) sums of the rows of `values` by group (bincount is much faster than add.at)."""
    columns = [
        np.bincount(where, weights=values[:, q], minlength=k) for q in range(values.shape[1])
    ]
    return np.stack(columns, axis=1) if columns else np.zeros((k, 0))


def excess(loads: NDArray, lower: NDArray, upper: NDArray) -> NDArray[np.float64]:
    """Total excess over the bands, summed over the last axis (measures)."""
    return np.maximum(np.maximum(loads - upper, lower - loads), 0.0).sum(axis=-1)


def price_assign(
    data: ScaleData, start: NDArray[np.int64], cand: NDArray, dist: NDArray, tracker: Tracker
) -> NDArray[np.int64]:
    """The most balanced (then shortest) assignment seen while adjusting the prices.

    `start` (a full assignment) is the one to beat; fixed units keep their territory.
    """
    model, free = data.model, data.free
    shares, c_free, d_free = data.shares[free], cand[free], dist[free]
    rows = np.arange(len(free))
    prices = np.zeros((model.k, len(data.balanced)))
    step = np.full(prices.shape, _first_step(d_free, len(free) / max(int(model.open.sum()), 1)))
    previous = np.zeros(prices.shape)
    stay, bonus = _stay_mask(model, c_free, free), 0.0
    assign = start.copy()
    best = (_outside(data, start), np.inf, start.copy())
    for round_ in range(PRICE_ROUNDS):
        if round_ % 5 == 4 and tracker.tick():
            break
        cost = d_free + np.einsum("ncm,nm->nc", prices[c_free], shares) - bonus * stay
        choice = np.argmin(cost, axis=1)
        assign[free] = c_free[rows, choice]
        loads = data.fixed_loads + summed(assign[free], shares, model.k)
        key = (_outside(data, assign, loads), float(d_free[rows, choice].sum()))
        if key < best[:2]:
            best = (key[0], key[1], assign.copy())
        gap = np.sign(
            np.maximum(loads - data.inner_upper, 0) - np.maximum(data.inner_lower - loads, 0)
        )
        if key[0] == 0 and not gap.any():
            break
        agree = gap * previous
        step = np.where(agree > 0, step * GROW, np.where(agree < 0, step * SHRINK, step))
        prices += step * gap
        previous = gap
        typical = float(step.mean()) if step.size else 0.0  # no balanced measure: no step
        bonus = max(0.0, bonus + typical * np.sign(_kept_gap(data, assign)))
    return best[2]


def _outside(data: ScaleData, assign: NDArray[np.int64], loads: NDArray | None = None) -> float:
    """Violation of the true bands plus any shortfall on the disruption limit."""
    loads = data.loads(assign) if loads is None else loads
    return float(excess(loads, data.lower, data.upper).sum()) + max(_kept_gap(data, assign), 0.0)


def _first_step(dist: NDArray, units_per_territory: float) -> float:
    """A price step that shifts the boundary by a few percent of a typical distance."""
    typical = float(np.median(dist[:, 0])) if dist.size else 1.0
    return max(typical, 1e-9) * max(units_per_territory, 1.0) * 0.02


def _stay_mask(model: Model, cand: NDArray, free: NDArray) -> NDArray[np.float64]:
    """1 where a candidate is the unit's current territory and the disruption limit binds."""
    if model.current is None or model.kept_min <= 0:
        return np.zeros(cand.shape)
    return (cand == model.current[free][:, None]).astype(float)


def _kept_gap(data: ScaleData, assign: NDArray[np.int64]) -> float:
    """How much more must stay to meet the disruption limit (<= 0 when met), as a share."""
    model = data.model
    if model.current is None or model.kept_min <= 0:
        return -1.0
    kept = float(model.kept[assign == model.current].sum())
    return (model.kept_min - kept) / max(float(model.kept.sum()), 1e-300)
