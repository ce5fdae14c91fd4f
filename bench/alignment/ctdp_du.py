"""ctdp-du benchmark: three measures within ±5 %, contiguity, compactness to the territory medoid.

For every instance prints Rumbo's balance violation, largest deviation per measure, compactness
and time beside the reference ALNS compactness (reference_alns.csv), the LP lower bound (HiGHS,
contiguity relaxed) and, for small instances, the proven optimum (HiGHS MILP with lazy
contiguity cuts), all computed in the same run.

    .venv/bin/python bench/alignment/ctdp_du.py [path] [--time-limit 10] [--instances NAME ...]
        [--exact-up-to 60] [--no-lp]
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
from alignment_bench import BENCHMARKS, TimedStop, load, parser, read_ctdp, table

from rumbo.engine.alignment import solve
from rumbo.engine.alignment.exact import solve_exact


def main() -> None:
    ap = parser(__doc__.split("\n")[0], BENCHMARKS / "ctdp-du", time_limit=10.0)
    ap.add_argument("--exact-up-to", type=int, default=60, help="MILP optimum up to n units")
    ap.add_argument("--no-lp", action="store_true", help="skip the LP lower bound")
    args = ap.parse_args()
    reference = _reference(args.path / "reference_alns.csv")
    names = args.instances or sorted(
        (p.stem for p in (args.path / "instances").glob("*.dat")), key=_order
    )
    print(f"ctdp-du: {len(names)} instances, {args.time_limit:g} s each; load {load()}")
    rows, gaps, feasible = [], [], 0
    for name in names:
        row, gap, ok = _run(args, name, reference.get(name))
        rows.append(row)
        feasible += ok
        if gap is not None:
            gaps.append(gap)
        print(table(HEADERS, [row]).splitlines()[-1], flush=True)
    print()
    print(table(HEADERS, rows))
    print(
        f"feasible {feasible}/{len(names)}; compactness vs reference ALNS: mean "
        f"{np.mean(gaps):+.2f} %, worst {max(gaps):+.2f} %, within 5 % on "
        f"{sum(g <= 5 for g in gaps)}/{len(gaps)}; load at the end {load()}"
    )


HEADERS = [
    "instance",
    "n",
    "p",
    "violation",
    "dev % (3 measures)",
    "compactness",
    "reference ALNS",
    "vs ref %",
    "LP bound",
    "vs LP %",
    "optimum",
    "best at s",
    "time s",
    "feasible",
]


def _run(args, name: str, ref: float | None) -> tuple[list[object], float | None, bool]:
    problem = read_ctdp(args.path / "instances" / f"{name}.dat")
    stop = TimedStop(args.time_limit)
    started = time.perf_counter()
    result = solve(problem, stop, seed=args.seed)
    seconds = time.perf_counter() - started
    lp = np.nan if args.no_lp else solve_exact(problem, 300.0, relax=True).bound
    optimum: object = "-"
    if problem.n_units <= args.exact_up_to:
        exact = solve_exact(problem, 300.0)
        optimum = exact.objective if exact.optimal else f">= {exact.bound:.2f}"
    gap = None if ref is None else 100.0 * (result.compactness / ref - 1.0)
    deviation = "/".join(f"{x:.2f}" for x in result.balance_pct)
    row: list[object] = [
        name,
        problem.n_units,
        problem.n_territories,
        result.violation,
        deviation,
        result.compactness,
        "-" if ref is None else ref,
        "-" if gap is None else gap,
        lp,
        100.0 * (result.compactness / lp - 1.0) if lp == lp else "-",
        optimum,
        f"{stop.best_at:.1f}",
        f"{seconds:.1f}",
        result.feasible,
    ]
    return row, gap, result.feasible


def _reference(path: Path) -> dict[str, float]:
    with path.open() as f:
        return {
            r["instance"]: float(r["compactness_sum_dist_to_center"]) for r in csv.DictReader(f)
        }


def _order(name: str) -> tuple[int, int]:
    """Instances by size, then number (2DU60-05-2 before 2DU60-05-10)."""
    size = int("".join(c for c in name.split("-")[0].split("DU")[1] if c.isdigit()))
    return size, int(name.split("-")[-1])


if __name__ == "__main__":
    main()
