"""Hierarchies of series given as arrays: which bottom series add up to which aggregate.

The bottom series are described by key columns (e.g. region, territory, category); the levels
say which keys each aggregation keeps, from the total to the bottom. Grouped structures (crossed
keys, such as territory × category) need no special case: each level is just a grouping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Hierarchy:
    """Summing matrix S (all rows × bottom series), aggregates first and the bottom identity last.

    `level[r]` is the position in `level_names` of row r; `labels[r]` its key values; `parents[r]`
    the smallest other row that strictly contains it (-1 for the total).
    """

    summing: FloatArray
    level: IntArray
    level_names: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    parents: IntArray

    @property
    def n_series(self) -> int:
        return int(self.summing.shape[0])

    @property
    def n_bottom(self) -> int:
        return int(self.summing.shape[1])

    @property
    def n_aggregates(self) -> int:
        return self.n_series - self.n_bottom

    def aggregate(self, bottom: ArrayLike) -> FloatArray:
        """All rows from bottom values (n_bottom, ...): missing values count as zero, and a row is
        missing only where all of its bottom values are."""
        values = np.asarray(bottom, dtype=float)
        flat = values.reshape(values.shape[0], -1)
        total = self.summing @ np.nan_to_num(flat)
        present = self.summing @ (~np.isnan(flat)).astype(float)
        return np.where(present > 0, total, np.nan).reshape(self.n_series, *values.shape[1:])


def build_hierarchy(
    keys: Mapping[str, Sequence[object]], levels: Sequence[Sequence[str]]
) -> Hierarchy:
    """Hierarchy of the bottom series described by `keys` (name -> one value per bottom series).

    `levels` lists the keys kept at each level, coarse to fine; `[]` is the total. The last level
    must tell every bottom series apart; it becomes the identity block, in the given order.
    """
    if not levels:
        raise ValueError("give at least the bottom level")
    columns = {name: [str(v) for v in values] for name, values in keys.items()}
    sizes = {len(v) for v in columns.values()}
    if len(sizes) != 1:
        raise ValueError("every key needs one value per bottom series")
    n_bottom = sizes.pop()
    unknown = {k for level in levels for k in level} - set(columns)
    if unknown:
        raise ValueError(f"unknown keys in levels: {sorted(unknown)}")
    bottom_labels = _row_labels(columns, levels[-1], n_bottom)
    if len(set(bottom_labels)) != n_bottom:
        raise ValueError("the last level must identify each bottom series")
    rows: list[FloatArray] = []
    level_of_row: list[int] = []
    labels: list[tuple[str, ...]] = []
    for position, level in enumerate(levels[:-1]):
        row_labels = _row_labels(columns, level, n_bottom)
        for label in dict.fromkeys(row_labels):
            rows.append(np.array([r == label for r in row_labels], dtype=float))
            level_of_row.append(position)
            labels.append(label)
    summing = np.vstack([*rows, np.eye(n_bottom)]) if rows else np.eye(n_bottom)
    level_of_row += [len(levels) - 1] * n_bottom
    labels += bottom_labels
    names = tuple(" × ".join(level) or "Total" for level in levels)
    return Hierarchy(
        summing=summing,
        level=np.array(level_of_row, dtype=np.int64),
        level_names=names,
        labels=tuple(labels),
        parents=_parents(summing),
    )


def _row_labels(
    columns: Mapping[str, list[str]], level: Sequence[str], n_bottom: int
) -> list[tuple[str, ...]]:
    return [tuple(columns[k][i] for k in level) for i in range(n_bottom)]


def _parents(summing: FloatArray) -> IntArray:
    """For each row, the smallest row whose bottom series strictly include its own (-1 if none)."""
    size = summing.sum(axis=1)
    overlap = summing @ summing.T  # overlap[c, r] = bottom series shared by rows c and r
    contains = (overlap == size[None, :]) & (size[:, None] > size[None, :])
    candidate_size = np.where(contains, size[:, None], np.inf)
    parents = np.argmin(candidate_size, axis=0)
    return np.where(np.isfinite(candidate_size.min(axis=0)), parents, -1).astype(np.int64)
