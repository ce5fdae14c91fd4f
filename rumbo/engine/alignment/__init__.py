"""Territory design: balanced, compact (and, on a graph, contiguous) territories.

`solve(problem, stop, seed)` runs the heuristic search; `evaluate(problem, assignment)` measures
any assignment (a manager's manual scenario too) the same way; `solve_exact` proves optima of
small instances with HiGHS; `kmedian_lower_bound` bounds compactness from below at any size.
"""

from rumbo.engine.alignment.bounds import Bound, kmedian_lower_bound
from rumbo.engine.alignment.evaluate import AlignmentResult, evaluate
from rumbo.engine.alignment.exact import ExactResult, solve_exact
from rumbo.engine.alignment.problem import AlignmentProblem
from rumbo.engine.alignment.solve import solve, suggest_territories

__all__ = [
    "AlignmentProblem",
    "AlignmentResult",
    "Bound",
    "ExactResult",
    "evaluate",
    "kmedian_lower_bound",
    "solve",
    "solve_exact",
    "suggest_territories",
]
