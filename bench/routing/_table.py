"""Plain-text tables and gap summaries shared by the routing benchmarks."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def print_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Left-aligned first column, right-aligned numbers, widths fitted to the content."""
    cells = [list(map(str, header))] + [[_fmt(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for k, row in enumerate(cells):
        line = "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        print(line)
        if k == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(cell: object) -> str:
    if isinstance(cell, float):
        return "—" if not math.isfinite(cell) else f"{cell:.2f}"
    return str(cell)


def summary(gaps: Sequence[float]) -> tuple[int, float, float]:
    """(instances solved, mean gap %, worst gap %) over finite gaps."""
    found = [g for g in gaps if math.isfinite(g)]
    if not found:
        return 0, math.inf, math.inf
    return len(found), sum(found) / len(found), max(found)


def run_all(function: Any, tasks: Sequence[tuple[Any, ...]], jobs: int) -> list[Any]:
    """`function(*task)` for each task, in order; in `jobs` processes when jobs > 1."""
    if jobs <= 1:
        return [function(*task) for task in tasks]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(function, *task) for task in tasks]
        return [future.result() for future in futures]
