"""What every search needs from a problem, computed once: points, bands, locks, neighbour lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.balance import Bands, bands_of
from rumbo.engine.alignment.evaluate import KEPT_SLACK
from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.space import to_space


@dataclass(frozen=True, eq=False)
class Model:
    """The problem in the form the searches use (internal to the alignment package)."""

    problem: AlignmentProblem
    points: NDArray[np.float64]
    weights: NDArray[np.float64]
    measures: NDArray[np.float64]
    bands: Bands
    movable: NDArray[np.bool_]
    open: NDArray[np.bool_]
    current: NDArray[np.int64] | None
    kept: NDArray[np.float64]
    kept_min: float
    homes: NDArray[np.float64] | None
    neighbours: list[list[int]] | None

    @property
    def n(self) -> int:
        return self.problem.n_units

    @property
    def k(self) -> int:
        return self.problem.n_territories

    @property
    def balance_share(self) -> NDArray[np.float64]:
        """Each unit's size as the mean share of the band scales over balanced measures."""
        finite = np.isfinite(self.problem.tolerances)
        if not finite.any():
            return np.ones(self.n) / max(self.n, 1)
        return (self.measures[:, finite] / self.bands.scale[finite]).mean(axis=1)


def build_model(problem: AlignmentProblem) -> Model:
    """Derive the search model; the disruption limit becomes an absolute amount to keep."""
    kept = problem.kept_amount()
    kept_min = 0.0
    if problem.current is not None and problem.min_kept > 0:
        total = float(kept[problem.current >= 0].sum())
        kept_min = problem.min_kept * total - KEPT_SLACK * total
    homes = None if problem.homes is None else to_space(problem.homes, problem.geographic)
    return Model(
        problem=problem,
        points=to_space(problem.positions, problem.geographic),
        weights=problem.unit_weights(),
        measures=problem.measures,
        bands=bands_of(problem),
        movable=problem.movable(),
        open=problem.open_territories(),
        current=problem.current,
        kept=kept,
        kept_min=kept_min,
        homes=homes,
        neighbours=_neighbour_lists(problem),
    )


def _neighbour_lists(problem: AlignmentProblem) -> list[list[int]] | None:
    """Adjacency as Python lists (fast to walk in the graph search), without self-loops."""
    if problem.adjacency is None:
        return None
    graph = problem.adjacency.tocsr()
    graph = ((graph + graph.T) != 0).tocsr()
    lists = [
        [int(v) for v in graph.indices[graph.indptr[u] : graph.indptr[u + 1]] if v != u]
        for u in range(problem.n_units)
    ]
    return lists
