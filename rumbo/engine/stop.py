"""Stopping criteria shared by the engine's searches, in the manner of PyVRP.

A criterion is called once per iteration with the best objective so far and answers whether to
stop. Searches take one as their `stop` argument; combine several with `FirstOf`.
"""

from __future__ import annotations

import math
import time
from typing import Protocol


class StoppingCriterion(Protocol):
    def __call__(self, best_cost: float) -> bool: ...


class MaxRuntime:
    """Stop once `seconds` of wall-clock time have passed since the first call."""

    clock = staticmethod(time.perf_counter)

    def __init__(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        self.seconds = seconds
        self._start: float | None = None

    def __call__(self, best_cost: float) -> bool:
        now = self.clock()
        if self._start is None:
            self._start = now
        return now - self._start >= self.seconds


class MaxCpuTime(MaxRuntime):
    """Stop once the process has used `seconds` of CPU time since the first call.

    On a shared machine a wall-clock limit gives a search whatever the other processes leave
    it; a CPU limit gives every run the same work, so comparisons stay fair under load.
    """

    clock = staticmethod(time.process_time)


class MaxIterations:
    """Stop after `iterations` calls."""

    def __init__(self, iterations: int) -> None:
        if iterations < 0:
            raise ValueError("iterations must be >= 0")
        self.iterations = iterations
        self._count = 0

    def __call__(self, best_cost: float) -> bool:
        self._count += 1
        return self._count > self.iterations


class NoImprovement:
    """Stop after `iterations` consecutive calls without a better best cost."""

    def __init__(self, iterations: int) -> None:
        if iterations < 0:
            raise ValueError("iterations must be >= 0")
        self.iterations = iterations
        self._best = math.inf
        self._since = 0

    def __call__(self, best_cost: float) -> bool:
        if best_cost < self._best:
            self._best = best_cost
            self._since = 0
        else:
            self._since += 1
        return self._since >= self.iterations


class FirstOf:
    """Stop as soon as any of the criteria says so (each is called every time)."""

    def __init__(self, *criteria: StoppingCriterion) -> None:
        if not criteria:
            raise ValueError("give at least one criterion")
        self.criteria = criteria

    def __call__(self, best_cost: float) -> bool:
        answers = [criterion(best_cost) for criterion in self.criteria]
        return any(answers)
