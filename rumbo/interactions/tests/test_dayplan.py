"""A rep's day plan: what is on it, the open-ticket warning before a visit, planning through
the contact guard from the page, doing and moving activities, and who may see and change it."""

import datetime as dt

import pytest
from django.urls import reverse

from rumbo.interactions.dayplan import day_plan
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.interactions.services import close_ticket

pytestmark = pytest.mark.django_db


def plan_url(activity, rep="alicia"):
    return reverse("interactions:day_plan", args=[activity.reps[rep].pk])


def test_the_day_holds_visits_and_appointments_in_time_order_with_the_ticket_warning(activity):
    plan = day_plan(activity.reps["alicia"], activity.today)
    kinds = [(i.time, "visit" if i.activity else "appointment") for i in plan.items]
    assert kinds == [(dt.time(9, 30), "visit"), (dt.time(15, 0), "appointment")]
    visit = plan.items[0]
    assert [t.subject for t in visit.tickets] == ["Faltaron dos cajas"]
    assert (plan.pending, plan.warnings, plan.minutes) == (2, 1, 30 + 45)


def test_a_closed_ticket_no_longer_warns(activity):
    close_ticket(ticket=activity.ticket, actor=activity.vera, resolution="Repuesto")
    plan = day_plan(activity.reps["alicia"], activity.today)
    assert plan.items[0].tickets == [] and plan.warnings == 0


def test_the_page_shows_the_warning_to_alicia_and_to_her_manager(activity, client):
    for who in ("alicia", "maria", "admin"):
        client.force_login(getattr(activity, who))
        html = client.get(plan_url(activity)).content.decode()
        assert "data-open-ticket" in html and "Faltaron dos cajas" in html, who
        assert "Bodega Nueva Esperanza" in html  # the appointment


def test_bruno_and_otto_get_404_on_alicias_day(activity, client):
    for who in ("bruno", "otto"):
        client.force_login(getattr(activity, who))
        assert client.get(plan_url(activity)).status_code == 404


def test_a_viewer_reads_the_plan_but_cannot_change_it(activity, client):
    client.force_login(activity.vera)
    page = client.get(plan_url(activity))
    assert page.status_code == 200 and page.context["may_plan"] is False
    add = reverse("interactions:plan_add", args=[activity.reps["alicia"].pk])
    assert (
        client.post(add, {"kind": "task", "day": activity.today, "title": "x"}).status_code == 404
    )
    done = reverse("interactions:activity_action", args=[activity.visit.pk])
    client.post(done, {"action": "done"})
    activity.visit.refresh_from_db()
    assert activity.visit.status == "planned"


def test_planning_from_the_page_warns_then_plans_on_the_suggested_day(activity, client):
    client.force_login(activity.maria)
    add = reverse("interactions:plan_add", args=[activity.reps["alicia"].pk])
    day = activity.today + dt.timedelta(days=2)
    data = {"kind": "call", "account": activity.accounts["alicia_2"].pk, "day": day,
            "duration_min": 15}  # fmt: skip
    assert client.post(add, data).status_code == 302  # Minimarket El Sol: nothing recent
    second = {**data, "day": day + dt.timedelta(days=1)}
    warned = client.post(add, second)
    html = warned.content.decode()
    assert warned.status_code == 200 and "data-guard-warning" in html
    suggested = warned.context["warning"].suggested
    assert suggested == day + dt.timedelta(days=7)
    assert f'data-suggested="{suggested:%Y-%m-%d}"' in html
    client.post(add, {**second, "day": [second["day"], suggested]})  # "Plan on …"
    days = sorted(
        PlannedActivity.objects.filter(account=data["account"]).values_list("day", flat=True)
    )
    assert days == [day, suggested]
    client.post(add, {**second, "confirm": ["False", "1"]})  # "Plan anyway"
    override = PlannedActivity.objects.get(account=data["account"], day=second["day"])
    assert override.guard_override


def test_doing_a_visit_records_it_on_the_timeline(activity, client):
    client.force_login(activity.alicia)
    action = reverse("interactions:activity_action", args=[activity.visit.pk])
    response = client.post(
        action, {"action": "done", "how": "visit", "outcome": "order", "notes": "Pidió 3 cajas"}
    )
    assert response.status_code == 302
    activity.visit.refresh_from_db()
    assert activity.visit.status == "done"
    recorded = Interaction.objects.get(pk=activity.visit.interaction_id)
    assert (recorded.kind, recorded.outcome, recorded.user, recorded.notes) == (
        "visit",
        "order",
        activity.alicia,
        "Pidió 3 cajas",
    )


def test_moving_a_visit_into_a_busy_week_warns(activity, client):
    client.force_login(activity.alicia)
    other = PlannedActivity.objects.create(
        organisation=activity.org, rep=activity.alicia, day=activity.today + dt.timedelta(days=10),
        kind="visit", account=activity.accounts["alicia_1"], source="self",
    )  # fmt: skip
    action = reverse("interactions:activity_action", args=[activity.visit.pk])
    target = activity.today + dt.timedelta(days=9)
    warned = client.post(action, {"action": "move", "day": target})
    assert warned.status_code == 200 and warned.context["warning"] is not None
    activity.visit.refresh_from_db()
    assert activity.visit.day == activity.today
    client.post(action, {"action": "move", "day": target, "confirm": ["", "1"]})
    activity.visit.refresh_from_db()
    assert activity.visit.day == target and activity.visit.guard_override
    assert other.pk != activity.visit.pk


def test_my_day_sends_a_rep_to_their_plan_and_an_admin_to_the_hub(activity, client):
    client.force_login(activity.alicia)
    assert client.get(reverse("interactions:my_day"))["Location"] == plan_url(activity)
    client.force_login(activity.admin)
    assert client.get(reverse("interactions:my_day"))["Location"] == reverse("interactions:home")
