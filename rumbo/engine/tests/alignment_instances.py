"""Tiny alignment instances shared by the alignment tests, and an exhaustive solver for them."""

from __future__ import annotations

import itertools

import numpy as np
from scipy import sparse

from rumbo.engine.alignment import AlignmentProblem, evaluate


def grid(rows: int, cols: int) -> sparse.csr_array:
    """Rook adjacency of a rows × cols grid, units numbered row by row."""
    edges = [(r * cols + c, r * cols + c + 1) for r in range(rows) for c in range(cols - 1)]
    edges += [(r * cols + c, (r + 1) * cols + c) for r in range(rows - 1) for c in range(cols)]
    a, b = np.array(edges).T
    n = rows * cols
    return sparse.csr_array((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(n, n))


def grid_positions(rows: int, cols: int) -> np.ndarray:
    return np.array([(r, c) for r in range(rows) for c in range(cols)], dtype=float)


def two_towns(**rules) -> AlignmentProblem:
    """Three shops at x = 0, 1, 2 and three at x = 10, 11, 12: two territories of three."""
    xs = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0]
    fields: dict = {
        "positions": np.column_stack([xs, np.zeros(6)]),
        "measures": np.ones((6, 1)),
        "n_territories": 2,
        "tolerances": [0.0],
        "geographic": False,
    }
    fields.update(rules)
    return AlignmentProblem(**fields)


def path_of_six() -> AlignmentProblem:
    """Six districts in a row, equal population, two territories: one cut edge at best."""
    edges = [(i, i + 1) for i in range(5)]
    a, b = np.array(edges).T
    graph = sparse.csr_array((np.ones(10), (np.r_[a, b], np.r_[b, a])), shape=(6, 6))
    return AlignmentProblem(
        positions=np.column_stack([np.arange(6.0), np.zeros(6)]),
        measures=np.ones((6, 1)),
        n_territories=2,
        tolerances=np.array([0.0]),
        geographic=False,
        adjacency=graph,
        compactness="cut_edges",
    )


def brute_force(problem: AlignmentProblem) -> tuple[float, np.ndarray]:
    """The best objective of a feasible assignment, trying all of them (tiny problems only)."""
    best, best_assign = np.inf, np.zeros(0, dtype=np.int64)
    n, k = problem.n_units, problem.n_territories
    for labels in itertools.product(range(k), repeat=n - 1):
        assign = np.array((0, *labels))
        result = evaluate(problem, assign)
        if result.feasible and result.objective < best - 1e-9:
            best, best_assign = result.objective, assign
    return best, best_assign
