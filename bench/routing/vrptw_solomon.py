"""Solomon VRPTW: Rumbo's route solver beside OR-Tools, same instances, time limit and convention.

Usage: .venv/bin/python bench/routing/vrptw_solomon.py [folder] [--time-limit 5] [--cpu]
       [--seed 1] [--convention dimacs|exact|both] [--instances C101 R1 ...] [--no-ortools]
       [--jobs 1]

`dimacs`: distances truncated to one decimal, objective = distance (fleet ≤ 25), gaps to the
proven optima. `exact`: double precision, objective = routes first, then distance, gaps to the
SINTEF best-known values (a distance gap is only like-for-like when the route counts match).
`--cpu` makes Rumbo's limit CPU seconds of its process instead of wall seconds (fair A/B runs on
a loaded machine; OR-Tools keeps its wall-clock limit); `--seed` is Rumbo's seed.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

from _ortools_vrptw import run_ortools
from _table import print_table, run_all, summary
from _vrptw import NOT_FOUND, Instance, Outcome, gap_pct, load_note, read_instance, run_rumbo

DEFAULT = Path("/work/shared/data/benchmarks/vrptw-solomon")
FLEET = 25


def references(folder: Path, convention: str) -> dict[str, tuple[int, float]]:
    """Reference (routes, distance) per instance for the convention."""
    columns = {
        "dimacs": ("dist_min_vehicles", "dist_min_distance_trunc1"),
        "exact": ("hier_bks_vehicles", "hier_bks_distance"),
    }[convention]
    with open(folder / "bks.csv", newline="") as handle:
        return {
            row["instance"]: (int(row[columns[0]]), float(row[columns[1]]))
            for row in csv.DictReader(handle)
        }


def selected(folder: Path, convention: str, wanted: list[str] | None) -> list[Path]:
    files = sorted((folder / convention).glob("*.txt"))
    if wanted:
        files = [f for f in files if any(f.stem.upper().startswith(w.upper()) for w in wanted)]
    return files


def run_convention(args: argparse.Namespace, convention: str) -> None:
    refs = references(args.folder, convention)
    files = selected(args.folder, convention, args.instances)
    hierarchical = convention == "exact"
    instances = [read_instance(path, FLEET) for path in files]
    tasks = [(inst, convention, hierarchical, args.time_limit) for inst in instances]
    ours_tasks = [(*task, args.cpu, args.seed) for task in tasks]
    ours = run_all(run_rumbo, ours_tasks, args.jobs)
    peer = run_all(run_ortools, tasks, args.jobs) if args.ortools else [NOT_FOUND] * len(tasks)
    rows: list[list[object]] = []
    gaps_ours: list[float] = []
    gaps_peer: list[float] = []
    for inst, mine, theirs in zip(instances, ours, peer, strict=True):
        ref_routes, ref_dist = refs[inst.name]
        gaps_ours.append(_gap(mine, ref_routes, ref_dist, hierarchical))
        gaps_peer.append(_gap(theirs, ref_routes, ref_dist, hierarchical))
        rows.append(_row(inst.name, ref_routes, ref_dist, mine, theirs))
        rows[-1][5], rows[-1][8] = gaps_ours[-1], gaps_peer[-1]
    objective = "routes, then distance" if hierarchical else "distance"
    clock = "CPU" if args.cpu else "wall"
    print(
        f"\nSolomon, {convention} convention, objective {objective}, "
        f"{args.time_limit:g} s ({clock}) each, seed {args.seed}"
    )
    print_table(
        [
            "instance",
            "ref R",
            "ref dist",
            "Rumbo R",
            "Rumbo dist",
            "gap %",
            "OR R",
            "OR dist",
            "OR gap %",
        ],
        rows,
    )
    _print_summary("Rumbo", gaps_ours, ours, refs, instances)
    if args.ortools:
        _print_summary("OR-Tools", gaps_peer, peer, refs, instances)
        pairs = list(zip(ours, peer, strict=True))
        wins = sum(1 for a, b in pairs if _key(a, hierarchical) < _key(b, hierarchical))
        ties = sum(1 for a, b in pairs if _key(a, hierarchical) == _key(b, hierarchical))
        print(f"Rumbo better than OR-Tools on {wins}, equal on {ties} of {len(ours)} instances")
    if hierarchical:
        print("(hierarchical: a gap is shown only where the route count equals the reference)")


def _gap(outcome: Outcome, ref_routes: int, ref_dist: float, hierarchical: bool) -> float:
    """Distance gap; under the hierarchical objective only when the routes match."""
    if hierarchical and outcome.routes != ref_routes:
        return math.inf
    return gap_pct(outcome.distance, ref_dist)


def _key(outcome: Outcome, hierarchical: bool) -> tuple[float, float]:
    """What the objective ranks: (routes, distance) when hierarchical, else distance; to 0.01."""
    if not outcome.found:
        return (math.inf, math.inf)
    return (outcome.routes if hierarchical else 0, round(outcome.distance, 2))


def _row(
    name: str, ref_routes: int, ref_dist: float, mine: Outcome, theirs: Outcome
) -> list[object]:
    return [
        name, ref_routes, ref_dist,
        mine.routes, mine.distance, gap_pct(mine.distance, ref_dist),
        theirs.routes, theirs.distance, gap_pct(theirs.distance, ref_dist),
    ]  # fmt: skip


def _print_summary(
    label: str,
    gaps: list[float],
    outcomes: list[Outcome],
    refs: dict[str, tuple[int, float]],
    instances: list[Instance],
) -> None:
    found, mean, worst = summary(gaps)
    optimal = sum(1 for g in gaps if math.isfinite(g) and abs(g) < 0.005)
    extra = sum(1 for o, i in zip(outcomes, instances, strict=True) if o.routes > refs[i.name][0])
    seconds = sum(o.seconds for o in outcomes) / max(1, len(outcomes))
    cpu = sum(o.cpu for o in outcomes) / max(1, len(outcomes))
    print(
        f"{label:9s} gap over {found}/{len(gaps)}  mean gap {mean:.3f} %  worst {worst:.2f} %  "
        f"at reference {optimal}  more routes than ref {extra}  mean time {seconds:.1f} s "
        f"(CPU {cpu:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--cpu", action="store_true", help="limit CPU, not wall, seconds")
    parser.add_argument("--seed", type=int, default=1, help="Rumbo's random seed")
    parser.add_argument("--convention", choices=["dimacs", "exact", "both"], default="dimacs")
    parser.add_argument("--instances", nargs="*", help="names or prefixes, e.g. C1 R101")
    parser.add_argument("--no-ortools", dest="ortools", action="store_false")
    parser.add_argument("--jobs", type=int, default=1, help="instances solved in parallel")
    args = parser.parse_args()
    print(f"start: {load_note()}")
    conventions = ["dimacs", "exact"] if args.convention == "both" else [args.convention]
    for convention in conventions:
        run_convention(args, convention)
    print(f"end: {load_note()}")


if __name__ == "__main__":
    main()
