"""RFM scores: recency, frequency and monetary value, each scored 1 (worst) to `bins` (best)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class RFMResult:
    """Scores per account; `code` joins them as text ("545") for grouping and display."""

    recency: NDArray[np.int64]
    frequency: NDArray[np.int64]
    monetary: NDArray[np.int64]
    code: NDArray[np.str_]


def days_since(last: ArrayLike, as_of: ArrayLike) -> NDArray[np.float64]:
    """Days from each account's last purchase to `as_of`; infinite when it never bought (NaT)."""
    dates = np.asarray(last, dtype="datetime64[D]")
    days = (np.asarray(as_of, dtype="datetime64[D]") - dates).astype(float)
    return np.where(np.isnat(dates), np.inf, days)


def rfm_scores(
    recency_days: ArrayLike,
    frequency: ArrayLike,
    monetary: ArrayLike,
    bins: int = 5,
    recency_edges: Sequence[float] | None = None,
    frequency_edges: Sequence[float] | None = None,
    monetary_edges: Sequence[float] | None = None,
) -> RFMResult:
    """Score accounts on quantiles of their own distribution, or on fixed edges when given.

    Quantile scores: one point plus one per quantile cut (1/bins, 2/bins, ...) strictly beaten,
    so equal values share a score. Fixed edges (bins - 1 ascending values): frequency and
    monetary gain a point per edge reached (x >= edge); recency gains a point per edge not
    exceeded (days <= edge). Recency of infinity (never bought) always scores 1.
    """
    if bins < 2:
        raise ValueError("bins must be at least 2")
    r = np.asarray(recency_days, dtype=float)
    f = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    if not (r.shape == f.shape == m.shape):
        raise ValueError("recency, frequency and monetary must have one value per account")
    r_score = _score(r, bins, recency_edges, lower_is_better=True)
    f_score = _score(f, bins, frequency_edges, lower_is_better=False)
    m_score = _score(m, bins, monetary_edges, lower_is_better=False)
    code = np.char.add(np.char.add(r_score.astype(str), f_score.astype(str)), m_score.astype(str))
    return RFMResult(r_score, f_score, m_score, code)


def _score(
    values: NDArray[np.float64],
    bins: int,
    edges: Sequence[float] | None,
    lower_is_better: bool,
) -> NDArray[np.int64]:
    """One dimension's score, from fixed edges or from the values' own quantiles."""
    if edges is not None:
        cuts = np.asarray(edges, dtype=float)
        if cuts.shape != (bins - 1,) or np.any(np.diff(cuts) < 0):
            raise ValueError(f"give {bins - 1} ascending edges")
        if lower_is_better:
            passed = (values[:, None] <= cuts[None, :]).sum(axis=1)
        else:
            passed = (values[:, None] >= cuts[None, :]).sum(axis=1)
        return (1 + passed).astype(np.int64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.ones(values.shape, dtype=np.int64)
    cuts = np.quantile(finite, np.arange(1, bins) / bins)
    if lower_is_better:
        passed = (values[:, None] < cuts[None, :]).sum(axis=1)
    else:
        passed = (values[:, None] > cuts[None, :]).sum(axis=1)
    return (1 + passed).astype(np.int64)
