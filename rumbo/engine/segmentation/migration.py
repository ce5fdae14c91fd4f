"""Segment migration month by month: how many accounts moved from each segment to each other one.

Counts are square matrices over the segments plus one extra state, "absent", in the last row and
column: row absent = new accounts (absent before), column absent = lost ones (absent after).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

ABSENT = ""  # the label of an account that is not active (not yet, or no longer) that month


@dataclass(frozen=True)
class MigrationResult:
    """Transition counts per step (month t to t+1) and group: shape (steps, groups, L+1, L+1).

    Labels are ordered best first, so moving to a smaller index is an upgrade.
    """

    labels: tuple[str, ...]
    counts: NDArray[np.int64]

    def new(self) -> NDArray[np.int64]:
        """Accounts that appear, per step and group."""
        size = len(self.labels)
        return self.counts[:, :, size, :size].sum(axis=-1)

    def lost(self) -> NDArray[np.int64]:
        """Accounts that disappear, per step and group."""
        size = len(self.labels)
        return self.counts[:, :, :size, size].sum(axis=-1)

    def upgrades(self) -> NDArray[np.int64]:
        """Accounts that moved to a better segment, per step and group."""
        core = self.counts[:, :, : len(self.labels), : len(self.labels)]
        return (core * np.tri(len(self.labels), k=-1, dtype=np.int64)).sum(axis=(-2, -1))

    def downgrades(self) -> NDArray[np.int64]:
        """Accounts that moved to a worse segment, per step and group."""
        core = self.counts[:, :, : len(self.labels), : len(self.labels)]
        return (core * np.tri(len(self.labels), k=-1, dtype=np.int64).T).sum(axis=(-2, -1))


def migration_matrix(before: ArrayLike, after: ArrayLike, labels: Sequence[str]) -> NDArray:
    """Counts of accounts from each segment (rows) to each segment (columns), absent last."""
    groups = np.zeros(np.asarray(before).shape, dtype=np.int64)
    history = np.stack([np.asarray(before, dtype=str), np.asarray(after, dtype=str)], axis=1)
    return monthly_migration(history, labels, groups, 1).counts[0, 0]


def monthly_migration(
    history: ArrayLike, labels: Sequence[str], groups: ArrayLike, n_groups: int
) -> MigrationResult:
    """Transitions between consecutive months, counted per group (territory or rep).

    `history` is accounts × months of segment labels ("" = absent). `groups` gives each account's
    group index, either once (accounts,) or per month (accounts × months); a transition counts in
    the group of the later month, or of the earlier one for an account lost that month.
    """
    segments = np.asarray(history, dtype=str)
    if segments.ndim != 2:
        raise ValueError("history must be accounts × months")
    state = _encode(segments, labels)
    group = np.asarray(groups, dtype=np.int64)
    if group.ndim == 1:
        group = np.repeat(group[:, None], segments.shape[1], axis=1)
    if group.shape != segments.shape:
        raise ValueError("groups must have one entry per account, or per account and month")
    size = len(labels) + 1
    steps = segments.shape[1] - 1
    counts = np.zeros((max(steps, 0), n_groups, size, size), dtype=np.int64)
    for t in range(steps):
        src, dst = state[:, t], state[:, t + 1]
        where = np.where(dst == size - 1, group[:, t], group[:, t + 1])
        seen = (src != size - 1) | (dst != size - 1)
        np.add.at(counts[t], (where[seen], src[seen], dst[seen]), 1)
    return MigrationResult(tuple(labels), counts)


def _encode(segments: NDArray[np.str_], labels: Sequence[str]) -> NDArray[np.int64]:
    """Label index per cell, with len(labels) for absent; unknown labels are refused."""
    if ABSENT in labels or len(set(labels)) != len(labels):
        raise ValueError("labels must be distinct and non-empty")
    lookup = {label: i for i, label in enumerate(labels)}
    lookup[ABSENT] = len(labels)
    unknown = set(np.unique(segments)) - set(lookup)
    if unknown:
        raise ValueError(f"unknown segments: {sorted(unknown)}")
    return np.vectorize(lookup.__getitem__, otypes=[np.int64])(segments)
