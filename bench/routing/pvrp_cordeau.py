"""Periodic VRP (Cordeau, Gendreau & Laporte 1997): Rumbo's visit planner against the BKS.

Usage: .venv/bin/python bench/routing/pvrp_cordeau.py [folder] [--time-limit 60]
       [--instances p01 pr ...] [--jobs 1] [--seed 1]

Each instance gives per customer its visit patterns (day sets), demand and service time, and per
day m vehicles of capacity Q and maximum route duration D (0 = none); distances are Euclidean in
double precision and the objective is the total distance over the horizon. Every plan is
checked independently (one allowed pattern per customer, loads, durations) before it is scored.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from _table import print_table, run_all, summary
from _vrptw import gap_pct, load_note
from numpy.typing import NDArray

from rumbo.engine.routing import Objective, Shift, TravelMatrix
from rumbo.engine.routing.plan import PlanProblem, PlanResult
from rumbo.engine.routing.planner import plan_visits
from rumbo.engine.stop import MaxRuntime

DEFAULT = Path("/work/shared/data/benchmarks/pvrp-cordeau")
TOLERANCE = 1e-3


@dataclass(frozen=True)
class Instance:
    name: str
    vehicles: int
    duration: NDArray[np.float64]  # per day, 0 = unlimited
    capacity: NDArray[np.int64]  # per day
    xy: NDArray[np.float64]
    service: NDArray[np.float64]
    demand: NDArray[np.int64]
    patterns: list[NDArray[np.bool_]]  # per customer (node 1..n)


def read_instance(path: Path) -> Instance:
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    _, vehicles, _, days = map(int, rows[0])
    limits = np.array([[float(x) for x in row[:2]] for row in rows[1 : 1 + days]])
    nodes = rows[1 + days :]
    patterns = []
    for row in nodes[1:]:
        count = int(row[6])
        codes = [int(c) for c in row[7 : 7 + count]]
        bits = [[(code >> (days - 1 - d)) & 1 == 1 for d in range(days)] for code in codes]
        patterns.append(np.array(bits, dtype=bool).reshape(-1, days))
    return Instance(
        name=path.stem,
        vehicles=vehicles,
        duration=limits[:, 0],
        capacity=limits[:, 1].astype(np.int64),
        xy=np.array([[float(r[1]), float(r[2])] for r in nodes]),
        service=np.array([float(r[3]) for r in nodes]),
        demand=np.array([int(float(r[4])) for r in nodes], dtype=np.int64),
        patterns=patterns,
    )


def distances(inst: Instance) -> NDArray[np.float64]:
    diff = inst.xy[:, None, :] - inst.xy[None, :, :]
    return np.sqrt((diff**2).sum(axis=-1))


def plan_problem(inst: Instance) -> PlanProblem:
    """The instance as a Rumbo plan: days with m reps, every customer required."""
    dist = distances(inst)
    if len(set(inst.capacity.tolist())) != 1:
        raise ValueError("this adapter expects the same capacity every day")
    unbounded = float(inst.service.sum() + dist.max(axis=1).sum() + 1.0)
    shifts = tuple(
        Shift(0.0, float(d) if d > 0 else unbounded, float(d) if d > 0 else None)
        for d in inst.duration
    )
    n = len(inst.xy) - 1
    return PlanProblem(
        travel=TravelMatrix(distance_km=dist, duration_min=dist),
        location=np.arange(1, n + 1, dtype=np.int64),
        service_min=inst.service[1:],
        patterns=tuple(inst.patterns),
        shifts=shifts,
        required=np.ones(n, dtype=bool),
        demand=inst.demand[1:],
        capacity=int(inst.capacity[0]),
        reps=inst.vehicles,
        objective=Objective.DISTANCE,
    )


def check_plan(inst: Instance, result: PlanResult) -> float:
    """Every customer on exactly one allowed pattern, loads and durations kept; total distance."""
    dist, days = distances(inst), len(inst.duration)
    visited = np.zeros((len(inst.xy) - 1, days), dtype=bool)
    total = 0.0
    for d, day in enumerate(result.days):
        if len(day.routes) > inst.vehicles:
            raise AssertionError(f"{inst.name}: too many routes on day {d}")
        for route in day.routes:
            nodes = [int(result.day_accounts[d][s.visit]) + 1 for s in route.stops]
            path = [0, *nodes, 0]
            length = float(sum(dist[a, b] for a, b in pairwise(path)))
            if inst.demand[nodes].sum() > inst.capacity[d]:
                raise AssertionError(f"{inst.name}: capacity exceeded on day {d}")
            limit = inst.duration[d]
            if limit > 0 and length + inst.service[nodes].sum() > limit + TOLERANCE:
                raise AssertionError(f"{inst.name}: route too long on day {d}")
            visited[np.asarray(nodes) - 1, d] = True
            total += length
    for c, rows in enumerate(inst.patterns):
        if not any((visited[c] == row).all() for row in rows):
            raise AssertionError(f"{inst.name}: customer {c + 1} not on an allowed pattern")
    return total


def run(inst: Instance, seconds: float, seed: int) -> tuple[float, float, float]:
    """(checked distance or inf, wall seconds, CPU seconds spent)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = plan_visits(plan_problem(inst), stop=MaxRuntime(seconds), seed=seed)
    spent, cpu = time.perf_counter() - began, time.process_time() - cpu
    if result.dropped or not all(day.feasible for day in result.days):
        return math.inf, spent, cpu
    return check_plan(inst, result), spent, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", nargs="*", help="names or prefixes, e.g. p01 pr")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.folder / "bks.csv", newline="") as handle:
        bks = {row["instance"]: float(row["bks"]) for row in csv.DictReader(handle)}
    files = sorted(args.folder.glob("*.txt"), key=lambda p: (len(p.stem), p.stem))
    if args.instances:
        files = [f for f in files if any(f.stem.lower() == w.lower() or
                                         (w.lower() == "pr" and f.stem.startswith("pr"))
                                         or (w.lower() == "p" and not f.stem.startswith("pr"))
                                         for w in args.instances)]  # fmt: skip
    print(f"start: {load_note()}")
    instances = [read_instance(f) for f in files]
    outcomes = run_all(run, [(inst, args.time_limit, args.seed) for inst in instances], args.jobs)
    rows, gaps = [], []
    for inst, (value, spent, cpu) in zip(instances, outcomes, strict=True):
        gaps.append(gap_pct(value, bks[inst.name]))
        rows.append([inst.name, len(inst.xy) - 1, len(inst.duration), inst.vehicles,
                     bks[inst.name], value, gaps[-1], spent, cpu])  # fmt: skip
    print(f"\nPeriodic VRP (Cordeau), {args.time_limit:g} s each, seed {args.seed}")
    header = ["instance", "n", "days", "m", "BKS", "Rumbo", "gap %", "time s", "CPU s"]
    print_table(header, rows)
    found, mean, worst = summary(gaps)
    print(f"Rumbo     solved {found}/{len(gaps)}  mean gap {mean:.3f} %  worst {worst:.2f} %")
    print(f"end: {load_note()}")


if __name__ == "__main__":
    main()
