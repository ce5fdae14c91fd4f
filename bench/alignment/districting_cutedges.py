"""districting-cutedges benchmark: population within ±0.5 %, contiguity, fewest cut edges.

For every instance prints Rumbo's feasibility, cut edges, the time at which the final answer was
first found ("best at") and the time used, beside the proven optimum (or the best known bounds
for the open instances) of Validi & Buchanan (bks.csv).

    .venv/bin/python bench/alignment/districting_cutedges.py [path] [--time-limit 60]
        [--instances NAME ...]
"""

from __future__ import annotations

import csv
import time

import numpy as np
from alignment_bench import BENCHMARKS, TimedStop, load, parser, read_districting, table

from rumbo.engine.alignment import solve

HEADERS = [
    "instance",
    "units",
    "k",
    "feasible",
    "population dev %",
    "cut edges",
    "optimum / bounds",
    "gap %",
    "best at s",
    "time s",
]


def main() -> None:
    ap = parser(__doc__.split("\n")[0], BENCHMARKS / "districting-cutedges", time_limit=60.0)
    args = ap.parse_args()
    with (args.path / "bks.csv").open() as f:
        known = {r["instance"]: r for r in csv.DictReader(f)}
    names = args.instances or list(known)
    print(
        f"districting-cutedges: {len(names)} instances, {args.time_limit:g} s each; load {load()}"
    )
    rows, gaps, feasible = [], [], 0
    for name in names:
        row, gap, ok = _run(args, name, known[name])
        rows.append(row)
        feasible += ok
        if gap is not None:
            gaps.append(gap)
        print(table(HEADERS, [row]).splitlines()[-1], flush=True)
    print()
    print(table(HEADERS, rows))
    print(
        f"feasible {feasible}/{len(names)}; mean gap to the optimum on the {len(gaps)} solved "
        f"instances {np.mean(gaps):.2f} %, worst {max(gaps):.2f} %; load at the end {load()}"
    )


def _run(args, name: str, known: dict[str, str]) -> tuple[list[object], float | None, bool]:
    level = name.split("_")[1]
    problem = read_districting(args.path / level / f"{name}.json", k=int(known["k"]))
    stop = TimedStop(args.time_limit)
    started = time.perf_counter()
    result = solve(problem, stop, seed=args.seed)
    seconds = time.perf_counter() - started
    lb, ub = float(known["best_lower_bound_cut_edges"]), float(known["best_upper_bound_cut_edges"])
    cuts = float(result.cut_edges or 0)
    solved = known["status"] == "optimal"
    gap = 100.0 * (cuts / ub - 1.0) if solved else None
    reference = f"{ub:.0f}" if solved else f"[{lb:.0f}, {ub:.0f}]"
    row: list[object] = [
        name,
        problem.n_units,
        problem.n_territories,
        result.feasible,
        float(result.balance_pct[0]),
        int(cuts),
        reference,
        gap if gap is not None else f"{100.0 * (cuts / ub - 1.0):+.1f} vs UB",
        f"{stop.best_at:.1f}",
        f"{seconds:.1f}",
    ]
    return row, gap, result.feasible


if __name__ == "__main__":
    main()
