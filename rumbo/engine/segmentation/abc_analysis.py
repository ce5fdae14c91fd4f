"""ABC classes by revenue share: A holds the first 80 % of revenue, B the next 15 %, C the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Cumulative shares are compared with this slack so that 0.5 + 0.3 counts as reaching 0.8.
_EPS = 1e-9


@dataclass(frozen=True)
class ABCResult:
    """Class label, revenue share and cumulative share (ranked best first) of every account."""

    classes: NDArray[np.str_]
    share: NDArray[np.float64]
    cumulative_share: NDArray[np.float64]


def abc_classes(
    revenue: ArrayLike,
    shares: Sequence[float] = (0.80, 0.15, 0.05),
    labels: Sequence[str] = ("A", "B", "C"),
) -> ABCResult:
    """Classify accounts by their place in the revenue ranking.

    Ranked by revenue, an account belongs to the first class whose cumulative share is not yet
    reached by the accounts ranked above it, so the account that crosses 80 % is still an A.
    Accounts with equal revenue share one class (the one of the first of them), and accounts
    with no (or negative) revenue are always in the last class.
    """
    values = np.asarray(revenue, dtype=float)
    _check_shares(shares, labels)
    positive = np.where(values > 0, values, 0.0)
    total = positive.sum()
    if total <= 0:
        empty = np.zeros(values.shape)
        return ABCResult(np.full(values.shape, labels[-1]), empty, empty.copy())
    order = np.argsort(-positive, kind="stable")
    ranked = positive[order]
    before = np.concatenate(([0.0], np.cumsum(ranked)[:-1])) / total
    # Ties take the cumulative share in front of the first account with the same revenue.
    first_of_tie = np.searchsorted(-ranked, -ranked, side="left")
    before = before[first_of_tie]
    bounds = np.cumsum(shares)[:-1]
    index = (before[:, None] >= bounds[None, :] - _EPS).sum(axis=1)
    index[ranked <= 0] = len(labels) - 1
    classes = np.empty(values.shape, dtype=f"<U{max(len(label) for label in labels)}")
    classes[order] = np.asarray(labels)[index]
    share = positive / total
    cumulative = np.empty(values.shape)
    cumulative[order] = np.cumsum(ranked) / total
    return ABCResult(classes, share, cumulative)


def _check_shares(shares: Sequence[float], labels: Sequence[str]) -> None:
    """Refuse thresholds that do not describe a split of 100 % into the given classes."""
    if len(shares) != len(labels) or len(shares) < 2:
        raise ValueError("give one share per class, at least two classes")
    if any(s <= 0 for s in shares) or abs(sum(shares) - 1.0) > 1e-6:
        raise ValueError("class shares must be positive and add up to 100 %")
