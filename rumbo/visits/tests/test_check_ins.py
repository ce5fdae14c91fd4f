"""Check-ins and check-outs: once per key (the phone retries), the distance to the account
flagged when far, the outcome on the account's timeline, nobody else's visits, and plan versus
actual counted from them."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.visits import selectors, services
from rumbo.visits.models import CheckIn

pytestmark = pytest.mark.django_db
ROSITA = (-12.03, -77.0575)  # the centre of her district, where the cast puts her


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def planned(cast, key, day, at=dt.time(9, 0)):
    return PlannedActivity.objects.create(
        organisation=cast.org, rep=cast.alicia, day=day, kind="visit",
        account=cast.accounts[key], start_time=at, duration_min=20, source="rumbo",
    )  # fmt: skip


def arrive(cast, key="alicia_1", at=None, where=ROSITA, activity=None, visit_key=None):
    return services.check_in(
        rep=cast.alicia, key=visit_key or uuid.uuid4(), account=cast.accounts[key],
        at=at or timezone.now(), lat=where[0], lon=where[1], accuracy_m=10, activity=activity,
    )  # fmt: skip


def test_a_check_in_sent_twice_is_kept_once_and_finds_the_planned_visit(cast):
    visit = planned(cast, "alicia_1", timezone.localdate())
    key = uuid.uuid4()
    first, created = arrive(cast, visit_key=key)
    again, created_again = arrive(cast, visit_key=key)
    assert (created, created_again) == (True, False) and first.pk == again.pk
    assert first.activity == visit and first.distance_m is not None and first.distance_m < 50
    assert not first.far


def test_a_check_in_far_from_the_account_is_flagged(cast):
    far, _created = arrive(cast, where=(-12.10, -77.0575))  # about 7.8 km south
    assert far.far and far.distance_m == pytest.approx(7784, rel=0.01)


def test_the_phone_clock_ahead_or_a_week_old_check_in_is_refused(cast):
    with pytest.raises(ValidationError, match="ahead"):
        arrive(cast, at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="week"):
        arrive(cast, at=timezone.now() - dt.timedelta(days=9))
    assert not CheckIn.objects.exists()


def test_check_out_records_the_outcome_on_the_timeline_and_closes_the_visit(cast):
    visit = planned(cast, "alicia_1", timezone.localdate())
    came, _created = arrive(cast, at=timezone.now() - dt.timedelta(minutes=25))
    with pytest.raises(ValidationError, match="why"):
        services.check_out(visit=came, rep=cast.alicia, at=timezone.now(), outcome="no_order")
    left = services.check_out(visit=came, rep=cast.alicia, at=timezone.now(), outcome="no_order",
                              reason="money", notes="Paga el viernes")  # fmt: skip
    visit.refresh_from_db()
    assert visit.status == PlannedActivity.Status.DONE
    record = Interaction.objects.get(pk=left.interaction.pk if left.interaction else 0)
    assert record.kind == "visit" and record.outcome == "no_order" and record.duration_min == 25
    assert record.occurred_at == came.checked_in_at
    same = services.check_out(visit=came, rep=cast.alicia, at=timezone.now(), outcome="closed")
    assert same.outcome == "no_order"  # sent again: nothing changes


def test_an_order_taken_during_the_visit_is_linked(cast):
    from rumbo.testing import make_order

    came, _created = arrive(cast)
    order = make_order(cast.accounts["alicia_1"], cast.catalog["cola"], "5", timezone.localdate())
    order.rep = cast.alicia
    order.save(update_fields=["rep"])
    left = services.check_out(visit=came, rep=cast.alicia, at=timezone.now(), outcome="order")
    assert left.order == order


def test_the_api_keeps_reps_apart_and_answers_bad_input_clearly(client, cast):
    url = reverse("api:check_in")
    key = str(uuid.uuid4())
    client.force_login(cast.bruno)
    body = {"key": key, "account": cast.accounts["alicia_1"].pk, "at": timezone.now().isoformat()}
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(cast.alicia)
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["key"] == key
    assert client.post(url, body, content_type="application/json").status_code == 200
    bad = client.post(url, {**body, "key": "nope"}, content_type="application/json")
    assert bad.status_code == 422
    out = reverse("api:check_out", args=[key])
    client.force_login(cast.bruno)
    leave = {"at": timezone.now().isoformat(), "outcome": "closed"}
    assert client.post(out, leave, content_type="application/json").status_code == 404
    client.force_login(cast.alicia)
    late = {"at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "outcome": "closed"}
    answer = client.post(out, late, content_type="application/json",
                         headers={"Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 400 and "before the arrival" in str(answer.json())
    assert CheckIn.objects.get().checked_out_at is None


def test_plan_versus_actual_counts_done_missed_unplanned_and_on_time(cast):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    planned(cast, "alicia_1", yesterday)  # missed
    now = timezone.localtime()
    on_time = planned(cast, "alicia_2", today, at=dt.time(now.hour, now.minute))
    came, _created = arrive(cast, "alicia_2", activity=on_time)
    services.check_out(visit=came, rep=cast.alicia, at=timezone.now(), outcome="closed")
    arrive(cast, "alicia_1")  # unplanned today (yesterday's visit is not today's)
    rows = selectors.plan_vs_actual(cast.maria, yesterday, today)
    alicia = next(r for r in rows if r.rep == cast.alicia)
    assert (alicia.planned, alicia.done, alicia.missed, alicia.unplanned) == (2, 1, 1, 1)
    assert alicia.on_time == alicia.timed == 1
    assert [r.rep for r in selectors.plan_vs_actual(cast.bruno, yesterday, today)] == [cast.bruno]


def test_only_admins_set_travel_and_lunch_and_lunch_must_fit(client, cast):
    url = reverse("visits:settings")
    client.force_login(cast.maria)
    assert client.get(url).status_code == 404
    client.force_login(cast.admin)
    bad = {"circuity": "1.3", "urban_kmh": "20", "rural_kmh": "50", "access_min": "2",
           "lunch_from": "13:00", "lunch_until": "13:30", "lunch_min": "45"}  # fmt: skip
    assert client.post(url, bad).context["form"].errors
    client.post(url, {**bad, "lunch_until": "15:00", "urban_kmh": "22"})
    from rumbo.visits.models import RoutingSettings

    assert RoutingSettings.objects.get(organisation=cast.org).urban_kmh == 22


def test_a_timely_visit_goes_into_the_day_of_the_reps_choice(client, cast):
    url = reverse("visits:add_timely", args=[cast.alicia.pk])
    day = timezone.localdate() + dt.timedelta(days=1)
    if day.weekday() == 6:
        day += dt.timedelta(days=1)
    client.force_login(cast.alicia)
    other = {"account": cast.accounts["bruno_1"].pk, "day": day.isoformat()}
    assert client.post(url, other).status_code == 404
    client.post(url, {"account": cast.accounts["alicia_1"].pk, "day": day.isoformat()}, follow=True)
    added = PlannedActivity.objects.get(account=cast.accounts["alicia_1"], day=day)
    assert added.start_time is not None
    past = {"account": cast.accounts["alicia_2"].pk, "day": "2020-01-01"}
    page = client.post(url, past, follow=True)
    assert len(list(page.context["messages"])) == 1
    assert not PlannedActivity.objects.filter(account=cast.accounts["alicia_2"]).exists()
