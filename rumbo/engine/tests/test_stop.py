import time

import pytest

from rumbo.engine.stop import FirstOf, MaxCpuTime, MaxIterations, MaxRuntime, NoImprovement


def test_max_iterations_allows_exactly_that_many_iterations():
    stop = MaxIterations(3)
    assert [stop(0.0) for _ in range(4)] == [False, False, False, True]


def test_no_improvement_counts_calls_since_the_last_better_cost():
    stop = NoImprovement(2)
    assert [stop(c) for c in (10, 9, 9, 8, 8, 8)] == [False, False, False, False, False, True]


def test_max_runtime_of_zero_stops_at_once():
    assert MaxRuntime(0)(1.0)


def test_max_cpu_time_counts_the_process_cpu_not_the_clock():
    stop = MaxCpuTime(0.05)
    assert not stop(1.0)
    time.sleep(0.1)  # sleeping uses no CPU
    assert not stop(1.0)
    while not stop(1.0):
        sum(range(1000))
    assert MaxCpuTime(0)(1.0)


def test_first_of_stops_when_any_criterion_does():
    stop = FirstOf(MaxIterations(1), NoImprovement(100))
    assert [stop(5.0), stop(4.0)] == [False, True]


@pytest.mark.parametrize("make", [MaxRuntime, MaxCpuTime, MaxIterations, NoImprovement])
def test_negative_limits_are_refused(make):
    with pytest.raises(ValueError):
        make(-1)
