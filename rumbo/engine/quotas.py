"""Quota allocation: a company's (or a region's) target for a year, split down a tree of
regions, territories and reps, and spread over the months, in whole céntimos or units.

Each node's share of its parent blends what the methods measure of it (its forecast, its
potential, last year's sales), with weights the manager chooses; a method that knows nothing of
a family of siblings leaves its weight to the others. Hand-set values are kept and the free
siblings share what is left, so every parent is exactly the sum of its children.

Months: the root's year is spread by its seasonal profile (or by an explicit distribution);
below, each family's months form a matrix whose rows must add up to the children's annual
values and whose columns to the parent's months. Iterative proportional fitting (RAS) finds the
matrix nearest, in the Kullback–Leibler sense, to the children's own seasonal patterns, and a
controlled rounding (a transportation problem, whose simplex vertices are integral) rounds it to
whole steps without breaking either sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MONTHS = 12
METHODS = ("forecast", "potential", "last_year")
_FLOOR = 1e-6  # how much of the parent's pattern every child's seed borrows (keeps IPF feasible)


@dataclass(frozen=True)
class QuotaTree:
    """Nodes in an order where each parent comes before its children; node 0 is the root."""

    parent: IntArray  # (n,) index of the parent, -1 for the root
    basis: FloatArray  # (n, len(METHODS)) what each method measures of the node (>= 0)
    shape: FloatArray  # (n, 12) the node's seasonal pattern, January first (>= 0, any scale)

    def __post_init__(self) -> None:
        n = len(self.parent)
        if n == 0 or self.parent[0] != -1 or np.any(self.parent[1:] < 0):
            raise ValueError("node 0, and only node 0, is the root")
        if np.any(self.parent[1:] >= np.arange(1, n)):
            raise ValueError("every parent must come before its children")
        if self.basis.shape != (n, len(METHODS)) or self.shape.shape != (n, MONTHS):
            raise ValueError("basis is (n, methods) and shape (n, 12)")
        if np.any(self.basis < 0) or np.any(self.shape < 0):
            raise ValueError("basis and shape cannot be negative")

    def children(self) -> list[IntArray]:
        """For each node, its children's indices in order."""
        out: list[list[int]] = [[] for _ in self.parent]
        for i, p in enumerate(self.parent[1:], start=1):
            out[p].append(i)
        return [np.array(c, dtype=np.int64) for c in out]


@dataclass(frozen=True)
class Allocation:
    annual: IntArray  # (n,) in steps (céntimos or units)
    months: IntArray  # (n, 12), each row adds up to its annual value
    shares: FloatArray  # (n,) each node's blended share of its parent (1 for the root)


class QuotaConflict(ValueError):
    """Hand-set values that cannot hold: the children of `parent` set by hand add up to more
    than it (`over`), or every child is set by hand and they do not add up to it (`fixed`)."""

    def __init__(self, parent: int, reason: str, fixed: int, available: int) -> None:
        super().__init__(f"node {parent}: {reason} ({fixed} set by hand, {available} to share)")
        self.parent = parent
        self.reason = reason
        self.fixed = fixed
        self.available = available


def apportion(total: int, weights: FloatArray) -> IntArray:
    """`total` whole steps in proportion to `weights` (largest remainder; equal parts when the
    weights are all zero): the parts add up to `total` exactly and none is negative."""
    w = np.clip(np.asarray(weights, dtype=np.float64), 0, None)
    if len(w) == 0:
        if total:
            raise ValueError("nothing to share among")
        return np.zeros(0, dtype=np.int64)
    if w.sum() <= 0:
        w = np.ones_like(w)
    exact = total * w / w.sum()
    parts = np.floor(exact).astype(np.int64)
    left = int(total - parts.sum())
    order = np.lexsort((np.arange(len(w)), -(exact - parts)))
    parts[order[:left]] += 1
    return parts


def blended_shares(tree: QuotaTree, weights: FloatArray) -> FloatArray:
    """Each node's share of its parent: the weighted mean of its share under each method that
    measured something among its siblings (equal shares when none did)."""
    w = np.clip(np.asarray(weights, dtype=np.float64), 0, None)
    if w.shape != (len(METHODS),) or w.sum() <= 0:
        raise ValueError("one non-negative weight per method, not all zero")
    shares = np.ones(len(tree.parent))
    for family in tree.children():
        if len(family) == 0:
            continue
        basis = tree.basis[family]
        totals = basis.sum(axis=0)
        known = (totals > 0) & (w > 0)
        if not known.any():
            shares[family] = 1 / len(family)
            continue
        per_method = basis[:, known] / totals[known]
        shares[family] = per_method @ (w[known] / w[known].sum())
    return shares


def balance(seed: FloatArray, rows: FloatArray, cols: FloatArray) -> FloatArray:
    """Iterative proportional fitting: scale the rows and columns of `seed` until they add up to
    `rows` and `cols` (which must have the same sum), as closely as floating point allows. A
    row or column whose target is zero becomes zero; every other cell of the seed must leave
    each row and column some room."""
    total = max(float(rows.sum()), 1.0)
    # On shares, so that the error is relative to the total whatever its size.
    x = np.asarray(seed, dtype=np.float64).copy()
    want_rows, want_cols = rows / total, cols / total
    best = np.inf
    stalled = 0
    for _ in range(5_000):
        r = x.sum(axis=1)
        x *= np.divide(want_rows, r, out=np.zeros_like(r), where=r > 0)[:, None]
        c = x.sum(axis=0)
        x *= np.divide(want_cols, c, out=np.zeros_like(c), where=c > 0)[None, :]
        error = float(np.abs(x.sum(axis=1) - want_rows).max())
        if error <= 1e-15:
            break
        stalled = stalled + 1 if error >= best else 0
        best = min(best, error)
        if stalled >= 20:
            break
    return x * total


