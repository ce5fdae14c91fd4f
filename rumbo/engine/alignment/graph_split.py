"""Merge-split: two neighbouring territories pooled and cut again along a random spanning tree.

Removing one edge of a spanning tree of the pooled units leaves two connected parts, so every
tree offers as many contiguous splits as it has edges; the loads of all of them come from one
pass of subtree sums. The split closest to both bands (then best by the objective) over a few
random trees replaces the pair. Single-unit moves cannot take two large units apart (two big
cities in one territory, say); a merge-split can, which makes it the repair of last resort when
the bands are tight compared with the units.
"""

from __future__ import annotations

import random

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

from rumbo.engine.alignment.graph_state import GraphState

CANDIDATES = 24  # least violating splits whose objective is priced


def merge_split(
    state: GraphState, rng: random.Random, a: int, b: int, trees: int
) -> tuple[list[int], float, float] | None:
    """The best split of territories a and b over `trees` random spanning trees.

    Returns (full assignment, violation of the pair, objective of the pair) or None when the pair
    cannot be pooled (a closed territory, a unit that may not move, pooled units not connected).
    """
    d = state.d
    if not (d.open[a] and d.open[b]) or a == b:
        return None
    units = [i for i, t in enumerate(state.assign) if t in (a, b)]
    if not all(d.movable[i] for i in units):
        return None
    pool = _Pool(state, units, a, b)
    if pool.edges.shape[1] == 0:
        return None
    gen = np.random.default_rng(rng.getrandbits(32))
    found: list[tuple[float, NDArray[np.bool_]]] = []
    best_viol = np.inf
    for _ in range(trees):
        cuts = pool.tree_splits(gen)
        if cuts is None:
            return None
        for viol, side in cuts:
            if viol < best_viol - 1e-12:
                best_viol, found = viol, []
            if viol <= best_viol + 1e-12 and len(found) < 4 * CANDIDATES:
                found.append((viol, side))
    if not found:
        return None
    rng.shuffle(found)
    best: tuple[float, float, NDArray[np.bool_]] | None = None
    for viol, side in found[:CANDIDATES]:
        obj = pool.objective(side)
        if best is None or (viol, obj) < best[:2]:
            best = (viol, obj, side)
    assert best is not None
    assign = list(state.assign)
    for u, in_a in zip(units, best[2].tolist(), strict=True):
        assign[u] = a if in_a else b
    return assign, best[0], best[1]


def pair_figures(state: GraphState, a: int, b: int) -> tuple[float, float]:
    """(violation, objective) of territories a and b as they are, comparable with merge_split."""
    units = [i for i, t in enumerate(state.assign) if t in (a, b)]
    pool = _Pool(state, units, a, b)
    side = np.array([state.assign[u] == a for u in units])
    return state.tviol[a] + state.tviol[b], pool.objective(side)


class _Pool:
    """The pooled units of two territories: their edges, measures and bands."""

    def __init__(self, state: GraphState, units: list[int], a: int, b: int) -> None:
        d = state.d
        self.state, self.units, self.a, self.b = state, units, a, b
        where = {u: p for p, u in enumerate(units)}
        pairs = [
            (where[u], where[v]) for u in units for v in d.nbrs[u] if where.get(v, -1) > where[u]
        ]
        self.edges = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
        self.m = len(units)
        q = d.balanced
        meas = np.array([[d.meas[u][c] for c in q] for u in units]).reshape(self.m, len(q))
        self.meas, self.total = meas, meas.sum(axis=0)
        self.scale = np.array([d.inv_scale[c] for c in q])
        self.band = {
            t: (np.array([d.lower[t][c] for c in q]), np.array([d.upper[t][c] for c in q]))
            for t in (a, b)
        }

    def _excess(self, load: NDArray, t: int) -> NDArray[np.float64]:
        lo, up = self.band[t]
        return (np.maximum(np.maximum(load - up, lo - load), 0.0) * self.scale).sum(axis=-1)

    def tree_splits(self, gen: np.random.Generator):
        """(violation, side of a) for every edge of one random spanning tree, or None."""
        weights = gen.random(self.edges.shape[1]) + 1e-9
        graph = sparse.coo_array((weights, (self.edges[0], self.edges[1])), shape=(self.m,) * 2)
        tree = csgraph.minimum_spanning_tree(graph.tocsr())
        root = int(gen.integers(self.m))
        order, pred = csgraph.breadth_first_order(
            tree, root, directed=False, return_predecessors=True
        )
        if len(order) < self.m:
            return None
        sums = self.meas.copy()
        for v in order[:0:-1].tolist():
            sums[pred[v]] += sums[v]
        below = order[1:]
        inner, outer = sums[below], self.total[None, :] - sums[below]
        as_a = self._excess(inner, self.a) + self._excess(outer, self.b)
        as_b = self._excess(inner, self.b) + self._excess(outer, self.a)
        best = np.minimum(as_a, as_b)
        keep = np.flatnonzero(best <= best.min() + 1e-12)
        out = []
        for p in keep.tolist():
            inside = _subtree(order, pred, int(below[p]), self.m)
            out.append((float(best[p]), inside if as_a[p] <= as_b[p] else ~inside))
        return out

    def objective(self, side: NDArray[np.bool_]) -> float:
        """The pair's share of the objective when `side` marks the units of territory a."""
        d = self.state.d
        if d.mode == "cut":
            return float(np.count_nonzero(side[self.edges[0]] != side[self.edges[1]]))
        units = np.array(self.units)
        if d.mode == "home":
            return float(
                sum(d.home[u][self.a if s else self.b] for u, s in zip(units, side, strict=True))
            )
        total = 0.0
        for part in (units[side], units[~side]):
            total += float(d.wd[np.ix_(part, part)].sum(axis=0).min())
        return total


def _subtree(order: NDArray, pred: NDArray, top: int, m: int) -> NDArray[np.bool_]:
    """Units at or below `top` in the tree (breadth-first order lists parents first)."""
    inside = np.zeros(m, dtype=bool)
    inside[top] = True
    for v in order.tolist():
        p = pred[v]
        if p >= 0 and inside[p]:
            inside[v] = True
    return inside
