"""Balance bands and violations: how far each territory's measures lie outside their band.

A violation is measured relative to the measure's mean target, so that workload in hours and
sales in soles add up to one number; 0 means every territory is inside every band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.problem import AlignmentProblem

# Bands are widened by this relative slack so that rounding never flips a border case.
SLACK = 1e-9


@dataclass(frozen=True)
class Bands:
    """Lower and upper bound per territory and measure, and each measure's scale."""

    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    scale: NDArray[np.float64]


def bands_of(problem: AlignmentProblem) -> Bands:
    """The bands target × (1 ± tolerance); an infinite tolerance gives an unbounded band."""
    targets = problem.target_matrix()
    tol = problem.tolerances[None, :]
    finite = np.isfinite(tol)
    half = np.where(finite, np.abs(targets) * np.where(finite, tol, 0.0), np.inf)
    scale = np.abs(targets).mean(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    slack = SLACK * scale[None, :]
    return Bands(targets - half - slack, targets + half + slack, scale)


def violation_matrix(loads: NDArray[np.float64], bands: Bands) -> NDArray[np.float64]:
    """(k, m) relative excess of each territory's load over its band (0 inside the band)."""
    excess = np.maximum(np.maximum(loads - bands.upper, bands.lower - loads), 0.0)
    return excess / bands.scale[None, :]


def violation(loads: NDArray[np.float64], bands: Bands) -> float:
    """Total relative excess over all bands: 0 when the territories are balanced."""
    return float(violation_matrix(loads, bands).sum())


def loads_of(assignment: NDArray[np.int64], measures: NDArray, k: int) -> NDArray[np.float64]:
    """(k, m) sum of each measure per territory; units with -1 count nowhere."""
    loads = np.zeros((k, measures.shape[1]))
    placed = assignment >= 0
    np.add.at(loads, assignment[placed], measures[placed])
    return loads


def balance_pct(loads: NDArray[np.float64], targets: NDArray[np.float64]) -> NDArray:
    """Balance index per measure: the largest deviation of a territory from its target, in %."""
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(targets != 0, np.abs(loads - targets) / np.abs(targets), 0.0)
    gap = np.where((targets == 0) & (loads != 0), np.inf, gap)
    return 100.0 * gap.max(axis=0) if len(loads) else np.zeros(targets.shape[1])
