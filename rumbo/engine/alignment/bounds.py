"""A lower bound on compactness at any size: the k-median Lagrangian bound on aggregated units.

No alignment, balanced or not, has a smaller weighted distance from units to k centres than the
best unconstrained k-median, so the gap to this bound is the price of balance plus the search's
own shortfall. Relaxing "each unit assigned once" with multipliers λ gives a valid bound for any
λ, improved by subgradient steps. To make 50,000 units tractable they are grouped into small
cells: a distance between cells is shortened by the centre cell's radius and each unit's
distance to its cell's representative is subtracted, so the bound holds for the original units
(triangle inequality). Each cell lists only its nearest cells as centres; its multiplier is kept
below the cost of any unlisted one, so the lists lose nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.space import distances_to, to_space


@dataclass(frozen=True)
class Bound:
    """value = relaxed - aggregation_loss; relaxed is the Lagrangian bound of the cell problem."""

    value: float
    relaxed: float
    aggregation_loss: float
    cells: int
    iterations: int


def kmedian_lower_bound(
    problem: AlignmentProblem,
    upper: float,
    cell_units: int = 1000,
    cell_extent: float = 2.0,
    reach: float = 2.0,
    iterations: int = 600,
) -> Bound:
    """A lower bound on the medoid compactness of any alignment of `problem`.

    `upper` is the compactness of a known solution (it sets the subgradient step length);
    `cell_units` and `cell_extent` (in the positions' unit, km when geographic) cap a cell's
    size; each cell lists its `reach` × (cells per territory) nearest cells as centres.
    """
    if problem.homes is not None:
        raise ValueError("the k-median bound is for medoid compactness, not home bases")
    points = to_space(problem.positions, problem.geographic)
    weights = problem.unit_weights()
    cell = _group(points, cell_units, cell_extent)
    reps, radius, mass, loss = _summary(points, weights, cell)
    h, g, cost, cap = _pairs(reps, radius, mass, problem.n_territories, reach)
    relaxed, done = _subgradient(h, g, cost, cap, problem.n_territories, upper + loss, iterations)
    return Bound(max(relaxed - loss, 0.0), relaxed, loss, len(reps), done)


def _group(points: NDArray[np.float64], cap: int, extent: float) -> NDArray[np.int64]:
    """Recursive halving across the widest coordinate until a cell holds at most `cap` units
    and spans at most `extent` in every coordinate."""
    cell = np.zeros(len(points), dtype=np.int64)
    stack, count = [np.arange(len(points))], 0
    while stack:
        units = stack.pop()
        spread = points[units].max(axis=0) - points[units].min(axis=0)
        if (len(units) <= cap and spread.max() <= extent) or not spread.any():
            cell[units] = count
            count += 1
            continue
        axis = int(np.argmax(spread))
        order = units[np.argsort(points[units, axis], kind="stable")]
        stack += [order[: len(order) // 2], order[len(order) // 2 :]]
    return cell


def _summary(points, weights, cell):
    """Representative (the unit nearest the cell's mean), radius, weight, and the loss
    Σ w_i × distance(unit, representative) that the bound gives away."""
    count = int(cell.max()) + 1
    order = np.argsort(cell, kind="stable")
    starts = np.searchsorted(cell[order], np.arange(count + 1))
    reps = np.zeros((count, points.shape[1]))
    radius, mass, loss = np.zeros(count), np.zeros(count), 0.0
    for c in range(count):
        members = order[starts[c] : starts[c + 1]]
        pts, w = points[members], weights[members]
        rep = pts[int(np.argmin(distances_to(pts, pts.mean(axis=0))))]
        gap = distances_to(pts, rep)
        reps[c], radius[c], mass[c] = rep, gap.max(), w.sum()
        loss += float(w @ gap)
    return reps, radius, mass, loss


def _pairs(reps, radius, mass, k: int, reach: float):
    """(customer cell, centre cell, cost) for each cell's nearest cells, and each customer
    cell's cap: a cost no unlisted centre cell can undercut."""
    count = min(max(int(reach * len(reps) / k), 2), len(reps))
    dist, near = cKDTree(reps).query(reps, k=count)
    dist = np.asarray(dist).reshape(len(reps), count)
    g = np.asarray(near).reshape(len(reps), count).ravel()
    h = np.repeat(np.arange(len(reps)), count)
    short = np.where(h == g, 0.0, np.maximum(dist.ravel() - radius[g], 0.0))
    if count < len(reps):
        cap = mass * np.maximum(dist[:, -1] - radius.max(), 0.0)
    else:
        cap = np.full(len(reps), np.inf)
    return h, g, mass[h] * short, cap


def _subgradient(h, g, cost, cap, k, upper, iterations) -> tuple[float, int]:
    """Maximise the Lagrangian dual (Polyak steps, halved after 30 idle iterations)."""
    cells = len(cap)
    lam = np.full(cells, np.inf)
    np.minimum.at(lam, h, np.where(h != g, cost, np.inf))
    lam = np.minimum(np.where(np.isfinite(lam), lam, 0.0), cap)
    best, theta, stall, done = -np.inf, 2.0, 0, 0
    while done < iterations:
        done += 1
        reduced = np.minimum(cost - lam[h], 0.0)
        rho = np.bincount(g, weights=reduced, minlength=cells)
        chosen = np.argpartition(rho, k - 1)[:k] if k < cells else np.arange(cells)
        value = float(lam.sum() + np.minimum(rho[chosen], 0.0).sum())
        best, stall = (value, 0) if value > best else (best, stall + 1)
        if stall >= 30:
            theta, stall = theta / 2, 0
        opened = np.zeros(cells, dtype=bool)
        opened[chosen[rho[chosen] < 0]] = True
        served = np.bincount(h, weights=(opened[g] & (reduced < 0)).astype(float), minlength=cells)
        grad = 1.0 - served
        norm = float(grad @ grad)
        if norm == 0 or theta < 1e-4:
            break
        lam = np.clip(lam + theta * max(upper - value, 0.0) / norm * grad, 0.0, cap)
    return max(best, 0.0), done
