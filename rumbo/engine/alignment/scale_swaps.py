"""Swaps: repair of the last territories outside their bands, and shorter balanced territories.

When single moves cannot help (a territory over in sales but at the lower edge of its number of
accounts may give nothing away), trading a unit for one of a neighbour's can. For each territory
still outside its bands and each territory next to it, every pair of border units is priced at
once and the best improving swap is made. Once balanced, with every measure at the edge of its
band, single moves rarely fit either; `improve_swaps` then trades units between all neighbouring
territories wherever that shortens distances and keeps the bands.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.scale_moves import Pricing
from rumbo.engine.alignment.scale_prices import ScaleData, excess
from rumbo.engine.alignment.space import distances_to
from rumbo.engine.alignment.tracker import Tracker

BORDER = 300  # units per side considered for one pair of territories (repair)
TRADE_BORDER = 60  # units per side considered for one pair of territories (improvement)


def repair_swaps(
    data: ScaleData,
    assign: NDArray[np.int64],
    centres: NDArray[np.float64],
    cand: NDArray[np.int64],
    dist: NDArray[np.float64],
    pricing: Pricing,
    tracker: Tracker,
    passes: int = 50,
) -> NDArray[np.int64]:
    """Make improving swaps around territories outside their bands, pass after pass."""
    assign = assign.copy()
    model = data.model
    movable = np.zeros(model.n, dtype=bool)
    movable[data.free] = True
    for _ in range(passes):
        loads = data.loads(assign)
        if not excess(loads, data.lower, data.upper).any() or tracker.tick():
            break
        outside = np.flatnonzero(excess(loads, data.lower, data.upper) > 0)
        own = model.weights * distances_to(model.points, centres[assign])
        changed = False
        for a in outside.tolist():
            for b in _neighbours(a, assign, cand, movable, model.open):
                if _best_swap(data, pricing, assign, a, b, cand, dist, own, movable):
                    changed = True
                    break
        if not changed:
            break
    return assign


def improve_swaps(
    data: ScaleData,
    assign: NDArray[np.int64],
    centres: NDArray[np.float64],
    cand: NDArray[np.int64],
    dist: NDArray[np.float64],
    pricing: Pricing,
    tracker: Tracker,
    passes: int = 3,
) -> NDArray[np.int64]:
    """Passes of improving swaps between every pair of neighbouring territories.

    Each pass lists, per ordered pair (a, b), the units of a that have b among their candidates
    and gain most by joining it; pairs are tried most promising first, each until no swap of its
    lists improves (a unit that has moved drops out of the lists it was in).
    """
    assign = assign.copy()
    model = data.model
    for _ in range(passes):
        if tracker.stopped:
            break
        own = model.weights * distances_to(model.points, centres[assign])
        loads = data.loads(assign)
        groups = _trade_lists(data, assign, cand, dist, own)
        pairs = sorted(
            (groups[a, b][1][0] + groups[b, a][1][0], a, b)
            for a, b in groups
            if a < b and (b, a) in groups
        )
        made = 0
        for gain, a, b in pairs:
            if gain >= 0 or tracker.tick():
                break
            for _ in range(TRADE_BORDER):
                side_a, side_b = _still(groups[a, b], assign, a), _still(groups[b, a], assign, b)
                if not len(side_a[0]) or not len(side_b[0]):
                    break
                if not _trade(data, pricing, assign, loads, a, b, side_a, side_b):
                    break
                made += 1
        if not made:
            break
    return assign


def _still(group, assign, side: int):
    """The units of a trade list that are still in territory `side`."""
    units, gain = group
    keep = assign[units] == side
    return units[keep], gain[keep]


def _trade_lists(data: ScaleData, assign, cand, dist, own) -> dict:
    """(a, b) -> (units of a with b as a candidate, their distance change), best first."""
    model = data.model
    count = cand.shape[1]
    units = np.repeat(data.free, count)
    to = cand[data.free].ravel()
    there = dist[data.free].ravel() - own[units]
    side = assign[units]
    keep = (to != side) & model.open[to]
    units, to, there, side = units[keep], to[keep], there[keep], side[keep]
    key = side * model.k + to
    if not len(key):
        return {}
    order = np.lexsort((there, key))
    key, units, there = key[order], units[order], there[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    groups = {}
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        hi = min(hi, lo + TRADE_BORDER)
        a, b = divmod(int(key[lo]), model.k)
        groups[a, b] = (units[lo:hi], there[lo:hi])
    return groups


def _trade(data, pricing, assign, loads, a: int, b: int, side_a, side_b) -> bool:
    """Make the best improving swap from the two lists, updating `assign` and `loads`."""
    units_a, gain_a = side_a
    units_b, gain_b = side_b
    diff = data.shares[units_a][:, None, :] - data.shares[units_b][None, :, :]
    ta, tb = np.full(diff.shape[:2], a), np.full(diff.shape[:2], b)
    before = pricing.penalty(loads[[a, b]], np.array([a, b])).sum()
    after = pricing.penalty(loads[a] - diff, ta) + pricing.penalty(loads[b] + diff, tb)
    total = after - before + gain_a[:, None] + gain_b[None, :]
    total[~_kept_ok(data, assign, units_a, units_b, a, b)] = np.inf
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    if total[i, j] >= -1e-12:
        return False
    assign[units_a[i]], assign[units_b[j]] = b, a
    loads[a] -= diff[i, j]
    loads[b] += diff[i, j]
    return True


def _neighbours(a, assign, cand, movable, open_) -> list[int]:
    """Open territories among the candidates of territory a's units, most frequent first."""
    inside = (assign == a) & movable
    found = cand[inside].ravel()
    found = found[(found != a) & open_[found]]
    values, counts = np.unique(found, return_counts=True)
    return values[np.argsort(-counts)].tolist()


