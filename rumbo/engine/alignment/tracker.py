"""The best solution found so far, the objective trace, and the calls to the stopping criterion."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.stop import StoppingCriterion

# The cost handed to the stopping criterion while no balanced solution is known: larger than any
# real objective and still decreasing as the violation shrinks.
INFEASIBLE_COST = 1e15


class Tracker:
    """Keeps the best assignment (balanced first, then by objective) and asks `stop` each round."""

    def __init__(self, stop: StoppingCriterion) -> None:
        self._stop = stop
        self.iterations = 0
        self.stopped = False
        self.best: NDArray[np.int64] | None = None
        self.best_objective = np.inf
        self.best_violation = np.inf
        self._trace: list[tuple[float, float, float]] = []

    def better(self, objective: float, violation: float) -> bool:
        """Would a solution with these figures replace the best one?"""
        if violation <= 0.0:
            return self.best_violation > 0.0 or objective < self.best_objective - 1e-9
        return violation < self.best_violation - 1e-12

    def offer(self, assignment: NDArray[np.int64] | list[int], objective: float, violation: float):
        """Keep a copy of the assignment when it improves on the best; True if it did."""
        if not self.better(objective, violation):
            return False
        self.best = np.array(assignment, dtype=np.int64)
        self.best_objective, self.best_violation = objective, max(violation, 0.0)
        self._trace.append((float(self.iterations), objective, self.best_violation))
        return True

    def cost(self) -> float:
        """The figure given to the stopping criterion: the objective once balanced."""
        if self.best_violation <= 0.0:
            return float(self.best_objective)
        return INFEASIBLE_COST * (1.0 + float(self.best_violation))

    def tick(self) -> bool:
        """One search round: count it and ask the stopping criterion; True means stop."""
        if not self.stopped:
            self.iterations += 1
            self.stopped = bool(self._stop(self.cost()))
        return self.stopped

    def trace(self) -> NDArray[np.float64]:
        return np.array(self._trace, dtype=float).reshape(-1, 3)
