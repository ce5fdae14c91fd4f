import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.engine.routing import (
    DayProblem,
    DayResult,
    DropReason,
    LunchBreak,
    Objective,
    Shift,
    TravelMatrix,
    optimise_from_here,
    solve_day,
)
from rumbo.engine.routing._day_model import build_day_model
from rumbo.engine.routing.day_solver import (
    MIN_PENALTY,
    TIME_WARP_START,
    WAIT_WEIGHT,
    solve_params,
)
from rumbo.engine.stop import MaxIterations

MIN_PER_KM = 2.0  # 30 km/h
EPS = 1e-6


def line(*xs: float) -> TravelMatrix:
    """Places on a straight road at kilometre marks `xs` (the base is the first)."""
    x = np.asarray(xs, dtype=float)
    km = np.abs(x[:, None] - x[None, :])
    return TravelMatrix(distance_km=km, duration_min=km * MIN_PER_KM)


def plane(*points: tuple[float, float]) -> TravelMatrix:
    """Places at (x, y) km on open ground (the base is the first)."""
    xy = np.asarray(points, dtype=float)
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))
    return TravelMatrix(distance_km=km, duration_min=km * MIN_PER_KM)


def day(travel: TravelMatrix, service: float = 10.0, **kwargs) -> DayProblem:
    n = travel.distance_km.shape[0] - 1
    kwargs.setdefault("shift", Shift(480, 1080))
    return DayProblem(
        travel=travel,
        location=np.arange(1, n + 1),
        service_min=np.full(n, service),
        **kwargs,
    )


def solve(problem: DayProblem, iterations: int = 300) -> DayResult:
    return solve_day(problem, MaxIterations(iterations), seed=1)


def check_schedule(problem: DayProblem, result: DayResult) -> None:
    """Every rule a day plan must keep, checked from the floats the caller sees."""
    dur = problem.travel.duration_min
    planned = result.planned()
    assert len(planned) == len(set(planned))
    assert set(planned).isdisjoint(d.visit for d in result.dropped)
    assert set(planned) | {d.visit for d in result.dropped} == set(range(problem.size))
    assert len(result.routes) <= problem.reps
    for route in result.routes:
        assert route.depart_min >= problem.shift.start_min - EPS
        assert route.return_min <= problem.shift.end_min + EPS
        if problem.shift.max_duration_min is not None:
            assert route.return_min - route.depart_min <= problem.shift.max_duration_min + EPS
        clock, place = route.depart_min, problem.start
        busy = [(s.start_min, s.end_min) for s in route.stops]
        if route.lunch is not None and route.lunch.after_stops == 0:
            clock, place = lunch_break(route.lunch, clock, place, dur)
        for k, stop in enumerate(route.stops, start=1):
            here = int(problem.location[stop.visit])
            assert stop.arrival_min >= clock + dur[place, here] - EPS
            assert stop.start_min >= stop.arrival_min - EPS
            open_, close = problem.windows_of(stop.visit)[stop.window]
            assert open_ - EPS <= stop.start_min and stop.end_min <= close + EPS
            assert stop.end_min == pytest.approx(stop.start_min + problem.service_min[stop.visit])
            clock, place = stop.end_min, here
            if route.lunch is not None and route.lunch.after_stops == k:
                clock, place = lunch_break(route.lunch, clock, place, dur)
        assert route.return_min >= clock + dur[place, problem.end] - EPS
        if route.lunch is not None:
            lunch = problem.lunch
            assert lunch is not None
            assert lunch.earliest_min - EPS <= route.lunch.start_min
            assert route.lunch.end_min <= lunch.latest_min + EPS
            assert all(e <= route.lunch.start_min + EPS or s >= route.lunch.end_min - EPS
                       for s, e in busy)  # fmt: skip


