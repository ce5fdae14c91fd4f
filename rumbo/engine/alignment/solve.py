"""Entry point: `solve(problem, stop, seed)` returns the best alignment found before `stop`."""

from __future__ import annotations

import math

from rumbo.engine.alignment.evaluate import AlignmentResult, evaluate
from rumbo.engine.alignment.graph_search import search_graph
from rumbo.engine.alignment.model import build_model
from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.scale_search import search_scale
from rumbo.engine.alignment.tracker import Tracker
from rumbo.engine.stop import StoppingCriterion


def solve(problem: AlignmentProblem, stop: StoppingCriterion, seed: int = 0) -> AlignmentResult:
    """Design territories for `problem` until `stop` says so.

    With an adjacency graph every territory stays connected (annealing over boundary moves);
    without one, the large-scale price/move/medoid search runs. The same seed and the same number
    of iterations give the same answer; a time limit gives the best found by then.
    """
    model = build_model(problem)
    tracker = Tracker(stop)
    if problem.adjacency is not None:
        search_graph(model, tracker, seed)
    else:
        search_scale(model, tracker, seed)
    assert tracker.best is not None
    return evaluate(problem, tracker.best, tracker.trace(), tracker.iterations)


def suggest_territories(total_workload: float, capacity: float, utilisation: float = 0.85) -> int:
    """How many territories (reps) the workload needs: total ÷ (capacity × target utilisation).

    Workload and capacity in the same unit (e.g. hours a week); utilisation below 1 leaves room
    for administration, training and growth.
    """
    if capacity <= 0 or not 0 < utilisation <= 1 or total_workload < 0:
        raise ValueError("capacity must be > 0, utilisation in (0, 1], workload >= 0")
    return max(1, math.ceil(total_workload / (capacity * utilisation) - 1e-9))
