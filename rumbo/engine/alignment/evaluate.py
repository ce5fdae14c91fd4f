"""Measure any assignment against the problem: balance, compactness, contiguity, locks, disruption.

The solver returns its answer through `evaluate`, and a manager's hand-made scenario is judged by
the very same function, so the two are always comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.sparse import csgraph

from rumbo.engine.alignment.balance import balance_pct, bands_of, loads_of, violation
from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.space import distances_to, medoid, to_space

KEPT_SLACK = 1e-9


@dataclass(frozen=True)
class AlignmentResult:
    """An assignment of units to territories and everything a manager judges it by.

    loads/targets are (k, m); balance_pct (m,) is the largest deviation from target per measure
    in %; violation is the total relative excess over the bands (0 = balanced); compactness is
    the weighted distance from units to their centre (km when geographic); centres holds each
    territory's medoid unit (-1 when empty or when measured to home bases); cut_edges counts
    adjacent units in different territories; disruption_pct is the share (of units or of the
    kept measure) that changes territory. trace rows are (iteration, objective, violation) of
    the best solution each time it improved.
    """

    assignment: NDArray[np.int64]
    loads: NDArray[np.float64]
    targets: NDArray[np.float64]
    balance_pct: NDArray[np.float64]
    violation: float
    compactness: float
    centres: NDArray[np.int64]
    cut_edges: int | None
    contiguous: bool | None
    locks_kept: bool
    disruption_pct: float | None
    disruption_ok: bool
    empty_territories: int
    objective: float
    trace: NDArray[np.float64]
    iterations: int

    @property
    def balanced(self) -> bool:
        return self.violation <= 0.0

    @property
    def feasible(self) -> bool:
        """Balanced, contiguous where required, locks and disruption limit kept, none empty."""
        return (
            self.balanced
            and self.contiguous is not False
            and self.locks_kept
            and self.disruption_ok
            and self.empty_territories == 0
        )


def evaluate(
    problem: AlignmentProblem,
    assignment: ArrayLike,
    trace: NDArray[np.float64] | None = None,
    iterations: int = 0,
) -> AlignmentResult:
    """Every figure of `assignment` (one territory index per unit) for `problem`."""
    assign = np.asarray(assignment, dtype=np.int64)
    k = problem.n_territories
    if assign.shape != (problem.n_units,) or np.any(assign < 0) or np.any(assign >= k):
        raise ValueError("the assignment must give every unit a territory index")
    loads = loads_of(assign, problem.measures, k)
    targets = problem.target_matrix()
    compactness, centres = compactness_of(problem, assign)
    cuts = cut_edges(problem, assign)
    disruption, kept_ok = disruption_of(problem, assign)
    return AlignmentResult(
        assignment=assign,
        loads=loads,
        targets=targets,
        balance_pct=balance_pct(loads, targets),
        violation=violation(loads, bands_of(problem)),
        compactness=compactness,
        centres=centres,
        cut_edges=cuts,
        contiguous=None if problem.adjacency is None else is_contiguous(problem, assign),
        locks_kept=locks_kept(problem, assign),
        disruption_pct=disruption,
        disruption_ok=kept_ok,
        empty_territories=int(k - len(np.unique(assign))),
        objective=float(cuts or 0) if problem.compactness == "cut_edges" else compactness,
        trace=np.zeros((0, 3)) if trace is None else trace,
        iterations=iterations,
    )


def compactness_of(
    problem: AlignmentProblem, assign: NDArray[np.int64]
) -> tuple[float, NDArray[np.int64]]:
    """Weighted distance of units to their home base, or else to their territory's medoid."""
    points = to_space(problem.positions, problem.geographic)
    weights = problem.unit_weights()
    centres = np.full(problem.n_territories, -1, dtype=np.int64)
    if problem.homes is not None:
        homes = to_space(problem.homes, problem.geographic)
        return float(weights @ distances_to(points, homes[assign])), centres
    total = 0.0
    order = np.argsort(assign, kind="stable")
    starts = np.searchsorted(assign[order], np.arange(problem.n_territories + 1))
    for j in range(problem.n_territories):
        members = order[starts[j] : starts[j + 1]]
        if len(members):
            best, cost = medoid(points[members], weights[members])
            centres[j], total = members[best], total + cost
    return total, centres


def cut_edges(problem: AlignmentProblem, assign: NDArray[np.int64]) -> int | None:
    """Edges of the adjacency graph whose ends lie in different territories."""
    if problem.adjacency is None:
        return None
    graph = problem.adjacency.tocoo()
    upper = graph.row < graph.col
    return int(np.count_nonzero(assign[graph.row[upper]] != assign[graph.col[upper]]))


def is_contiguous(problem: AlignmentProblem, assign: NDArray[np.int64]) -> bool:
    """True when every non-empty territory is one connected piece of the adjacency graph."""
    assert problem.adjacency is not None
    graph = problem.adjacency.tocoo()
    inside = assign[graph.row] == assign[graph.col]
    rows, cols = graph.row[inside], graph.col[inside]
    kept = sparse.coo_array((np.ones(len(rows)), (rows, cols)), shape=graph.shape)
    pieces, _ = csgraph.connected_components(kept, directed=False)
    return int(pieces) == len(np.unique(assign))


def locks_kept(problem: AlignmentProblem, assign: NDArray[np.int64]) -> bool:
    """Locked units sit in today's territory; locked territories hold exactly today's units."""
    if problem.current is None:
        return True
    current = problem.current
    ok = True
    if problem.locked_units is not None:
        ok &= bool(np.all(assign[problem.locked_units] == current[problem.locked_units]))
    if problem.locked_territories is not None:
        for j in np.flatnonzero(problem.locked_territories):
            ok &= bool(np.array_equal(assign == j, current == j))
    return ok


def disruption_of(
    problem: AlignmentProblem, assign: NDArray[np.int64]
) -> tuple[float | None, bool]:
    """Share (%) of units, or of the kept measure, that leave today's territory; limit respected?"""
    if problem.current is None:
        return None, True
    amount = problem.kept_amount()
    placed = problem.current >= 0
    total = float(amount[placed].sum())
    if total <= 0:
        return 0.0, True
    kept = float(amount[placed & (assign == problem.current)].sum())
    return 100.0 * (1.0 - kept / total), kept >= problem.min_kept * total - KEPT_SLACK * total
