"""Starting partitions for the contiguity search: region growing and recursive sweeps.

Both honour locks (locked units and locked territories' units are placed first and stay) and end
with every territory connected where the graph allows it.
"""

from __future__ import annotations

import heapq
import random
from collections import deque

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from rumbo.engine.alignment.model import Model


def preset(model: Model) -> NDArray[np.int64]:
    """Today's territory for units that may not move, -1 for the others."""
    fixed = np.full(model.n, -1, dtype=np.int64)
    if model.current is not None:
        held = ~model.movable
        fixed[held] = model.current[held]
    return fixed


def target_shares(model: Model) -> NDArray[np.float64]:
    """Each territory's share of the total, averaged over the balanced measures."""
    finite = np.isfinite(model.problem.tolerances)
    targets = model.problem.target_matrix()
    if not finite.any():
        return np.full(model.k, 1.0 / model.k)
    part = targets[:, finite] / np.maximum(targets[:, finite].sum(axis=0), 1e-300)
    return part.mean(axis=1)


def grow(model: Model, rng: random.Random) -> NDArray[np.int64]:
    """Grow territories from spread-out seeds, always extending the least loaded one."""
    assign = preset(model)
    seeds = _seeds(model, assign, rng)
    nbrs = model.neighbours
    assert nbrs is not None
    share, goal = model.balance_share, np.maximum(target_shares(model), 1e-12)
    load = np.bincount(assign[assign >= 0], weights=share[assign >= 0], minlength=model.k)
    heaps: list[list[tuple[float, int]]] = [[] for _ in range(model.k)]
    for j in range(model.k):
        if model.open[j]:
            for u in np.flatnonzero(assign == j):
                _push_frontier(heaps[j], int(u), nbrs, assign, model.points, seeds[j])
    active = {j for j in range(model.k) if heaps[j]}
    while active:
        j = min(active, key=lambda t: float(load[t] / goal[t]))
        unit = _pop_free(heaps[j], assign)
        if unit < 0:
            active.discard(j)
            continue
        assign[unit] = j
        load[j] += share[unit]
        _push_frontier(heaps[j], unit, nbrs, assign, model.points, seeds[j])
    return _place_leftovers(model, assign)


def _seeds(model: Model, assign: NDArray[np.int64], rng: random.Random) -> NDArray[np.float64]:
    """A seed point per territory; open territories without preset units get a free unit."""
    seeds = np.zeros((model.k, model.points.shape[1]))
    chosen: list[int] = []
    for j in range(model.k):
        members = np.flatnonzero(assign == j)
        if len(members):
            seeds[j] = model.points[members].mean(axis=0)
            chosen.extend(int(u) for u in members[:1])
    free = np.flatnonzero(assign < 0)
    for j in range(model.k):
        if (assign == j).any() or not model.open[j] or not len(free):
            continue
        unit = _spread_pick(model.points, free, chosen, rng)
        assign[unit] = j
        chosen.append(unit)
        seeds[j] = model.points[unit]
        free = free[free != unit]
    return seeds


def _spread_pick(points: NDArray, free: NDArray, chosen: list[int], rng: random.Random) -> int:
    """k-means++ choice: a free unit, with probability growing with its squared distance."""
    if not chosen:
        return int(free[int(rng.random() * len(free))])
    gap = points[free][:, None, :] - points[chosen][None, :, :]
    near = (gap**2).sum(axis=-1).min(axis=1)
    total = float(near.sum())
    if total <= 0:
        return int(free[int(rng.random() * len(free))])
    return int(
        free[min(int(np.searchsorted(np.cumsum(near), rng.random() * total)), len(free) - 1)]
    )


def _push_frontier(heap, unit, nbrs, assign, points, seed) -> None:
    for v in nbrs[unit]:
        if assign[v] < 0:
            heapq.heappush(heap, (float(np.sqrt(((points[v] - seed) ** 2).sum())), v))


def _pop_free(heap: list[tuple[float, int]], assign: NDArray[np.int64]) -> int:
    while heap:
        _, unit = heapq.heappop(heap)
        if assign[unit] < 0:
            return unit
    return -1


def _place_leftovers(model: Model, assign: NDArray[np.int64]) -> NDArray[np.int64]:
    """Units no territory could reach (other graph components) join the nearest placed unit."""
    loose = np.flatnonzero(assign < 0)
    placed = np.flatnonzero((assign >= 0) & model.open[np.maximum(assign, 0)])
    if len(loose) and len(placed):
        _, near = cKDTree(model.points[placed]).query(model.points[loose])
        assign[loose] = assign[placed[np.asarray(near)]]
    return assign


def sweep(model: Model, rng: random.Random, tries: int = 12) -> NDArray[np.int64]:
    """Recursive bisection by straight lines, choosing at each split the cut with fewest edges.

    Territories are halved again and again along random directions, each side getting units in
    proportion to its territories' targets; then locks are put back and pieces reconnected.
    """
    assign = bisect(model, rng, tries)
    return make_contiguous(model, assign)