def round_matrix(x: FloatArray, rows: IntArray, cols: IntArray) -> IntArray:
    """Whole numbers near `x` whose rows add up to `rows` and columns to `cols` exactly, with
    the least total rounding: each cell lands on floor(x) - 1, floor(x) or floor(x) + 1 (the
    outer two only absorb what floating point left in the sums).

    A transportation problem: from a base of floor(x) - 1, each cell takes up to two more
    units, the first cheaper than the second (rounding is convex), so the simplex's vertices
    are integral and the cheapest is the nearest rounding."""
    x = np.clip(np.asarray(x, dtype=np.float64), 0, None)
    if int(rows.sum()) != int(cols.sum()):
        raise ValueError("rows and columns add up to different totals")
    quick = _round_greedily(x, rows, cols)
    if quick is not None:
        return quick
    base = np.maximum(np.floor(x).astype(np.int64) - 1, 0)
    need_rows = rows - base.sum(axis=1)
    need_cols = cols - base.sum(axis=0)
    if need_rows.min(initial=0) < 0 or need_cols.min(initial=0) < 0:
        raise ValueError("the matrix does not fit its sums")
    if need_rows.sum() == 0:
        return base
    r, m = x.shape
    deviation = [np.abs(base + k - x).ravel() for k in range(3)]
    cost = np.r_[deviation[1] - deviation[0], deviation[2] - deviation[1]]
    cells = r * m
    a_eq = np.zeros((r + m, 2 * cells))
    for i in range(r):
        a_eq[i, i * m : (i + 1) * m] = 1
    for j in range(m):
        a_eq[r + j, j:cells:m] = 1
    a_eq[:, cells:] = a_eq[:, :cells]
    b_eq = np.r_[need_rows, need_cols].astype(np.float64)
    found = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs-ds")
    if found.status != 0:
        raise ValueError("no rounding keeps both sums")
    up = np.rint(found.x).astype(np.int64)
    out = base + (up[:cells] + up[cells:]).reshape(r, m)
    if np.any(out.sum(axis=1) != rows) or np.any(out.sum(axis=0) != cols):
        raise ValueError("the rounding broke a sum")
    return out


def _round_greedily(x: FloatArray, rows: IntArray, cols: IntArray) -> IntArray | None:
    """The usual case, fast: round down, then up where the fractions are largest while both
    the row and the column still lack units; None when that does not close every sum."""
    low = np.floor(x).astype(np.int64)
    need_rows = rows - low.sum(axis=1)
    need_cols = cols - low.sum(axis=0)
    if need_rows.min(initial=0) < 0 or need_cols.min(initial=0) < 0:
        return None
    frac = (x - low).ravel()
    m = x.shape[1]
    for cell in np.argsort(-frac, kind="stable"):
        i, j = divmod(int(cell), m)
        if need_rows[i] > 0 and need_cols[j] > 0:
            low[i, j] += 1
            need_rows[i] -= 1
            need_cols[j] -= 1
    return low if not need_rows.any() and not need_cols.any() else None


def allocate(
    tree: QuotaTree,
    total: int,
    weights: FloatArray,
    manual: Mapping[int, int] | None = None,
    root_months: IntArray | None = None,
) -> Allocation:
    """Split `total` steps down the tree by the blended shares, keeping the hand-set values in
    `manual` (node → annual steps; not the root), then spread every node over the months."""
    manual = dict(manual or {})
    if total < 0 or any(v < 0 for v in manual.values()):
        raise ValueError("a quota cannot be negative")
    if 0 in manual:
        raise ValueError("the root's value is the total")
    n = len(tree.parent)
    shares = blended_shares(tree, weights)
    annual = np.zeros(n, dtype=np.int64)
    annual[0] = total
    families = tree.children()
    for p in range(n):
        family = families[p]
        if len(family) == 0:
            continue
        fixed = [c for c in family if c in manual]
        free = np.array([c for c in family if c not in manual], dtype=np.int64)
        fixed_sum = sum(manual[c] for c in fixed)
        if fixed_sum > annual[p]:
            raise QuotaConflict(p, "over", fixed_sum, int(annual[p]))
        if len(free) == 0 and fixed_sum != annual[p]:
            raise QuotaConflict(p, "fixed", fixed_sum, int(annual[p]))
        for c in fixed:
            annual[c] = manual[c]
        if len(free):
            annual[free] = apportion(int(annual[p]) - fixed_sum, shares[free])
    months = np.zeros((n, MONTHS), dtype=np.int64)
    if root_months is not None:
        if len(root_months) != MONTHS or int(np.sum(root_months)) != total:
            raise ValueError("the root's months must add up to the total")
        months[0] = root_months
    else:
        months[0] = apportion(total, tree.shape[0])
    for p in range(n):
        family = families[p]
        if len(family) == 0:
            continue
        if len(family) == 1:
            months[family[0]] = months[p]
            continue
        parent_months = months[p].astype(np.float64)
        fallback = parent_months / max(parent_months.sum(), 1.0)
        own = tree.shape[family]
        sums = own.sum(axis=1, keepdims=True)
        # A child without a pattern of its own follows its parent's months.
        pattern = np.where(sums > 0, own / np.where(sums > 0, sums, 1), fallback)
        seed = (pattern + _FLOOR * fallback) * (parent_months > 0)
        fitted = balance(seed, annual[family].astype(np.float64), parent_months)
        months[family] = round_matrix(fitted, annual[family], months[p])
    return Allocation(annual=annual, months=months, shares=shares)