def lunch_break(lunch, clock: float, place: int, dur) -> tuple[float, int]:
    """The rep drives to where lunch is taken, eats, and is free again at its end."""
    assert lunch.start_min >= clock + dur[place, lunch.location] - EPS
    return lunch.end_min, lunch.location


def test_three_shops_on_a_square_block_are_visited_round_the_block():
    problem = day(plane((0, 0), (0, 1), (1, 0), (1, 1)))
    result = solve(problem)
    (route,) = result.routes
    assert [s.visit for s in route.stops] in ([0, 2, 1], [1, 2, 0])  # never across the block
    assert route.distance_km == pytest.approx(4.0)
    assert route.travel_min == pytest.approx(8.0)
    assert route.return_min - route.depart_min == pytest.approx(8.0 + 30.0)
    check_schedule(problem, result)


def test_a_shop_open_morning_and_evening_gets_the_evening_when_the_morning_is_out_of_reach():
    windows = (np.array([[480.0, 510.0], [900.0, 1080.0]]),)
    problem = day(line(0, 30), windows=windows)  # 60 minutes away
    result = solve(problem)
    (stop,) = result.routes[0].stops
    assert stop.window == 1
    assert stop.start_min >= 900
    check_schedule(problem, result)


def test_lunch_is_taken_in_its_window_where_the_rep_is_and_no_visit_overlaps_it():
    windows = tuple(np.array([[480.0, 1080.0]]) for _ in range(4))
    lunch = LunchBreak(earliest_min=720, latest_min=840, duration_min=60)
    problem = day(line(0, 5, 6, 7, 8), service=90.0, windows=windows, lunch=lunch)
    result = solve(problem, 600)
    (route,) = result.routes
    assert route.lunch is not None
    assert route.lunch.end_min - route.lunch.start_min == pytest.approx(60)
    assert len(route.stops) == 4
    check_schedule(problem, result)


def test_when_the_day_is_too_full_the_lowest_priorities_are_dropped_first():
    priority = np.array([3, 0, 4, 1, 2])
    problem = day(line(0, 1, 1.5, 2, 2.5, 3), service=150.0, priority=priority)
    result = solve(problem)
    assert sorted(result.planned()) == [0, 2, 4]  # priorities 3, 4 and 2
    assert [(d.visit, d.reason) for d in result.dropped] == [
        (1, DropReason.DID_NOT_FIT),
        (3, DropReason.DID_NOT_FIT),
    ]
    check_schedule(problem, result)


def test_a_shop_closed_while_the_rep_works_is_reported_as_having_no_feasible_window():
    windows = (np.array([[480.0, 600.0]]), np.array([[1100.0, 1200.0]]))
    problem = day(line(0, 1, 2), windows=windows)
    result = solve(problem)
    assert result.planned() == [0]
    assert [(d.visit, d.reason) for d in result.dropped] == [(1, DropReason.NO_FEASIBLE_WINDOW)]
    assert result.feasible


def test_a_required_visit_that_cannot_be_made_makes_the_day_infeasible_not_silent():
    windows = (np.array([[1100.0, 1200.0]]),)
    problem = day(line(0, 1), windows=windows, required=np.array([True]))
    result = solve(problem)
    assert not result.feasible
    assert result.dropped[0].reason is DropReason.NO_FEASIBLE_WINDOW


def test_the_working_day_limit_keeps_the_route_short():
    problem = day(line(0, 1, 2, 3), service=60.0, shift=Shift(480, 1080, 150))
    result = solve(problem)
    assert len(result.planned()) == 2
    check_schedule(problem, result)


def test_optimise_from_here_leaves_now_from_the_current_place_and_skips_visits_done():
    problem = day(line(0, 1, 2, 3, 10))  # location 4 (km 10) is where the rep stands
    problem = DayProblem(**{**problem.__dict__, "location": np.array([1, 2, 3, 4])})
    result = optimise_from_here(problem, MaxIterations(300), here=4, now_min=600, done=[0])
    (route,) = result.routes
    assert route.depart_min == pytest.approx(600)
    assert sorted(result.planned()) == [1, 2, 3]
    assert route.stops[0].visit == 3  # the shop where the rep stands comes first
    assert route.stops[0].arrival_min == pytest.approx(600)


