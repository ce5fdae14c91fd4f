"""VRPTW instances (Solomon, Gehring & Homberger) as Rumbo day problems, a checker, and a runner.

Benchmark units map onto Rumbo's: a distance unit is a "km", a time unit a "minute", travel time
equals distance. Solomon's rule "service starts inside [a, b]" is the visit lying inside
[a, b + service], which is how Rumbo states opening hours.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import vrplib
from numpy.typing import NDArray

from rumbo.engine.routing import DayProblem, DayResult, Objective, Shift, TravelMatrix
from rumbo.engine.routing.day_solver import solve_day
from rumbo.engine.stop import MaxCpuTime, MaxRuntime, StoppingCriterion

TOLERANCE = 1e-3
HIERARCHICAL_FIXED_COST = 10_000.0  # per route: fewer routes first, then distance


@dataclass(frozen=True)
class Instance:
    """One VRPTW instance in its own units (node 0 = depot)."""

    name: str
    xy: NDArray[np.float64]
    demand: NDArray[np.int64]
    ready: NDArray[np.float64]
    due: NDArray[np.float64]
    service: NDArray[np.float64]
    capacity: int
    fleet: int

    def matrix(self, convention: str) -> NDArray[np.float64]:
        """Euclidean distances, truncated to one decimal for the DIMACS convention."""
        diff = self.xy[:, None, :] - self.xy[None, :, :]
        exact = np.sqrt((diff**2).sum(axis=-1))
        return np.floor(exact * 10 + 1e-9) / 10 if convention == "dimacs" else exact


def read_instance(path: Path, fleet: int | None = None) -> Instance:
    """The instance in `path`; the fleet is the file's VEHICLES unless given."""
    raw = vrplib.read_instance(str(path), compute_edge_weights=False)
    n = int(raw["dimension"])
    service = np.broadcast_to(np.asarray(raw["service_time"], dtype=float), (n,)).copy()
    service[0] = 0.0
    windows = np.asarray(raw["time_window"], dtype=float)
    return Instance(
        name=str(raw["name"]),
        xy=np.asarray(raw["node_coord"], dtype=float),
        demand=np.asarray(raw["demand"], dtype=np.int64),
        ready=windows[:, 0],
        due=windows[:, 1],
        service=service,
        capacity=int(raw["capacity"]),
        fleet=int(raw["vehicles"]) if fleet is None else fleet,
    )


def day_problem(inst: Instance, convention: str, hierarchical: bool) -> DayProblem:
    """The instance as a Rumbo team day: every visit required, capacity and fleet limit kept."""
    dist = inst.matrix(convention)
    windows = np.stack([inst.ready[1:], inst.due[1:] + inst.service[1:]], axis=1)
    return DayProblem(
        travel=TravelMatrix(distance_km=dist, duration_min=dist),
        location=np.arange(1, len(inst.xy), dtype=np.int64),
        service_min=inst.service[1:],
        shift=Shift(start_min=float(inst.ready[0]), end_min=float(inst.due[0])),
        windows=tuple(windows[:, None, :]),
        required=np.ones(len(inst.xy) - 1, dtype=bool),
        demand=inst.demand[1:],
        capacity=inst.capacity,
        reps=inst.fleet,
        objective=Objective.DISTANCE,
        rep_fixed_cost=HIERARCHICAL_FIXED_COST if hierarchical else 0.0,
    )


def check_routes(inst: Instance, dist: NDArray[np.float64], routes: list[list[int]]) -> float:
    """Verify every customer once, capacity and windows (travel = distance); return distance."""
    seen = sorted(c for route in routes for c in route)
    if seen != list(range(1, len(inst.xy))):
        raise AssertionError(f"{inst.name}: customers missing or repeated")
    if len(routes) > inst.fleet:
        raise AssertionError(f"{inst.name}: {len(routes)} routes exceed the fleet")
    total = 0.0
    for route in routes:
        if inst.demand[route].sum() > inst.capacity:
            raise AssertionError(f"{inst.name}: capacity exceeded")
        clock, prev = float(inst.ready[0]), 0
        for node in [*route, 0]:
            clock = max(clock + inst.service[prev] + dist[prev, node], inst.ready[node])
            if clock > inst.due[node] + TOLERANCE:
                raise AssertionError(f"{inst.name}: late at node {node}")
            total += dist[prev, node]
            prev = node
    return total


@dataclass(frozen=True)
class Outcome:
    """One solver's answer on one instance: routes used, distance, wall and CPU seconds spent.

    On a shared machine the CPU seconds show how much of the wall-clock limit the solver got.
    """

    routes: int
    distance: float
    seconds: float
    cpu: float = 0.0

    @property
    def found(self) -> bool:
        return math.isfinite(self.distance)


NOT_FOUND = Outcome(routes=0, distance=math.inf, seconds=0.0)


def run_rumbo(
    inst: Instance,
    convention: str,
    hierarchical: bool,
    seconds: float,
    cpu_limit: bool = False,
    seed: int = 1,
) -> Outcome:
    """Rumbo's day solver (PyVRP underneath) on the instance, checked independently.

    `seconds` is wall-clock time, or CPU time of this process when `cpu_limit` is set.
    """
    stop: StoppingCriterion = MaxCpuTime(seconds) if cpu_limit else MaxRuntime(seconds)
    began, cpu = time.perf_counter(), time.process_time()
    result: DayResult = solve_day(day_problem(inst, convention, hierarchical), stop=stop, seed=seed)
    spent, cpu = time.perf_counter() - began, time.process_time() - cpu
    if not result.feasible:
        return Outcome(routes=0, distance=math.inf, seconds=spent, cpu=cpu)
    routes = [[stop.visit + 1 for stop in route.stops] for route in result.routes]
    return Outcome(len(routes), check_routes(inst, inst.matrix(convention), routes), spent, cpu)


def gap_pct(value: float, reference: float) -> float:
    return 100.0 * (value - reference) / reference


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"
