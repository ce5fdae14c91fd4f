"""Scale benchmark: 50,000 accounts into 100 territories, four measures each within ±5 %.

Prints, in one run, Rumbo's alignment beside a plain k-means baseline (scikit-learn) and a lower
bound on compactness (the k-median Lagrangian bound, which ignores balance): runtime, the largest
deviation from target per measure, compactness (sum of km from each account to its territory's
medoid) and feasibility.

    .venv/bin/python bench/alignment/scale.py [--time-limit 55] [--accounts 50000]
        [--territories 100] [--database-url postgres://...]

Accounts are generated from the census files in the repository unless a database URL is given
(or DATABASE_URL is set and --from-database is passed): then the largest organisation's accounts
are read with plain SQL (position, 12-month sales, 12-month visits).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from alignment_bench import TimedStop, load, table
from scale_instance import Accounts, from_database, generate
from sklearn.cluster import KMeans

from rumbo.engine.alignment import AlignmentProblem, AlignmentResult, evaluate, solve
from rumbo.engine.alignment.bounds import kmedian_lower_bound
from rumbo.engine.alignment.space import to_space

MEASURES = ("workload", "sales", "potential", "accounts")


def main() -> None:
    args = _arguments()
    accounts = _accounts(args)
    problem = _problem(accounts, args.territories, args.tolerance)
    print(
        f"{problem.n_units:,} accounts ({accounts.source}) into {problem.n_territories} "
        f"territories, ±{args.tolerance:.0%} on {', '.join(MEASURES)}; load {load()}"
    )
    stop = TimedStop(args.time_limit)
    started = time.perf_counter()
    ours = solve(problem, stop, seed=args.seed)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    labels = KMeans(problem.n_territories, n_init=1, random_state=args.seed).fit_predict(
        to_space(problem.positions, geographic=True)
    )
    kmeans_s = time.perf_counter() - started
    baseline = evaluate(problem, labels)
    started = time.perf_counter()
    bound = kmedian_lower_bound(problem, upper=ours.compactness)
    bound_s = time.perf_counter() - started
    rows = [
        _row("Rumbo solve()", ours, ours_s, bound.value),
        _row("k-means (sklearn)", baseline, kmeans_s, bound.value),
        ["k-median lower bound", f"{bound_s:.1f}"]
        + ["-"] * len(MEASURES)
        + [bound.value, "-", "-"],
    ]
    headers = ["method", "time s"] + [f"{m} dev %" for m in MEASURES]
    print(table([*headers, "compactness km", "vs bound %", "feasible"], rows))
    print(
        f"bound: {bound.cells:,} cells, {bound.iterations} subgradient iterations, relaxed "
        f"{bound.relaxed:,.0f} km minus aggregation loss {bound.aggregation_loss:,.0f} km"
    )
    print(
        f"Rumbo: {ours.iterations:,} iterations, final answer first found at {stop.best_at:.1f} s "
        f"of {ours_s:.1f} s; load at the end {load()}"
    )


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--time-limit", type=float, default=55.0, help="seconds for solve()")
    ap.add_argument("--accounts", type=int, default=50_000)
    ap.add_argument("--territories", type=int, default=100)
    ap.add_argument("--tolerance", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database-url", default=None, help="read accounts from this database")
    ap.add_argument("--from-database", action="store_true", help="use DATABASE_URL")
    return ap.parse_args()


def _accounts(args: argparse.Namespace) -> Accounts:
    url = args.database_url or (os.environ.get("DATABASE_URL") if args.from_database else None)
    if url:
        return from_database(url)
    return generate(args.accounts, args.seed)


def _problem(accounts: Accounts, territories: int, tolerance: float) -> AlignmentProblem:
    measures = np.column_stack(
        [accounts.workload_h, accounts.sales, accounts.potential, np.ones(len(accounts.lat))]
    )
    return AlignmentProblem(
        positions=np.column_stack([accounts.lat, accounts.lon]),
        measures=measures,
        n_territories=territories,
        tolerances=np.full(len(MEASURES), tolerance),
        measure_names=MEASURES,
    )


def _row(name: str, result: AlignmentResult, seconds: float, bound: float) -> list[object]:
    gap = 100.0 * (result.compactness / bound - 1.0) if bound > 0 else float("nan")
    deviations: list[object] = [float(x) for x in result.balance_pct]
    return [name, f"{seconds:.1f}", *deviations, result.compactness, gap, result.feasible]


if __name__ == "__main__":
    main()
