"""The monthly review's rules on hand-made months."""

from rumbo.engine.review import (
    COACHING,
    KEEP_COVERAGE,
    LOW_COST,
    OVER_CAPACITY,
    UNDER_CAPACITY,
    AccountChange,
    RepMonth,
    Thresholds,
    recommend,
)


def month(rep_id=1, sales=100.0, target=100.0, planned=20.0, done=20, work=30.0, cap=40.0):
    return RepMonth(rep_id, 10 + rep_id, sales, target, planned, done, work, cap)


def kinds(found):
    return [(r.kind, r.rep_id, r.account_id) for r in found]


def test_a_rep_behind_on_sales_and_on_visits_needs_coaching_but_not_one_behind_on_one_only():
    found = recommend([
        month(1, sales=80, done=10),  # 80 % and 50 %: coaching
        month(2, sales=80, done=19),  # 95 % of visits: no
        month(3, sales=95, done=5),  # 95 % of target: no
        month(4, sales=80, target=None, done=5),  # no target: cannot judge
    ], [])  # fmt: skip
    assert kinds(found) == [(COACHING, 1, None)]
    assert found[0].figures == {"attainment": 0.8, "visit_rate": 0.5}


def test_workload_above_capacity_or_below_sixty_percent_asks_for_a_rebalance():
    found = recommend(
        [month(1, work=41), month(2, work=23.9), month(3, work=24), month(4, cap=None)], []
    )
    assert kinds(found) == [(OVER_CAPACITY, 1, None), (UNDER_CAPACITY, 2, None)]
    assert found[1].figures["use"] == 23.9 / 40


def test_an_account_that_fell_a_segment_keeps_its_coverage_and_a_costly_one_goes_to_phone():
    changes = [
        AccountChange(7, 1, "A", "B", "best"),  # fell: keep A's coverage
        AccountChange(8, 1, "C", "B", "costly"),  # rose, but costly: low cost
        AccountChange(9, 1, "N", "C", "light"),  # graduated from new: nothing
        AccountChange(10, 1, None, "C", "costly"),  # first month: costly
        AccountChange(11, 1, "B", "C", "costly"),  # fell and costly: the fall comes first
    ]
    assert kinds(recommend([], changes)) == [
        (KEEP_COVERAGE, 1, 7), (LOW_COST, 1, 8), (LOW_COST, 1, 10), (KEEP_COVERAGE, 1, 11)
    ]  # fmt: skip


def test_thresholds_are_the_managers_to_set():
    strict = Thresholds(attainment=1.0, visit_rate=1.0)
    assert kinds(recommend([month(1, sales=99, done=19)], [], strict)) == [(COACHING, 1, None)]
