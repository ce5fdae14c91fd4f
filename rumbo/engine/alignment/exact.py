"""Exact answers for small instances with HiGHS (scipy's milp): optima, or bounds when out of time.

The model is the classical assignment model of Hess et al.: x[i, j] = 1 when unit i belongs to the
territory whose medoid is unit j, x[j, j] marks the medoids, balance holds per medoid. Contiguity
is added lazily: after each solve, every stray piece S of a territory with medoid j gets the cut
x[v, j] <= Σ x[u, j] over the units u just outside S, for each v in S (a path from v to j must
leave S), and the model is solved again. Without integrality the same model is the LP relaxation,
a valid lower bound on the compactness of any balanced alignment (contiguous or not).

HiGHS keeps its own clock, so this module takes a time limit in seconds rather than a stopping
criterion; n² variables make it practical up to a few hundred units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from rumbo.engine.alignment.balance import bands_of
from rumbo.engine.alignment.construct import make_contiguous
from rumbo.engine.alignment.evaluate import is_contiguous
from rumbo.engine.alignment.model import build_model
from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.space import to_space

MAX_ROUNDS = 50  # contiguity rounds before giving up


@dataclass(frozen=True)
class ExactResult:
    """Best assignment found (None if none), its objective, the proven lower bound, status."""

    assignment: NDArray[np.int64] | None
    objective: float
    bound: float
    optimal: bool
    status: str


def solve_exact(problem: AlignmentProblem, time_limit_s: float = 60.0, relax: bool = False):
    """Optimal medoid compactness for `problem` (or its LP bound when `relax`)."""
    _check(problem)
    n = problem.n_units
    cost = _costs(problem)
    rows, lower, upper = _constraints(problem)
    cuts: list[sparse.csr_array] = []
    integrality = np.zeros(n * n) if relax else np.ones(n * n)
    remaining, result = time_limit_s, None
    for _ in range(MAX_ROUNDS):
        matrix = sparse.vstack([rows, *cuts]).tocsr() if cuts else rows
        lo = np.concatenate([lower, np.full(sum(c.shape[0] for c in cuts), -np.inf)])
        up = np.concatenate([upper, np.zeros(sum(c.shape[0] for c in cuts))])
        result = milp(
            cost,
            integrality=integrality,
            bounds=Bounds(0.0, 1.0),
            constraints=LinearConstraint(matrix, lo, up),
            options={"time_limit": max(remaining, 1.0), "presolve": True},
        )
        remaining -= float(getattr(result, "runtime", 0.0) or 0.0) or 1.0
        if relax or result.x is None:
            break
        assign = _assignment(result.x, n)
        new = _contiguity_cuts(problem, assign)
        if new is None or remaining <= 0:
            break
        cuts.append(new)
    return _result(problem, result, relax, n)


def _check(problem: AlignmentProblem) -> None:
    """The exact model covers unlabeled territories with equal targets and no locks."""
    targets = problem.target_matrix()
    if problem.homes is not None or problem.current is not None:
        raise ValueError("the exact model has no home bases, locks or disruption limit")
    if problem.compactness != "distance" or not np.allclose(targets, targets[0]):
        raise ValueError("the exact model needs distance compactness and equal targets")


def _costs(problem: AlignmentProblem) -> NDArray[np.float64]:
    points = to_space(problem.positions, problem.geographic)
    gap = points[:, None, :] - points[None, :, :]
    return (problem.unit_weights()[:, None] * np.sqrt((gap**2).sum(axis=-1))).ravel()


def _constraints(problem: AlignmentProblem):
    """Assignment, linking, number of medoids and balance rows of the Hess model."""
    n, k = problem.n_units, problem.n_territories
    var = np.arange(n * n).reshape(n, n)
    diag = var[np.arange(n), np.arange(n)]
    assign = sparse.csr_array((np.ones(n * n), (np.repeat(np.arange(n), n), var.ravel())))
    off = ~np.eye(n, dtype=bool)
    links = np.flatnonzero(off.ravel())
    link = sparse.csr_array(
        (
            np.r_[np.ones(len(links)), -np.ones(len(links))],
            (
                np.r_[np.arange(len(links)), np.arange(len(links))],
                np.r_[var.ravel()[links], diag[links % n]],
            ),
        ),
        shape=(len(links), n * n),
    )
    count = sparse.csr_array((np.ones(n), (np.zeros(n, dtype=int), diag)), shape=(1, n * n))
    blocks = [assign, link, count]
    lower = [np.ones(n), np.full(len(links), -np.inf), np.array([float(k)])]
    upper = [np.ones(n), np.zeros(len(links)), np.array([float(k)])]
    bands = bands_of(problem)
    for q in np.flatnonzero(np.isfinite(problem.tolerances)):
        block = _balance_rows(problem.measures[:, q], bands.lower[0, q], bands.upper[0, q], var)
        blocks += block
        lower += [np.full(n, -np.inf), np.full(n, -np.inf)]
        upper += [np.zeros(n), np.zeros(n)]
    return sparse.vstack(blocks).tocsr(), np.concatenate(lower), np.concatenate(upper)


def _balance_rows(amount, lo, up, var):
    """Σ_i a_i x[i, j] - up x[j, j] <= 0 and lo x[j, j] - Σ_i a_i x[i, j] <= 0, per medoid j."""
    n = len(amount)
    rows = np.repeat(np.arange(n), n)
    cols = var.T.ravel()
    values = np.tile(amount, n)
    diag = var[np.arange(n), np.arange(n)]
    over = sparse.csr_array((values, (rows, cols)), shape=(n, n * n)) - sparse.csr_array(
        (np.full(n, up), (np.arange(n), diag)), shape=(n, n * n)
    )
    under = sparse.csr_array((np.full(n, lo), (np.arange(n), diag)), shape=(n, n * n)) - (
        sparse.csr_array((values, (rows, cols)), shape=(n, n * n))
    )
    return [over, under]


def _assignment(x: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    """Territory index per unit (territories numbered in the order of their medoids)."""
    chosen = np.argmax(x.reshape(n, n), axis=1)
    medoids = np.unique(chosen)
    return np.searchsorted(medoids, chosen).astype(np.int64)


def _contiguity_cuts(problem: AlignmentProblem, assign: NDArray[np.int64]):
    """Cuts for every stray piece of every territory, or None when all are connected."""
    if problem.adjacency is None or is_contiguous(problem, assign):
        return None
    model = build_model(problem)
    assert model.neighbours is not None
    n = problem.n_units
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    medoids = _medoids_of(problem, assign)
    for j, medoid in enumerate(medoids):
        for piece in _stray_pieces(model.neighbours, assign, j, medoid):
            border = {u for v in piece for u in model.neighbours[v]} - set(piece)
            for v in piece:
                row = len(set(rows))
                rows += [row] * (1 + len(border))
                cols += [v * n + medoid] + [u * n + medoid for u in border]
                vals += [1.0] + [-1.0] * len(border)
    return sparse.csr_array((vals, (rows, cols)), shape=(max(rows) + 1, n * n))


def _medoids_of(problem: AlignmentProblem, assign: NDArray[np.int64]) -> list[int]:
    from rumbo.engine.alignment.evaluate import compactness_of

    return [int(c) for c in compactness_of(problem, assign)[1]]


def _stray_pieces(nbrs: list[list[int]], assign, j: int, medoid: int) -> list[list[int]]:
    """Connected pieces of territory j that do not hold its medoid."""
    left = set(np.flatnonzero(assign == j).tolist())
    pieces = []
    while left:
        start = left.pop()
        piece, stack = [start], [start]
        while stack:
            for v in nbrs[stack.pop()]:
                if v in left:
                    left.discard(v)
                    piece.append(v)
                    stack.append(v)
        if medoid not in piece:
            pieces.append(piece)
    return pieces


def _result(problem: AlignmentProblem, result, relax: bool, n: int) -> ExactResult:
    assert result is not None
    bound = getattr(result, "mip_dual_bound", None)
    bound = float(result.fun) if relax and result.fun is not None else bound
    if relax or result.x is None:
        return ExactResult(
            None, np.inf, float(bound if bound is not None else 0.0), False, str(result.message)
        )
    assign = _assignment(result.x, n)
    if problem.adjacency is not None and not is_contiguous(problem, assign):
        assign = make_contiguous(build_model(problem), assign)
    optimal = result.status == 0 and (problem.adjacency is None or is_contiguous(problem, assign))
    return ExactResult(
        assign,
        float(result.fun),
        float(bound if bound is not None else 0.0),
        bool(optimal),
        str(result.message),
    )
