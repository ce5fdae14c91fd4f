"""Rumbo plans the visits that are due, from the coverage model."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from rumbo.coverage.adapters import compute_segments
from rumbo.coverage.models import Frequency
from rumbo.coverage.services import save_account_plan
from rumbo.interactions.autoplan import plan_visits_for_day
from rumbo.interactions.models import ContactPolicy, Interaction, PlannedActivity
from rumbo.team.models import Rep

MONDAY = dt.date(2024, 7, 1)


@pytest.fixture
def segmented(cast):
    compute_segments(organisation=cast.org, month=MONDAY, months=1)
    return cast


def visit(cast, key, day):
    Interaction.objects.create(
        organisation=cast.org, account=cast.accounts[key], kind="visit", team="sales",
        user=cast.alicia, occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    )  # fmt: skip


def test_never_visited_accounts_are_due_and_planned_once(segmented):
    cast = segmented
    planned = plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria)
    assert {p.account for p in planned} == {cast.accounts["alicia_1"], cast.accounts["alicia_2"]}
    assert {p.source for p in planned} == {PlannedActivity.Source.RUMBO}
    assert plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria) == []


def test_an_account_visited_within_its_interval_waits(segmented):
    cast = segmented
    save_account_plan(account=cast.accounts["alicia_1"], actor=cast.maria,
                      frequency=Frequency.MONTHLY)  # fmt: skip
    visit(cast, "alicia_1", MONDAY - dt.timedelta(days=10))  # monthly: due in 20 days
    visit(cast, "alicia_2", MONDAY - dt.timedelta(days=40))
    planned = plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.alicia)
    assert [p.account for p in planned] == [cast.accounts["alicia_2"]]


def test_phone_accounts_closed_days_and_a_full_day_are_respected(segmented):
    cast = segmented
    save_account_plan(account=cast.accounts["alicia_1"], actor=cast.maria,
                      frequency=Frequency.PHONE)  # fmt: skip
    sol = cast.accounts["alicia_2"]
    sol.opening_hours = {"tue": [["08:00", "18:00"]]}  # closed on Mondays
    sol.save(update_fields=["opening_hours"])
    assert plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria) == []
    profile = Rep.objects.get(user=cast.alicia)
    profile.work_end = dt.time(8, 10)  # a ten-minute day fits no visit
    profile.save(update_fields=["work_end"])
    assert plan_visits_for_day(rep=cast.alicia, day=MONDAY + dt.timedelta(days=1),
                               actor=cast.maria) == []  # fmt: skip


def test_the_contact_policy_keeps_a_recently_called_account_off_the_plan(segmented):
    cast = segmented
    ContactPolicy.objects.create(organisation=cast.org, min_days_between=7, max_per_month=None)
    Interaction.objects.create(
        organisation=cast.org, account=cast.accounts["alicia_1"], kind="call", team="service",
        occurred_at=timezone.make_aware(dt.datetime.combine(MONDAY - dt.timedelta(days=2),
                                                            dt.time(9))),
    )  # fmt: skip
    planned = plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria)
    assert [p.account for p in planned] == [cast.accounts["alicia_2"]]


def test_only_the_rep_and_their_managers_let_rumbo_plan_the_day(segmented, client):
    cast = segmented
    with pytest.raises(PermissionDenied):
        plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.bruno)
    client.force_login(cast.bruno)
    alicia = Rep.objects.get(user=cast.alicia)
    assert client.post(reverse("interactions:plan_auto", args=[alicia.pk]),
                       {"day": MONDAY.isoformat()}).status_code == 404  # fmt: skip
    assert not PlannedActivity.objects.exists()


def test_alicia_lets_rumbo_plan_tomorrow_from_her_day_page_but_not_yesterday(segmented, client):
    cast = segmented
    client.force_login(cast.alicia)
    url = reverse("interactions:plan_auto", args=[Rep.objects.get(user=cast.alicia).pk])
    today = timezone.localdate()
    client.post(url, {"day": (today - dt.timedelta(days=1)).isoformat()})
    assert not PlannedActivity.objects.exists()
    tomorrow = today + dt.timedelta(days=1)
    response = client.post(url, {"day": tomorrow.isoformat()})
    assert response.status_code == 302
    assert PlannedActivity.objects.filter(day=tomorrow, source="rumbo").count() == 2
    page = client.get(response.url)
    assert b"data-plan-auto" in page.content


def test_the_contact_policy_is_checked_for_all_due_accounts_at_once(segmented):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = segmented
    ContactPolicy.objects.create(organisation=cast.org, min_days_between=7, max_per_month=None)
    sol = cast.accounts["alicia_2"]
    sol.opening_hours = {"tue": [["08:00", "18:00"]]}  # closed on Mondays: one due account
    sol.save(update_fields=["opening_hours"])
    plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria)  # first-use rows made
    PlannedActivity.objects.all().delete()
    with CaptureQueriesContext(connection) as one:
        assert len(plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria)) == 1
    PlannedActivity.objects.all().delete()
    sol.opening_hours = {}
    sol.save(update_fields=["opening_hours"])
    with CaptureQueriesContext(connection) as two:
        assert len(plan_visits_for_day(rep=cast.alicia, day=MONDAY, actor=cast.maria)) == 2
    assert len(two) - len(one) == 1  # the second visit's INSERT, no second read of contacts
