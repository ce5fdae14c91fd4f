import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.engine.routing import (
    Appointment,
    CallPlan,
    DropReason,
    Horizon,
    LunchBreak,
    Objective,
    PlanProblem,
    PlanResult,
    Shift,
    TravelMatrix,
    plan_visits,
    visit_patterns,
)
from rumbo.engine.stop import MaxIterations

EPS = 1e-6


def plane(*points: tuple[float, float]) -> TravelMatrix:
    """Places at (x, y) km, driven at 30 km/h; the base is the first."""
    xy = np.asarray(points, dtype=float)
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))
    return TravelMatrix(distance_km=km, duration_min=km * 2.0)


def plan_problem(
    travel: TravelMatrix,
    horizon: Horizon,
    plans: list[CallPlan],
    appointments: tuple[Appointment, ...] = (),
    **kw,
) -> PlanProblem:
    """Accounts at travel locations 1..n with the patterns of their call plans."""
    built = [
        visit_patterns(
            horizon, plan, appointment_days=frozenset(x.day for x in appointments if x.account == a)
        )
        for a, plan in enumerate(plans)
    ]
    kw.setdefault("service_min", np.full(len(plans), 30.0))
    kw.setdefault("shifts", tuple(Shift(480, 1080) for _ in range(horizon.days)))
    return PlanProblem(
        travel=travel,
        location=np.arange(1, len(plans) + 1),
        patterns=tuple(rows for rows, _ in built),
        pattern_penalty=tuple(penalty for _, penalty in built),
        weekday=horizon.weekday(),
        appointments=appointments,
        **kw,
    )


def plan(problem: PlanProblem, iterations: int = 600) -> PlanResult:
    return plan_visits(problem, MaxIterations(iterations), seed=1, polish_iterations=100)


def check_plan(problem: PlanProblem, result: PlanResult) -> None:
    """Each planned visit once, on an allowed day, inside a window and inside the shift; each
    account's visits on one allowed pattern, and every missing visit reported."""
    booked = {(a.account, a.day) for a in problem.appointments}
    dropped: dict[int, int] = {}
    for d in result.dropped:
        dropped[d.account] = dropped.get(d.account, 0) + 1
    for day, accounts in enumerate(result.day_accounts):
        assert len(set(accounts.tolist())) == len(accounts)
        for route in result.days[day].routes:
            assert problem.shifts[day].start_min - EPS <= route.depart_min
            assert route.return_min <= problem.shifts[day].end_min + EPS
            for stop in route.stops:
                account = int(accounts[stop.visit])
                windows = problem.windows(account, day)
                if (account, day) in booked:
                    assert stop.start_min == pytest.approx(
                        next(a.start_min for a in problem.appointments if a.account == account)
                    )
                else:
                    open_, close = windows[stop.window]
                    assert open_ - EPS <= stop.start_min <= stop.end_min <= close + EPS
    for account, rows in enumerate(problem.patterns):
        planned = {d for d, a, _ in result.visits() if a == account}
        appointments = {d for a, d in booked if a == account}
        row = int(result.pattern[account])
        days = set(np.flatnonzero(rows[row]).tolist()) if row >= 0 else set()
        assert planned <= days | appointments
        expected = len(days | appointments) if row >= 0 else 1 + len(appointments)
        assert len(planned) + dropped.get(account, 0) == expected, account


def test_two_clusters_over_two_days_get_a_day_each():
    # Two shops 10 km east, two 10 km west; a day holds only two 200-minute visits.
    travel = plane((0, 0), (10, 0), (10, 1), (-10, 0), (-10, 1))
    horizon = Horizon(weeks=1)
    problem = plan_problem(
        travel,
        horizon,
        [CallPlan(visits_per_4_weeks=1, allowed_weekdays=frozenset({0, 1}))] * 4,
        service_min=np.full(4, 200.0),
        objective=Objective.DISTANCE,
    )
    result = plan(problem)
    assert not result.dropped
    days = {frozenset(accounts.tolist()) for accounts in result.day_accounts if len(accounts)}
    assert days == {frozenset({0, 1}), frozenset({2, 3})}
    assert result.distance_km == pytest.approx(2 * (11 + np.sqrt(101)))
    check_plan(problem, result)


