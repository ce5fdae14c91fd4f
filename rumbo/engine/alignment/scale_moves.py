"""Batches of single-unit moves to nearby territories, priced exactly against the bands.

All moves are priced at once with numpy (distance change plus a very large penalty on any change
of the band violation); the improving ones are then made best first, each re-priced against the
loads as they are by then, so the batch never undoes what an earlier move of it achieved. In the
repair phase a second, smaller penalty also pulls territories into bands half as wide, so that
neighbours keep room to take units from a territory still outside its band.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.scale_prices import ScaleData, excess
from rumbo.engine.alignment.space import distances_to
from rumbo.engine.alignment.tracker import Tracker

PRIORITY = 1e4  # balance before distance: the penalty per unit of violation, in typical moves
INNER_PRIORITY = 1e2  # the inner bands' penalty in the repair phase, in typical moves
BATCH = 4000  # moves tried per batch; the rest are priced again in the next one


class Pricing:
    """The bands of one phase and their penalties: true bands, optionally the inner bands too."""

    def __init__(self, data: ScaleData, dist: NDArray[np.float64], repair: bool) -> None:
        units = len(data.model.points) / data.model.k
        typical = max(float(np.median(dist[:, 0])) if dist.size else 1.0, 1e-9) * max(units, 1.0)
        self.bands = [(data.lower, data.upper, PRIORITY * typical)]
        if repair:
            self.bands.append((data.inner_lower, data.inner_upper, INNER_PRIORITY * typical))
        self.lists = [(lo.tolist(), up.tolist(), mu) for lo, up, mu in self.bands]

    def penalty(self, loads: NDArray, territories: NDArray) -> NDArray[np.float64]:
        """Penalty of loads (..., m) placed in the given territories (same leading shape)."""
        total = np.zeros(loads.shape[:-1])
        for lo, up, mu in self.bands:
            total += mu * excess(loads, lo[territories], up[territories])
        return total

    def shift(self, load: list[float], row: list[float], sign: float, j: int) -> float:
        """Change of territory j's penalty when a unit's shares are added (1) or removed (-1)."""
        total = 0.0
        for lo_all, up_all, mu in self.lists:
            lo, up = lo_all[j], up_all[j]
            before = after = 0.0
            for q, x in enumerate(load):
                y = x + sign * row[q]
                before += max(x - up[q], lo[q] - x, 0.0)
                after += max(y - up[q], lo[q] - y, 0.0)
            total += mu * (after - before)
        return total


def improve(
    data: ScaleData,
    assign: NDArray[np.int64],
    centres: NDArray[np.float64],
    cand: NDArray[np.int64],
    dist: NDArray[np.float64],
    tracker: Tracker,
    rounds: int,
    repair: bool = False,
) -> NDArray[np.int64]:
    """Up to `rounds` batches of improving moves; stops early when a batch changes nothing."""
    model = data.model
    assign = assign.copy()
    pricing = Pricing(data, dist, repair)
    for _ in range(rounds):
        if tracker.tick():
            break
        own = model.weights * distances_to(model.points, centres[assign])
        loads = data.loads(assign)
        units, targets, gains = _candidates(data, pricing, assign, loads, own, cand, dist)
        if not _apply(data, pricing, assign, loads, units, targets, gains):
            break
    return assign


def _candidates(data, pricing, assign, loads, own, cand, dist):
    """Best improving move per free unit (unit, territory, distance change), best first."""
    now = pricing.penalty(loads, np.arange(len(loads)))
    free = data.free
    if not now.any():
        # Inside every band no move lowers the penalty: only units nearer another centre move.
        free = free[(dist[free] < own[free][:, None]).any(axis=1)]
    a, c = assign[free], cand[free]
    shares = data.shares[free]
    left = pricing.penalty(loads[a] - shares, a) - now[a]
    joined = pricing.penalty(loads[c] + shares[:, None, :], c) - now[c]
    moved = dist[free] - own[free][:, None]
    delta = moved + left[:, None] + joined
    delta[(c == a[:, None]) | ~data.model.open[c]] = np.inf
    best = np.argmin(delta, axis=1)
    rows = np.arange(len(free))
    gain = delta[rows, best]
    good = np.flatnonzero(gain < -1e-12)
    order = good[np.argsort(gain[good], kind="stable")][:BATCH]
    return free[order], c[order, best[order]], moved[order, best[order]]


def _apply(data, pricing, assign, loads, units, targets, moved) -> int:
    """Make the moves in order while each still improves against the current loads."""
    model = data.model
    load = loads.tolist()
    shares = data.shares
    cur = model.current
    kept = float(model.kept[assign == cur].sum()) if cur is not None else 0.0
    count = 0
    for i, b, dd in zip(units.tolist(), targets.tolist(), moved.tolist(), strict=True):
        a = int(assign[i])
        row = shares[i].tolist()
        if (
            dd + pricing.shift(load[a], row, -1.0, a) + pricing.shift(load[b], row, 1.0, b)
            >= -1e-12
        ):
            continue
        if cur is not None and cur[i] == a:
            if kept - model.kept[i] < model.kept_min:
                continue
            kept -= model.kept[i]
        elif cur is not None and cur[i] == b:
            kept += model.kept[i]
        for q, x in enumerate(row):
            load[a][q] -= x
            load[b][q] += x
        assign[i] = b
        count += 1
    return count
