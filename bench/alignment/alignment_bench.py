"""Shared pieces of the alignment benchmarks: instance readers, the argument parser, tables.

The readers return `AlignmentProblem`s built straight from the public files; nothing is written
next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from rumbo.engine.alignment import AlignmentProblem

BENCHMARKS = Path(os.environ.get("RUMBO_BENCHMARKS", "/work/shared/data/benchmarks"))


def parser(description: str, default: Path, time_limit: float) -> argparse.ArgumentParser:
    """The common command line: [path] [--time-limit S] [--instances NAME ...] [--seed N]."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("path", nargs="?", type=Path, default=default)
    ap.add_argument("--time-limit", type=float, default=time_limit, help="seconds per instance")
    ap.add_argument("--instances", nargs="*", default=None, help="names to run (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    return ap


class TimedStop:
    """MaxRuntime that also notes when the best cost was first reached (time to best)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.best = float("inf")
        self.best_at = 0.0
        self._start: float | None = None

    def __call__(self, best_cost: float) -> bool:
        now = time.perf_counter()
        if self._start is None:
            self._start = now
        if best_cost < self.best:
            self.best, self.best_at = best_cost, now - self._start
        return now - self._start >= self.seconds


def load() -> str:
    """The machine's load average, for the record of a timed run."""
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def graph_from_edges(n: int, edges: Sequence[tuple[int, int]]) -> sparse.csr_array:
    """Symmetric 0/1 adjacency matrix from an edge list."""
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    graph = sparse.coo_array((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    graph.data[:] = 1.0
    return graph


def read_ctdp(path: Path) -> AlignmentProblem:
    """A DU instance: units with (x, y) and three measures, planar edges, p and tolerances."""
    tokens = path.read_text().split()
    pos = 0
    n = int(tokens[pos])
    pos += 1
    rows = np.array(tokens[pos : pos + 7 * n], dtype=float).reshape(n, 7)
    pos += 7 * n
    m = int(tokens[pos])
    pos += 1
    edges = np.array(tokens[pos : pos + 2 * m], dtype=np.int64).reshape(m, 2)
    pos += 2 * m
    p = int(tokens[pos])
    taus = np.array(tokens[pos + 2 : pos + 5], dtype=float)
    return AlignmentProblem(
        positions=rows[:, 1:3],
        measures=rows[:, 3:6],
        n_territories=p,
        tolerances=taus,
        geographic=False,
        adjacency=graph_from_edges(n, [tuple(e) for e in edges]),
        measure_names=("customers", "sales", "workload"),
    )


def read_districting(path: Path, tolerance: float = 0.005, k: int = 2) -> AlignmentProblem:
    """A networkx adjacency-JSON dual graph: population to balance, contiguity, cut edges."""
    data = json.loads(path.read_text())
    nodes = data["nodes"]
    index = {node["id"]: i for i, node in enumerate(nodes)}
    lon = [float(node.get("C_X", node.get("INTPTLON10"))) for node in nodes]
    lat = [float(node.get("C_Y", node.get("INTPTLAT10"))) for node in nodes]
    edges = [
        (index[nodes[i]["id"]], index[e["id"]])
        for i, around in enumerate(data["adjacency"])
        for e in around
        if index[e["id"]] != i
    ]
    return AlignmentProblem(
        positions=np.column_stack([lat, lon]),
        measures=np.array([[float(node["TOTPOP"])] for node in nodes]),
        n_territories=k,
        tolerances=np.array([tolerance]),
        geographic=True,
        adjacency=graph_from_edges(len(nodes), edges),
        compactness="cut_edges",
        measure_names=("population",),
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned columns (markdown-compatible pipes)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)
