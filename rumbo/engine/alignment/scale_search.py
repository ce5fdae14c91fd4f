"""Territory design without adjacency (accounts), fast enough for 50,000 units.

Alternates three steps, as location-allocation heuristics do: (1) with the centres fixed, a
Lagrangian price per territory and measure is adjusted (sign-based steps, as in Rprop) until
assigning every unit to its cheapest nearby centre, distance plus prices, lands inside bands a bit
narrower than the manager's; (2) batches of single-unit moves to a nearby territory that shorten
distances without leaving the true bands (or that shrink a remaining violation), then swaps
between neighbouring territories, which repair the last violations and, once balanced, shorten
distances where no single move fits the bands any more; (3) every centre moves to its territory's
medoid. Then it starts again from new centres while time remains.
"""

from __future__ import annotations

import random

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from rumbo.engine.alignment.balance import loads_of, violation
from rumbo.engine.alignment.construct import bisect
from rumbo.engine.alignment.model import Model
from rumbo.engine.alignment.scale_moves import Pricing, improve
from rumbo.engine.alignment.scale_prices import ScaleData, excess, price_assign
from rumbo.engine.alignment.scale_swaps import improve_swaps, repair_swaps
from rumbo.engine.alignment.space import distances_to, medoid
from rumbo.engine.alignment.tracker import Tracker

CANDIDATES = 8  # nearest centres a unit may join
MEDOID_TRIES = 128  # units near a territory's mean tried as its new centre while searching
MOVE_ROUNDS = 25  # move batches between two medoid updates
REPAIR_ROUNDS = 100  # move batches of the first, balance-seeking phase


def search_scale(model: Model, tracker: Tracker, seed: int) -> None:
    """Restarts of price assignment, moves and medoid updates until the tracker stops."""
    rng = random.Random(seed)
    data = ScaleData(model)
    start = 0
    while not tracker.stopped:
        assign = _first_start(model) if start == 0 else bisect(model, rng)
        if model.homes is not None:
            centres = model.homes
        else:
            centres = medoids(model, assign, np.zeros((model.k, model.points.shape[1])))
        ticks = tracker.iterations
        _descend(data, assign, centres, tracker)
        if tracker.iterations == ticks:  # a start with nothing to improve still counts
            tracker.tick()
        start += 1


def _first_start(model: Model) -> NDArray[np.int64]:
    """Today's alignment when every unit has a territory, else a balanced bisection."""
    if model.current is not None and (model.current >= 0).all():
        return model.current.copy()
    return bisect(model, random.Random(0))


def _descend(
    data: ScaleData, assign: NDArray[np.int64], centres: NDArray[np.float64], tracker: Tracker
) -> None:
    """One start: price assignment, then moves and medoid updates until nothing improves."""
    model = data.model
    cand, dist = candidates(model, centres)
    _offer(model, assign, centres, tracker)
    assign = price_assign(data, assign, cand, dist, tracker)
    assign = improve(data, assign, centres, cand, dist, tracker, REPAIR_ROUNDS, repair=True)
    last = np.inf
    while not tracker.stopped:
        assign = improve(data, assign, centres, cand, dist, tracker, MOVE_ROUNDS)
        pricing = Pricing(data, dist, repair=False)
        assign = repair_swaps(data, assign, centres, cand, dist, pricing, tracker)
        if not _outside(data, assign):
            assign = improve_swaps(data, assign, centres, cand, dist, pricing, tracker)
        cost = _offer(model, assign, centres, tracker)
        if model.homes is not None or cost >= last * (1 - 1e-6) or tracker.stopped:
            return
        last = cost
        centres = medoids(model, assign, centres)
        cand, dist = candidates(model, centres)


def _outside(data: ScaleData, assign: NDArray[np.int64]) -> bool:
    """Is any territory outside its bands?"""
    return bool(excess(data.loads(assign), data.lower, data.upper).any())


def _offer(model: Model, assign: NDArray[np.int64], centres: NDArray, tracker: Tracker) -> float:
    """Hand an assignment to the tracker: its distance to the centres, and its violation of the
    bands plus any shortfall on the disruption limit."""
    cost = float(model.weights @ distances_to(model.points, centres[assign]))
    loads = loads_of(assign, model.measures, model.k)
    shortfall = 0.0
    if model.current is not None and model.kept_min > 0:
        kept = float(model.kept[assign == model.current].sum())
        total = max(float(model.kept[model.current >= 0].sum()), 1e-300)
        shortfall = max(model.kept_min - kept, 0.0) / total
    tracker.offer(assign, cost, violation(loads, model.bands) + shortfall)
    return cost


def candidates(model: Model, centres: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """For every unit the nearest open territories and its weighted distance to their centres."""
    open_ids = np.flatnonzero(model.open)
    count = min(CANDIDATES, len(open_ids))
    dist, near = cKDTree(centres[open_ids]).query(model.points, k=count)
    dist = np.asarray(dist).reshape(model.n, count)
    cand = open_ids[np.asarray(near).reshape(model.n, count)]
    return cand, dist * model.weights[:, None]


def medoids(model: Model, assign: NDArray[np.int64], centres: NDArray) -> NDArray[np.float64]:
    """Each territory's centre moved to its weighted medoid (empty ones keep theirs)."""
    new = centres.copy()
    order = np.argsort(assign, kind="stable")
    starts = np.searchsorted(assign[order], np.arange(model.k + 1))
    for j in range(model.k):
        members = order[starts[j] : starts[j + 1]]
        if len(members):
            best, _ = medoid(model.points[members], model.weights[members], MEDOID_TRIES)
            new[j] = model.points[members[best]]
    return new
