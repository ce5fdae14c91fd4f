"""Visit routing: travel times, a rep's daily route (PyVRP), and the multi-week visit planner.

- `solve_day(DayProblem, stop, seed) -> DayResult`: one day, opening windows, lunch, priorities.
- `optimise_from_here(...)`: the rest of a day from the rep's position, now.
- `visit_patterns(Horizon, CallPlan, ...)`: allowed day sets of an account's rhythm.
- `plan_visits(PlanProblem, stop, seed) -> PlanResult`: patterns for all accounts, every day routed.
"""

from rumbo.engine.routing.calendar import CallPlan, Horizon, visit_patterns
from rumbo.engine.routing.day import (
    DayProblem,
    DayResult,
    Dropped,
    DropReason,
    Lunch,
    LunchBreak,
    Objective,
    RoutePlan,
    Shift,
    Stop,
)
from rumbo.engine.routing.day_solver import solve_day
from rumbo.engine.routing.plan import Appointment, DroppedVisit, PlanProblem, PlanResult
from rumbo.engine.routing.planner import plan_visits
from rumbo.engine.routing.replan import optimise_from_here, rest_of_day
from rumbo.engine.routing.travel import StraightLineTravelModel, TravelMatrix, TravelTimeModel

__all__ = [
    "Appointment",
    "CallPlan",
    "DayProblem",
    "DayResult",
    "DropReason",
    "Dropped",
    "DroppedVisit",
    "Horizon",
    "Lunch",
    "LunchBreak",
    "Objective",
    "PlanProblem",
    "PlanResult",
    "RoutePlan",
    "Shift",
    "Stop",
    "StraightLineTravelModel",
    "TravelMatrix",
    "TravelTimeModel",
    "optimise_from_here",
    "plan_visits",
    "rest_of_day",
    "solve_day",
    "visit_patterns",
]