def bisect(model: Model, rng: random.Random, tries: int = 12) -> NDArray[np.int64]:
    """Recursive bisection balanced on the units' mean share of the measures.

    With a graph, each split tries `tries` random directions and keeps the one cutting fewest
    edges; without, it splits across the longest axis of the units (slightly turned at random,
    so that restarts differ), which gives compact, evenly loaded blocks.
    """
    plane = _plane(model)
    assign = preset(model)
    free = np.flatnonzero(assign < 0)
    open_ids = [int(j) for j in np.flatnonzero(model.open)]
    if len(free) and open_ids:
        _split(model, plane, free, open_ids, assign, rng, tries)
    return assign


def _plane(model: Model) -> NDArray[np.float64]:
    """2-D coordinates for sweeping: degrees scaled by latitude, or the planar positions."""
    pos = model.problem.positions
    if not model.problem.geographic:
        return pos
    return np.stack([pos[:, 1] * np.cos(np.radians(pos[:, 0].mean())), pos[:, 0]], axis=1)


def _split(model, plane, units, terrs, assign, rng, tries) -> None:
    if len(terrs) == 1:
        assign[units] = terrs[0]
        return
    if not len(units):  # fewer free units than territories: some start empty
        return
    half = len(terrs) // 2
    goal = target_shares(model)
    want = goal[terrs[:half]].sum() / goal[terrs].sum()
    best: tuple[float, NDArray, NDArray] | None = None
    for angle in _angles(plane[units], rng, tries if model.neighbours is not None else 1):
        order = units[np.argsort(plane[units] @ np.array([np.cos(angle), np.sin(angle)]))]
        cum = np.cumsum(model.balance_share[order])
        cut = int(np.searchsorted(cum, want * cum[-1]))
        cut = min(max(cut, min(half, len(units))), max(len(units) - (len(terrs) - half), 0))
        left, right = order[:cut], order[cut:]
        score = _crossing(model, left, right) if model.neighbours is not None else 0.0
        if best is None or score < best[0]:
            best = (score, left, right)
    assert best is not None
    _split(model, plane, best[1], terrs[:half], assign, rng, tries)
    _split(model, plane, best[2], terrs[half:], assign, rng, tries)


def _angles(points: NDArray[np.float64], rng: random.Random, tries: int) -> list[float]:
    """Random directions, or the longest axis turned by up to ±15° when only one is wanted."""
    if tries > 1 or len(points) < 2:
        return [rng.random() * np.pi for _ in range(max(tries, 1))]
    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return [float(np.arctan2(axes[0, 1], axes[0, 0])) + (rng.random() - 0.5) * np.pi / 6]


def _crossing(model: Model, left: NDArray, right: NDArray) -> float:
    """Edges between two unit sets."""
    assert model.neighbours is not None
    side = set(right.tolist())
    return float(sum(1 for u in left.tolist() for v in model.neighbours[u] if v in side))


def make_contiguous(model: Model, assign: NDArray[np.int64]) -> NDArray[np.int64]:
    """Give every territory one piece: stray pieces join the neighbouring open territory.

    The piece kept is the one holding locked units, else the largest by balance share; stray
    pieces with locked units, or with no open neighbour, stay (the result reports it).
    """
    assert model.neighbours is not None
    nbrs = model.neighbours
    # Each attachment merges two pieces, so this ends after at most n rounds.
    for _ in range(model.n):
        changed = False
        for j in range(model.k):
            pieces = _pieces(np.flatnonzero(assign == j), nbrs, assign)
            if len(pieces) < 2:
                continue
            pieces.sort(
                key=lambda p: (not (~model.movable[p]).any(), -model.balance_share[p].sum())
            )
            for piece in pieces[1:]:
                changed |= _attach(model, piece, assign)
        if not changed:
            break
    return assign


def _pieces(members: NDArray, nbrs: list[list[int]], assign: NDArray) -> list[NDArray]:
    """Connected pieces of one territory's units."""
    left = set(members.tolist())
    pieces = []
    while left:
        start = left.pop()
        piece, queue = [start], deque([start])
        while queue:
            u = queue.popleft()
            for v in nbrs[u]:
                if v in left:
                    left.discard(v)
                    piece.append(v)
                    queue.append(v)
        pieces.append(np.array(piece))
    return pieces


def _attach(model: Model, piece: NDArray, assign: NDArray[np.int64]) -> bool:
    """Hand a stray piece to the open territory it shares most edges with."""
    if (~model.movable[piece]).any():
        return False
    assert model.neighbours is not None
    own = assign[piece[0]]
    counts: dict[int, int] = {}
    for u in piece.tolist():
        for v in model.neighbours[u]:
            t = int(assign[v])
            if t != own and model.open[t]:
                counts[t] = counts.get(t, 0) + 1
    if not counts:
        return False
    assign[piece] = max(counts, key=lambda t: counts[t])
    return True
