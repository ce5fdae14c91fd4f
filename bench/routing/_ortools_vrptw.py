"""The peer: Google OR-Tools routing (parallel cheapest insertion + guided local search)."""

from __future__ import annotations

import math
import time

import numpy as np
from _vrptw import HIERARCHICAL_FIXED_COST, NOT_FOUND, Instance, Outcome, check_routes
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

SCALE = 1000  # integer units per benchmark unit; times round up and deadlines down


def _up(values: np.ndarray) -> np.ndarray:
    return np.ceil(values * SCALE - 1e-6).astype(np.int64)


def _down(values: np.ndarray) -> np.ndarray:
    return np.floor(values * SCALE + 1e-6).astype(np.int64)


def run_ortools(inst: Instance, convention: str, hierarchical: bool, seconds: float) -> Outcome:
    """Solve with OR-Tools under the same time limit and check the answer like Rumbo's."""
    began, cpu = time.perf_counter(), time.process_time()
    dist = inst.matrix(convention)
    n = len(inst.xy)
    manager = pywrapcp.RoutingIndexManager(n, inst.fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    arc = np.rint(dist * SCALE).astype(np.int64).tolist()
    travel = (_up(dist) + _up(inst.service)[:, None]).tolist()

    def arc_cost(i: int, j: int) -> int:
        return int(arc[manager.IndexToNode(i)][manager.IndexToNode(j)])

    def transit(i: int, j: int) -> int:
        return int(travel[manager.IndexToNode(i)][manager.IndexToNode(j)])

    def demand(i: int) -> int:
        return int(inst.demand[manager.IndexToNode(i)])

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(arc_cost))
    horizon = int(_down(inst.due[:1])[0])
    routing.AddDimension(routing.RegisterTransitCallback(transit), horizon, horizon, False, "Time")
    clock = routing.GetDimensionOrDie("Time")
    ready, due = _up(inst.ready), _down(inst.due)
    for node in range(1, n):
        clock.CumulVar(manager.NodeToIndex(node)).SetRange(int(ready[node]), int(due[node]))
    for vehicle in range(inst.fleet):
        for index in (routing.Start(vehicle), routing.End(vehicle)):
            clock.CumulVar(index).SetRange(int(ready[0]), int(due[0]))
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand), 0, [inst.capacity] * inst.fleet, True, "Load"
    )
    if hierarchical:
        routing.SetFixedCostOfAllVehicles(int(HIERARCHICAL_FIXED_COST * SCALE))
    params = pywrapcp.DefaultRoutingSearchParameters()
    strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.first_solution_strategy = strategy
    gls = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.local_search_metaheuristic = gls
    params.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    solution = routing.SolveWithParameters(params)
    spent, cpu = time.perf_counter() - began, time.process_time() - cpu
    if solution is None:
        return Outcome(NOT_FOUND.routes, math.inf, spent, cpu)
    routes = [_route(routing, manager, solution, v) for v in range(inst.fleet)]
    routes = [route for route in routes if route]
    return Outcome(len(routes), check_routes(inst, dist, routes), spent, cpu)


def _route(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    solution: pywrapcp.Assignment,
    vehicle: int,
) -> list[int]:
    """Customers of one vehicle's route in visiting order."""
    index, nodes = routing.Start(vehicle), []
    index = solution.Value(routing.NextVar(index))
    while not routing.IsEnd(index):
        nodes.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return nodes
