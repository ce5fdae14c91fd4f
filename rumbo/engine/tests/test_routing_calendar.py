import numpy as np
import pytest

from rumbo.engine.routing import CallPlan, Horizon, visit_patterns

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(6)


def days_of(rows: np.ndarray) -> list[list[int]]:
    return [np.flatnonzero(row).tolist() for row in rows]


def test_a_weekly_account_is_seen_on_the_same_weekday_every_week():
    rows, penalty = visit_patterns(Horizon(weeks=4), CallPlan(visits_per_4_weeks=4))
    assert days_of(rows) == [[d, d + 5, d + 10, d + 15] for d in range(5)]
    assert penalty.tolist() == [0.0] * 5


def test_twice_a_week_means_the_same_two_weekdays_at_least_two_days_apart():
    rows, _ = visit_patterns(Horizon(weeks=2), CallPlan(visits_per_4_weeks=8))
    pairs = [tuple(d[:2]) for d in days_of(rows)]
    assert pairs == [(0, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 4)]
    assert all(d[2:] == [d[0] + 5, d[1] + 5] for d in days_of(rows))


def test_every_two_weeks_is_one_weekday_in_weeks_one_and_three_or_two_and_four():
    rows, _ = visit_patterns(Horizon(weeks=4), CallPlan(visits_per_4_weeks=2))
    weeks = {tuple(d // 5 for d in days) for days in days_of(rows)}
    assert weeks == {(0, 2), (1, 3)}
    assert all(days[1] - days[0] == 10 for days in days_of(rows))
    assert len(rows) == 10


def test_a_monthly_account_gets_one_visit_on_any_working_day_of_a_six_day_month():
    rows, _ = visit_patterns(Horizon(weeks=4, workdays=6), CallPlan(visits_per_4_weeks=1))
    assert sorted(d for (d,) in days_of(rows)) == list(range(24))


def test_the_first_visit_week_bounds_slow_rhythms():
    plan = CallPlan(visits_per_4_weeks=1, first_week=(2, 3))
    rows, _ = visit_patterns(Horizon(weeks=4), plan)
    assert sorted(d for (d,) in days_of(rows)) == list(range(10, 20))


def test_forbidden_weekdays_and_closed_weekdays_are_never_used():
    plan = CallPlan(visits_per_4_weeks=4, allowed_weekdays=frozenset({MONDAY, TUESDAY, FRIDAY}))
    rows, _ = visit_patterns(Horizon(weeks=1), plan, open_weekdays=frozenset({TUESDAY, FRIDAY}))
    assert days_of(rows) == [[TUESDAY], [FRIDAY]]


def test_an_account_open_on_no_allowed_day_has_no_pattern():
    plan = CallPlan(visits_per_4_weeks=4, allowed_weekdays=frozenset({SATURDAY}))
    rows, _ = visit_patterns(Horizon(weeks=1, workdays=5), plan)
    assert rows.shape == (0, 5)


def test_an_appointment_keeps_only_the_patterns_that_hold_it():
    rows, _ = visit_patterns(
        Horizon(weeks=2), CallPlan(visits_per_4_weeks=4), appointment_days=frozenset({8})
    )
    assert days_of(rows) == [[3, 8]]


def test_an_appointment_off_the_rhythm_leaves_the_patterns_as_they_are():
    rows, _ = visit_patterns(
        Horizon(weeks=2), CallPlan(visits_per_4_weeks=8), appointment_days=frozenset({0, 1})
    )
    assert len(rows) == 6


def test_visits_off_the_preferred_weekdays_cost_their_share_of_the_preference_cost():
    plan = CallPlan(
        visits_per_4_weeks=8, preferred_weekdays=frozenset({MONDAY}), preference_cost=10
    )
    rows, penalty = visit_patterns(Horizon(weeks=1), plan)
    by_days = dict(zip(map(tuple, days_of(rows)), penalty.tolist(), strict=True))
    assert by_days[(MONDAY, WEDNESDAY)] == 5.0
    assert by_days[(TUESDAY, THURSDAY)] == 10.0


@pytest.mark.parametrize("frequency", [0, 5, 6, 10])
def test_frequencies_without_a_regular_rhythm_are_refused(frequency):
    with pytest.raises(ValueError):
        CallPlan(visits_per_4_weeks=frequency)


@pytest.mark.parametrize("weeks, workdays", [(0, 5), (5, 5), (2, 7)])
def test_horizons_are_one_to_four_weeks_of_five_or_six_days(weeks, workdays):
    with pytest.raises(ValueError):
        Horizon(weeks=weeks, workdays=workdays)
