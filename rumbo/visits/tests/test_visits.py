"""Visit planning on the cast: Alicia's accounts become a calendar that meets each rhythm on
allowed days inside opening hours; moving or adding a visit routes the day again; nobody reads
or plans another rep's days."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.core.models import Job
from rumbo.coverage.adapters import compute_segments
from rumbo.coverage.models import AccountPlan, Frequency
from rumbo.interactions.models import PlannedActivity
from rumbo.visits import adapters, services
from rumbo.visits.models import CallPlan, Stop, VisitPlan

pytestmark = pytest.mark.django_db
MONDAY = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def weekly(cast):
    """Alicia's two accounts weekly (30 min), Rosita refuses Mondays and prefers Thursdays."""
    compute_segments(organisation=cast.org, month=MONDAY.replace(day=1), months=1)
    for key in ("alicia_1", "alicia_2"):
        AccountPlan.objects.update_or_create(
            account=cast.accounts[key], defaults={"frequency": Frequency.WEEKLY, "visit_min": 30}
        )
    rosita = cast.accounts["alicia_1"]
    rosita.opening_hours = {d: [["09:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    rosita.save(update_fields=["opening_hours"])
    CallPlan.objects.create(account=rosita, forbidden_weekdays=[0], preferred_weekdays=[3])
    return cast


def plan_for(cast, weeks=2):
    plan = services.start_plan(rep=cast.alicia, starts_on=MONDAY, weeks=weeks, actor=cast.alicia,
                               time_limit_s=1)  # fmt: skip
    return services.make_plan(plan, lambda done, total: None)


def visits_of(account):
    return PlannedActivity.objects.filter(account=account, kind="visit", status="planned")


def test_horizon_dates_skip_sundays_and_start_on_monday():
    horizon, dates = adapters.horizon_dates(dt.date(2026, 12, 9), 2, ["mon", "sat"])
    assert horizon.workdays == 6 and len(dates) == 12
    assert dates[0] == dt.date(2026, 12, 7) and dates[6] == dt.date(2026, 12, 14)
    assert all(d.weekday() < 6 for d in dates)


def test_opening_hours_become_minutes_per_weekday():
    rows = adapters.opening_rows({"tue": [["08:00", "13:00"], ["15:30", "20:00"]]})
    assert rows is not None and rows.tolist() == [[1, 480, 780], [1, 930, 1200]]
    assert adapters.opening_rows({}) is None


def test_the_plan_meets_each_rhythm_on_allowed_days_inside_opening_hours(weekly):
    cast = weekly
    plan = plan_for(cast)
    rosita, sol = cast.accounts["alicia_1"], cast.accounts["alicia_2"]
    assert plan.summary["visits"] == 4 and plan.dropped == []
    rosita_days = [v.day for v in visits_of(rosita)]
    assert len(rosita_days) == 2 and len({d.weekday() for d in rosita_days}) == 1
    assert rosita_days[0].weekday() == 3  # preferred Thursday, same weekday both weeks
    assert all(dt.time(9) <= v.start_time <= dt.time(11, 30) for v in visits_of(rosita))
    assert visits_of(sol).count() == 2
    stops = Stop.objects.filter(plan=plan)
    assert stops.count() == 4 and all(s.travel_min > 0 for s in stops if s.sequence == 1)


def test_a_visit_that_cannot_fit_is_reported_with_its_reason(weekly):
    cast = weekly
    rosita = cast.accounts["alicia_1"]
    rosita.opening_hours = {"tue": [["21:00", "22:00"]]}  # after the working day
    rosita.save(update_fields=["opening_hours"])
    CallPlan.objects.filter(account=rosita).update(forbidden_weekdays=[], preferred_weekdays=[])
    plan = plan_for(cast, weeks=1)
    assert [d["name"] for d in plan.dropped] == ["Bodega Rosita"]
    assert plan.dropped[0]["reason"] in ("no_feasible_window", "no_allowed_day")
    assert not visits_of(rosita).exists()


def test_replanning_replaces_rumbos_visits_and_keeps_fixed_appointments(weekly):
    cast = weekly
    sol = cast.accounts["alicia_2"]
    fixed_day = (
        MONDAY + dt.timedelta(days=9)
        if timezone.localdate() > MONDAY + dt.timedelta(days=2)
        else MONDAY + dt.timedelta(days=2)
    )
    fixed = PlannedActivity.objects.create(
        organisation=cast.org, rep=cast.alicia, day=fixed_day, kind="visit", account=sol,
        start_time=dt.time(10, 0), source="self", duration_min=30,
    )  # fmt: skip
    plan_for(cast)
    plan_for(cast)
    assert visits_of(cast.accounts["alicia_1"]).count() == 2
    fixed.refresh_from_db()
    assert fixed.start_time == dt.time(10, 0) and fixed.stop.plan is not None
    assert visits_of(sol).filter(day=fixed_day).count() == 1


def test_moving_a_visit_routes_both_days_again(weekly):
    cast = weekly
    plan_for(cast)
    visit = visits_of(cast.accounts["alicia_2"]).order_by("-day").first()
    target = visit.day + dt.timedelta(days=1)
    services.move_visit(activity=visit, day=target, actor=cast.alicia)
    visit.refresh_from_db()
    assert visit.day == target and visit.start_time is not None
    assert visit.stop.sequence >= 1


def test_an_added_visit_gets_a_time_in_the_day(weekly):
    cast = weekly
    day = timezone.localdate() + dt.timedelta(days=1)
    if day.weekday() == 6:
        day += dt.timedelta(days=1)
    services.add_visit(rep=cast.alicia, account=cast.accounts["alicia_2"], day=day,
                       actor=cast.alicia)  # fmt: skip
    added = visits_of(cast.accounts["alicia_2"]).get(day=day)
    assert added.start_time is not None and added.stop.sequence == 1


def test_optimise_my_day_starts_from_where_the_rep_stands(weekly):
    cast = weekly
    day = timezone.localdate()
    for key in ("alicia_1", "alicia_2"):
        PlannedActivity.objects.create(organisation=cast.org, rep=cast.alicia, day=day,
                                       kind="visit", account=cast.accounts[key], source="rumbo",
                                       duration_min=20)  # fmt: skip
    left_out = services.optimise_from_here(rep=cast.alicia, day=day, lat=-12.03, lon=-77.06,
                                           now=dt.time(8, 0), actor=cast.alicia)  # fmt: skip
    timed = visits_of(cast.accounts["alicia_2"]).get(day=day)
    assert timed.start_time is not None and timed.start_time >= dt.time(8, 0)
    assert all(isinstance(pk, int) for pk in left_out)


def url(name, *args):
    return reverse(f"visits:{name}", args=args)


def test_bruno_cannot_read_or_plan_alicias_days(client, weekly):
    cast = weekly
    plan_for(cast)
    visit = visits_of(cast.accounts["alicia_2"]).first()
    client.force_login(cast.bruno)
    today = timezone.localdate().isoformat()
    assert client.get(url("week", cast.alicia.pk)).status_code == 404
    assert client.get(url("day", cast.alicia.pk, today)).status_code == 404
    assert client.get(url("route", cast.alicia.pk, today)).status_code == 404
    ask = {"starts_on": today, "weeks": 1, "time_limit_s": 2}
    assert client.post(url("plan", cast.alicia.pk), ask).status_code == 404
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.post(url("move", visit.pk), {"day": tomorrow}).status_code == 404
    assert client.get(url("call_plan", cast.accounts["alicia_1"].pk)).status_code == 404
    assert VisitPlan.objects.count() == 1
    client.force_login(cast.maria)
    assert client.get(url("week", cast.alicia.pk)).status_code == 200
    client.force_login(cast.otto)
    assert client.get(url("week", cast.alicia.pk)).status_code == 404


def test_alicia_plans_her_weeks_as_a_job_and_sees_them(
    client, weekly, django_capture_on_commit_callbacks
):
    cast = weekly
    client.force_login(cast.alicia)
    with django_capture_on_commit_callbacks(execute=True):
        ask = {"starts_on": MONDAY.isoformat(), "weeks": 2, "time_limit_s": 2}
        response = client.post(url("plan", cast.alicia.pk), ask)
    job = Job.objects.get(kind="visit_plan")
    assert response.url == reverse("core:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    page = client.get(url("week", cast.alicia.pk), {"start": MONDAY.isoformat()})
    assert "Bodega Rosita" in page.content.decode()
    route = client.get(url("route", cast.alicia.pk, MONDAY.isoformat())).json()
    assert "base" in route


@pytest.mark.parametrize(
    "data",
    [{"starts_on": "mañana", "weeks": 2, "time_limit_s": 5},
     {"starts_on": "2020-01-06", "weeks": 2, "time_limit_s": 5},
     {"starts_on": MONDAY.isoformat(), "weeks": 9, "time_limit_s": 5}],
)  # fmt: skip
def test_bad_plan_requests_are_refused_with_a_message(client, weekly, data):
    client.force_login(weekly.alicia)
    page = client.post(url("plan", weekly.alicia.pk), data, follow=True)
    assert page.status_code == 200 and len(list(page.context["messages"])) == 1
    assert not VisitPlan.objects.exists()


def test_a_call_plan_refuses_a_day_both_preferred_and_refused(client, weekly):
    client.force_login(weekly.alicia)
    account = weekly.accounts["alicia_2"]
    page = client.post(url("call_plan", account.pk),
                       {"preferred": [1], "forbidden": [1], "priority": 1})  # fmt: skip
    assert page.status_code == 200 and page.context["form"].errors
    assert not CallPlan.objects.filter(account=account).exists()
    client.post(url("call_plan", account.pk), {"preferred": [1], "forbidden": [4], "priority": 2})
    saved = CallPlan.objects.get(account=account)
    assert (saved.preferred_weekdays, saved.forbidden_weekdays, saved.priority) == ([1], [4], 2)