def test_weekly_accounts_share_their_weekday_with_their_neighbours():
    # Two weeks; A and B sit together in the north, C and D in the south; two a day fit.
    travel = plane((0, 0), (0, 10), (1, 10), (0, -10), (1, -10))
    horizon = Horizon(weeks=2)
    allowed = frozenset({0, 1})
    problem = plan_problem(
        travel,
        horizon,
        [CallPlan(visits_per_4_weeks=4, allowed_weekdays=allowed)] * 4,
        service_min=np.full(4, 200.0),
        objective=Objective.DISTANCE,
    )
    result = plan(problem)
    weekday = {a: int(np.flatnonzero(problem.patterns[a][result.pattern[a]])[0]) for a in range(4)}
    assert weekday[0] == weekday[1] != weekday[2] == weekday[3]
    assert result.distance_km == pytest.approx(4 * (11 + np.sqrt(101)))
    check_plan(problem, result)


def test_an_appointment_is_kept_at_its_time_and_the_rest_plan_around_it():
    travel = plane((0, 0), (2, 0), (3, 0), (4, 0))
    horizon = Horizon(weeks=1)
    plans = [CallPlan(visits_per_4_weeks=4)] * 3
    booked = Appointment(account=1, day=2, start_min=600)
    problem = plan_problem(travel, horizon, plans, appointments=(booked,))
    assert problem.patterns[1].sum(axis=1).tolist() == [1]  # the Wednesday of the rhythm
    result = plan(problem)
    stops = [(d, a, s) for d, a, s in result.visits() if a == 1]
    assert [(d, s.start_min) for d, _, s in stops] == [(2, 600.0)]
    check_plan(problem, result)


def test_when_the_week_is_too_full_the_lowest_priorities_are_dropped_and_reported():
    travel = plane((0, 0), (1, 0), (2, 0), (3, 0), (4, 0))
    horizon = Horizon(weeks=1)
    only_monday = CallPlan(visits_per_4_weeks=4, allowed_weekdays=frozenset({0}))
    never = CallPlan(visits_per_4_weeks=4, allowed_weekdays=frozenset({5}))
    problem = plan_problem(
        travel,
        horizon,
        [only_monday, only_monday, only_monday, never],
        service_min=np.full(4, 250.0),
        priority=np.array([2, 0, 1, 3]),
    )
    result = plan(problem)
    assert sorted(result.day_accounts[0].tolist()) == [0, 2]
    assert [(d.account, d.day, d.reason) for d in result.dropped] == [
        (1, 0, DropReason.DID_NOT_FIT),
        (3, -1, DropReason.NO_ALLOWED_DAY),
    ]
    check_plan(problem, result)


def test_a_shop_never_open_while_the_rep_works_is_reported_not_planned():
    travel = plane((0, 0), (1, 0))
    horizon = Horizon(weeks=1)
    opening = (np.array([[d, 1100.0, 1200.0] for d in range(5)]),)
    problem = plan_problem(travel, horizon, [CallPlan(visits_per_4_weeks=4)], opening=opening)
    result = plan(problem)
    assert [d.reason for d in result.dropped] == [DropReason.NO_FEASIBLE_WINDOW]
    check_plan(problem, result)


@st.composite
def plan_problems(draw):
    n = draw(st.integers(1, 6))
    horizon = Horizon(weeks=draw(st.integers(1, 2)))
    points = draw(st.lists(st.tuples(st.floats(-8, 8), st.floats(-8, 8)), min_size=n + 1,
                           max_size=n + 1))  # fmt: skip
    plans = [
        CallPlan(
            visits_per_4_weeks=draw(st.sampled_from([1, 2, 4, 8])),
            allowed_weekdays=frozenset(draw(st.sets(st.integers(0, 4), min_size=1))),
            preferred_weekdays=frozenset(draw(st.sets(st.integers(0, 4), max_size=2))),
        )
        for _ in range(n)
    ]
    opening = tuple(
        np.array([[d, o, o + draw(st.integers(60, 300))] for d in range(5) for o in (480, 900)])
        if draw(st.booleans()) else None
        for _ in range(n)
    )  # fmt: skip
    lunch = draw(st.sampled_from([None, (720, 900, 45)]))
    return plan_problem(
        plane(*points),
        horizon,
        plans,
        service_min=np.array(draw(st.lists(st.integers(10, 120), min_size=n, max_size=n)), float),
        opening=opening,
        priority=np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))),
        lunch=None if lunch is None else LunchBreak(*lunch),
        balance_weight=draw(st.sampled_from([0.0, 1.0])),
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_problems())
def test_every_plan_keeps_patterns_windows_and_shifts_and_reports_every_missing_visit(problem):
    result = plan(problem, 300)
    check_plan(problem, result)
