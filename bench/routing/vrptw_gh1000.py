"""Gehring & Homberger 1000-customer VRPTW: Rumbo's route solver against the best-known values.

Usage: .venv/bin/python bench/routing/vrptw_gh1000.py [folder] [--time-limit 60] [--cpu]
       [--seed 1] [--instances C1_10_1 R2 ...] [--all] [--ortools] [--jobs 1]

DIMACS convention (distances and times truncated to one decimal), objective = total distance,
fleet as in the file. Without --instances or --all it runs one instance of each of the six
classes (C1_10_1, C2_10_1, R1_10_1, R2_10_1, RC1_10_1, RC2_10_1); --all runs every instance
in the folder (57 × the time limit). --ortools adds OR-Tools beside it under the same limit.
--cpu makes Rumbo's limit CPU seconds of its process instead of wall seconds (fair A/B runs on a
loaded machine); --seed is Rumbo's seed.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from _ortools_vrptw import run_ortools
from _table import print_table, run_all, summary
from _vrptw import NOT_FOUND, gap_pct, load_note, read_instance, run_rumbo

DEFAULT = Path("/work/shared/data/benchmarks/vrptw-gh1000")
SUBSET = ["C1_10_1", "C2_10_1", "R1_10_1", "R2_10_1", "RC1_10_1", "RC2_10_1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--cpu", action="store_true", help="limit CPU, not wall, seconds")
    parser.add_argument("--seed", type=int, default=1, help="Rumbo's random seed")
    parser.add_argument("--instances", nargs="*", help="names or prefixes, e.g. R1_10 C2_10_3")
    parser.add_argument("--all", action="store_true", help="every instance in the folder")
    parser.add_argument("--ortools", action="store_true", help="also run OR-Tools")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    with open(args.folder / "bks.csv", newline="") as handle:
        bks = {row["instance"]: (int(row["routes"]), float(row["bks_distance_dimacs"]))
               for row in csv.DictReader(handle)}  # fmt: skip
    files = sorted(args.folder.glob("*.vrp"))
    wanted = None if args.all else (args.instances or SUBSET)
    if wanted:
        files = [f for f in files if any(f.stem == w or f.stem.startswith(w + "_") for w in wanted)]
    print(f"start: {load_note()}")
    instances = [read_instance(path) for path in files]
    tasks = [(inst, "dimacs", False, args.time_limit) for inst in instances]
    ours = run_all(run_rumbo, [(*task, args.cpu, args.seed) for task in tasks], args.jobs)
    peer = run_all(run_ortools, tasks, args.jobs) if args.ortools else [NOT_FOUND] * len(tasks)
    rows, gaps_ours, gaps_peer = [], [], []
    for inst, mine, theirs in zip(instances, ours, peer, strict=True):
        ref_routes, ref_dist = bks[inst.name]
        gaps_ours.append(gap_pct(mine.distance, ref_dist))
        gaps_peer.append(gap_pct(theirs.distance, ref_dist))
        rows.append([inst.name, ref_routes, ref_dist, mine.routes, mine.distance, gaps_ours[-1],
                     theirs.routes, theirs.distance, gaps_peer[-1]])  # fmt: skip
    clock = "CPU" if args.cpu else "wall"
    print(
        f"\nGehring & Homberger 1000, DIMACS convention, {args.time_limit:g} s ({clock}) each, "
        f"seed {args.seed}"
    )
    print_table(
        [
            "instance",
            "BKS R",
            "BKS dist",
            "Rumbo R",
            "Rumbo dist",
            "gap %",
            "OR R",
            "OR dist",
            "OR gap %",
        ],
        rows,
    )
    for label, gaps, outcomes in (("Rumbo", gaps_ours, ours), ("OR-Tools", gaps_peer, peer)):
        if label == "OR-Tools" and not args.ortools:
            continue
        found, mean, worst = summary(gaps)
        wall = sum(o.seconds for o in outcomes) / max(1, len(outcomes))
        cpu = sum(o.cpu for o in outcomes) / max(1, len(outcomes))
        print(
            f"{label:9s} solved {found}/{len(gaps)}  mean gap {mean:.3f} %  worst {worst:.2f} %  "
            f"mean time {wall:.1f} s (CPU {cpu:.1f} s)"
        )
    print(f"end: {load_note()}")


if __name__ == "__main__":
    main()