def test_a_lunch_break_is_modelled_for_one_rep_only():
    with pytest.raises(ValueError):
        day(line(0, 1), reps=2, lunch=LunchBreak(720, 840, 45))


@st.composite
def day_problems(draw):
    n = draw(st.integers(1, 7))
    xs = draw(st.lists(st.floats(-15, 15), min_size=n + 1, max_size=n + 1))
    windows = []
    for _ in range(n):
        count = draw(st.integers(1, 2))
        opens = sorted(draw(st.lists(st.integers(420, 1140), min_size=count, max_size=count)))
        windows.append(np.array([[o, o + draw(st.integers(20, 200))] for o in opens], float))
    reps = draw(st.integers(1, 2))
    lunch = LunchBreak(720, 900, 45) if reps == 1 and draw(st.booleans()) else None
    limit = draw(st.one_of(st.none(), st.integers(120, 600)))
    return day(
        line(*xs),
        service=draw(st.integers(5, 60)),
        windows=tuple(windows),
        shift=Shift(480, 1080, limit),
        priority=np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))),
        reps=reps,
        lunch=lunch,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day_problems())
def test_every_day_plan_keeps_windows_shift_lunch_and_visits_each_shop_at_most_once(problem):
    result = solve(problem, 200)
    assert result.feasible
    check_schedule(problem, result)


def test_neighbours_weigh_waiting_in_the_units_of_the_cost_not_of_the_clock():
    # A km costs far fewer PyVRP units than a minute lasts: the waiting weight must shrink
    # with it, or the neighbour lists follow the opening hours instead of the map.
    travel = plane((0, 0), (3, 4), (6, 8), (-3, 4))
    by_km = build_day_model(day(travel, objective=Objective.DISTANCE)).data
    weight = solve_params(by_km).neighbourhood.weight_wait_time
    cost = np.asarray(by_km.distance_matrix(0), dtype=float).mean()
    clock = np.asarray(by_km.duration_matrix(0), dtype=float).mean()
    assert weight == pytest.approx(WAIT_WEIGHT * cost / clock)
    assert weight < WAIT_WEIGHT / 10
    by_time = build_day_model(day(travel)).data  # cost = minutes: PyVRP's weight as it is
    assert solve_params(by_time).neighbourhood.weight_wait_time == pytest.approx(WAIT_WEIGHT)


def test_penalties_start_and_floor_in_the_units_of_the_cost_not_of_the_clock():
    # A minute late must start at about what a mean leg costs per minute, not at PyVRP's
    # 50,000 per time unit, and may fall as low as PyVRP allows when a unit costs one.
    travel = plane((0, 0), (3, 4), (6, 8), (-3, 4))
    problem = day(travel, objective=Objective.DISTANCE, demand=np.full(3, 2), capacity=5)
    by_km = build_day_model(problem).data
    penalty = solve_params(by_km).penalty
    loads, time_warp, _ = penalty.midpoint_penalties(by_km)
    cost = np.asarray(by_km.distance_matrix(0), dtype=float).mean()
    clock = np.asarray(by_km.duration_matrix(0), dtype=float).mean()
    assert time_warp == pytest.approx(TIME_WARP_START * cost / clock)
    assert penalty.min_penalty == pytest.approx(MIN_PENALTY * cost / clock)
    assert loads == [pytest.approx(cost / 2)]  # every visit weighs 2
    assert penalty.min_penalty <= time_warp <= penalty.max_penalty
    by_time = build_day_model(day(travel)).data  # cost = minutes: PyVRP's floor as it is
    assert solve_params(by_time).penalty.min_penalty == pytest.approx(MIN_PENALTY)