def _border(side: int, other: int, assign, cand, movable, own, dist) -> tuple[NDArray, NDArray]:
    """Units of territory `side` that may join `other`, nearest to it first, with that distance."""
    units = np.flatnonzero((assign == side) & movable & (cand == other).any(axis=1))
    column = np.argmax(cand[units] == other, axis=1)
    there = dist[units, column]
    order = np.argsort(there - own[units])[:BORDER]
    return units[order], there[order]


def _best_swap(data, pricing, assign, a, b, cand, dist, own, movable) -> bool:
    """Make the best improving swap between territories a and b, if there is one."""
    units_a, to_b = _border(a, b, assign, cand, movable, own, dist)
    units_b, to_a = _border(b, a, assign, cand, movable, own, dist)
    if not len(units_a) or not len(units_b):
        return False
    loads = data.loads(assign)
    diff = data.shares[units_a][:, None, :] - data.shares[units_b][None, :, :]
    ta, tb = np.full(diff.shape[:2], a), np.full(diff.shape[:2], b)
    before = pricing.penalty(loads[[a, b]], np.array([a, b])).sum()
    after = pricing.penalty(loads[a] - diff, ta) + pricing.penalty(loads[b] + diff, tb)
    moved = (to_b - own[units_a])[:, None] + (to_a - own[units_b])[None, :]
    total = after - before + moved
    total[~_kept_ok(data, assign, units_a, units_b, a, b)] = np.inf
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    if total[i, j] >= -1e-12:
        return False
    assign[units_a[i]], assign[units_b[j]] = b, a
    return True


def _kept_ok(data: ScaleData, assign, units_a, units_b, a: int, b: int) -> NDArray[np.bool_]:
    """Which swaps respect the disruption limit."""
    model = data.model
    shape = (len(units_a), len(units_b))
    if model.current is None or model.kept_min <= 0:
        return np.ones(shape, dtype=bool)
    cur, kept = model.current, model.kept
    now = float(kept[assign == cur].sum())
    change_a = kept[units_a] * ((cur[units_a] == b).astype(float) - (cur[units_a] == a))
    change_b = kept[units_b] * ((cur[units_b] == a).astype(float) - (cur[units_b] == b))
    return now + change_a[:, None] + change_b[None, :] >= model.kept_min
