"""The value × effort matrix: what an account brings in against what it costs to serve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

BEST = "best"  # high value, little effort: the best customers, protect them cheaply
DEMANDING = "demanding"  # high value, high effort: worth the effort, keep serving well
LIGHT = "light"  # little value, little effort: keep on a low-cost channel
COSTLY = "costly"  # little value, high effort: expensive to serve, rethink the coverage


@dataclass(frozen=True)
class ValueEffortResult:
    """Quadrant per account, the cut-offs used, and value left after the cost to serve."""

    quadrant: NDArray[np.str_]
    value_cut: float
    effort_cut: float
    net_value: NDArray[np.float64]


def cost_to_serve(
    visits: ArrayLike, visit_min: ArrayLike, travel_min: ArrayLike, cost_per_hour: ArrayLike
) -> NDArray[np.float64]:
    """Money spent serving each account: visits × (visit time + travel) × the rep's hourly cost.

    Arrays broadcast, so a single visit time or rep cost applies to everyone.
    """
    minutes = np.asarray(visits, dtype=float) * (
        np.asarray(visit_min, dtype=float) + np.asarray(travel_min, dtype=float)
    )
    return minutes / 60.0 * np.asarray(cost_per_hour, dtype=float)


def value_effort(
    value: ArrayLike,
    effort: ArrayLike,
    value_cut: float | None = None,
    effort_cut: float | None = None,
    quantile: float = 0.5,
) -> ValueEffortResult:
    """Place every account in one of four quadrants.

    Value is the 12-month revenue or gross margin, effort the cost to serve in the same money.
    Values above `value_cut` count as high value, efforts above `effort_cut` as high effort; a
    missing cut-off is the `quantile` (the median by default) of the accounts given. Strictly
    above, so that when most accounts cost nothing (no visits) a zero effort stays low.
    """
    v = np.asarray(value, dtype=float)
    e = np.asarray(effort, dtype=float)
    if v.shape != e.shape:
        raise ValueError("value and effort must have one entry per account")
    if not 0 < quantile < 1:
        raise ValueError("quantile must lie strictly between 0 and 1")
    v_cut = float(np.quantile(v, quantile)) if value_cut is None else float(value_cut)
    e_cut = float(np.quantile(e, quantile)) if effort_cut is None else float(effort_cut)
    high_value, high_effort = v > v_cut, e > e_cut
    quadrant = np.select(
        [high_value & ~high_effort, high_value & high_effort, ~high_value & ~high_effort],
        [BEST, DEMANDING, LIGHT],
        default=COSTLY,
    )
    return ValueEffortResult(quadrant, v_cut, e_cut, v - e)
