"""The contact guard on hand-built calendars with exact expected verdicts."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rumbo.engine.contact_guard import (
    GAP,
    MONTHLY,
    Contact,
    Policy,
    check,
    first_allowed,
    month_load,
)

D = dt.date
POLICY = Policy(min_days_between=7, max_per_month=3, min_per_month=1)


def test_a_day_far_from_every_contact_is_allowed_as_it_is():
    contacts = [Contact(D(2025, 3, 1), "Vera", "marketing", "email")]
    verdict = check(POLICY, contacts, D(2025, 3, 10))
    assert verdict.ok and verdict.suggested == D(2025, 3, 10)


def test_a_visit_two_days_after_an_email_breaks_the_gap_and_is_moved_a_week_after_it():
    email = Contact(D(2025, 3, 3), "Vera", "marketing", "email")
    verdict = check(POLICY, [email], D(2025, 3, 5))
    assert [(b.rule, b.contacts, b.limit) for b in verdict.breaches] == [(GAP, (email,), 7)]
    assert verdict.suggested == D(2025, 3, 10)


def test_planned_contacts_after_the_day_count_too():
    call = Contact(D(2025, 3, 12), "Alicia", "sales", "call", planned=True)
    verdict = check(POLICY, [call], D(2025, 3, 8))
    assert verdict.breaches[0].contacts == (call,)
    assert verdict.suggested == D(2025, 3, 19)


def test_a_full_month_pushes_the_suggestion_into_the_next_month():
    contacts = [Contact(D(2025, 3, d), "Alicia") for d in (1, 10, 20)]
    verdict = check(POLICY, contacts, D(2025, 3, 29))
    assert [b.rule for b in verdict.breaches] == [MONTHLY]
    assert verdict.breaches[0].limit == 3
    assert verdict.suggested == D(2025, 4, 1)


def test_both_rules_can_break_at_once_and_the_suggestion_satisfies_both():
    contacts = [Contact(D(2025, 3, d)) for d in (1, 10, 27)]
    verdict = check(POLICY, contacts, D(2025, 3, 29))
    assert {b.rule for b in verdict.breaches} == {GAP, MONTHLY}
    assert verdict.suggested == D(2025, 4, 3)  # seven days after 27 March, in a new month


def test_the_contact_being_moved_is_left_out_by_its_reference():
    mine = Contact(D(2025, 3, 5), "Alicia", ref="activity:9")
    assert check(POLICY, [mine], D(2025, 3, 6), ignore=["activity:9"]).ok
    assert not check(POLICY, [mine], D(2025, 3, 6)).ok


def test_a_suggestion_is_never_before_not_before():
    contacts = [Contact(D(2025, 3, 1))]
    verdict = check(POLICY, contacts, D(2025, 3, 2), not_before=D(2025, 3, 20))
    assert verdict.suggested == D(2025, 3, 20)


def test_without_rules_every_day_is_allowed():
    contacts = [Contact(D(2025, 3, d)) for d in range(1, 29)]
    assert check(Policy(), contacts, D(2025, 3, 15)).ok


def test_no_day_within_the_horizon_gives_no_suggestion():
    daily = Policy(min_days_between=400, max_per_month=None)
    assert first_allowed(daily, [Contact(D(2025, 3, 1))], D(2025, 3, 2), horizon_days=30) is None


def test_month_load_says_over_when_too_many_or_too_close_and_under_when_too_few():
    assert month_load(POLICY, [D(2025, 3, d) for d in (1, 9, 17, 25)]).over  # 4 > 3
    close = month_load(POLICY, [D(2025, 3, 1), D(2025, 3, 4)])
    assert close.over and close.closest_gap_days == 3 and not close.under
    assert month_load(POLICY, []).under
    fine = month_load(POLICY, [D(2025, 3, 2), D(2025, 3, 20)])
    assert not fine.over and not fine.under and fine.count == 2


def test_a_policy_that_contradicts_itself_is_refused():
    with pytest.raises(ValueError):
        Policy(max_per_month=1, min_per_month=2)
    with pytest.raises(ValueError):
        Policy(min_days_between=-1)


days = st.dates(min_value=D(2025, 1, 1), max_value=D(2025, 12, 31))


@given(st.lists(days, max_size=12), days, st.integers(0, 20), st.integers(1, 6))
def test_the_suggested_day_always_respects_the_policy(existing, day, gap, most):
    policy = Policy(min_days_between=gap, max_per_month=most)
    contacts = [Contact(d) for d in existing]
    verdict = check(policy, contacts, day)
    assert verdict.suggested is not None and verdict.suggested >= day
    assert check(policy, contacts, verdict.suggested).ok
    for earlier in range((verdict.suggested - day).days):
        assert not check(policy, contacts, day + dt.timedelta(days=earlier)).ok
