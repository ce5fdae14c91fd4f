"""The coverage pages as each role sees them: scoped lists, managers-only changes, bad input."""

import datetime as dt

import pytest
from django.urls import reverse

from rumbo.core.models import Job
from rumbo.coverage.adapters import compute_segments
from rumbo.coverage.models import AccountPlan, AccountSegment, Frequency
from rumbo.coverage.services import strategies_for

JULY = dt.date(2024, 7, 1)


@pytest.fixture
def segmented(cast):
    compute_segments(organisation=cast.org, month=JULY, months=2)
    compute_segments(organisation=cast.outsider, month=JULY, months=1)
    return cast


def page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def test_alicia_sees_only_her_accounts_in_the_segments_and_lists(client, segmented):
    cast = segmented
    response = page(client, cast.alicia, "coverage:overview")
    assert response.status_code == 200
    rows = response.context["segments"]
    assert sum(r.accounts for r in rows) == 2
    listed = {s.account_id for s in response.context["best"] + response.context["costly"]}
    assert listed <= {cast.accounts["alicia_1"].pk, cast.accounts["alicia_2"].pk}
    body = response.content.decode()
    assert "Bodega Don Lucho" not in body and "Tienda Ajena" not in body


def test_maria_sees_her_region_and_admin_the_whole_organisation(client, segmented):
    cast = segmented
    counts = {}
    for user in (cast.maria, cast.admin):
        response = page(client, user, "coverage:overview", month="2024-07")
        counts[user.username] = sum(r.accounts for r in response.context["segments"])
    assert counts == {"maria": 4, "admin": 5}


def test_viewers_see_segments_without_amounts(client, segmented):
    response = page(client, segmented.vera, "coverage:overview")
    assert response.status_code == 200
    assert all(r.revenue is None for r in response.context["segments"])
    assert "chart" not in response.context


def test_reps_cannot_reach_the_strategies_or_start_a_recomputation(client, segmented):
    client.force_login(segmented.alicia)
    assert client.get(reverse("coverage:strategies")).status_code == 404
    assert client.post(reverse("coverage:recompute")).status_code == 404
    assert client.post(reverse("coverage:account_plan", args=[segmented.accounts["alicia_1"].pk]),
                       {"frequency": "1w"}).status_code == 404  # fmt: skip
    assert not AccountPlan.objects.exists()


def strategy_form(**changes):
    data = {
        "settings-a_share_pct": "80", "settings-b_share_pct": "15", "settings-new_months": "6",
        "settings-speed_kmh": "20", "settings-detour": "1.3",
    }  # fmt: skip
    for segment, (objective, frequency, minutes) in {
        "A": ("retain", "1w", "30"), "B": ("grow", "2wk", "20"),
        "C": ("low_cost", "1m", "15"), "N": ("grow", "2wk", "20"),
    }.items():  # fmt: skip
        data |= {f"{segment}-objective": objective, f"{segment}-frequency": frequency,
                 f"{segment}-visit_min": minutes, f"{segment}-notes": ""}  # fmt: skip
    return data | changes


def test_maria_sets_segment_b_to_weekly_visits(client, segmented):
    client.force_login(segmented.maria)
    response = client.post(reverse("coverage:strategies"), strategy_form(**{"B-frequency": "1w"}))
    assert response.status_code == 302
    assert strategies_for(segmented.org)["B"].frequency == Frequency.WEEKLY


def test_a_bad_strategy_form_explains_and_saves_nothing(client, segmented):
    client.force_login(segmented.maria)
    bad = strategy_form(**{"B-frequency": "1w", "A-visit_min": "-5", "settings-b_share_pct": "30"})
    response = client.post(reverse("coverage:strategies"), bad)
    assert response.status_code == 200
    assert "A-visit_min" in response.content.decode()
    assert strategies_for(segmented.org)["B"].frequency == Frequency.FORTNIGHTLY
    too_much = strategy_form(**{"settings-a_share_pct": "90", "settings-b_share_pct": "10"})
    response = client.post(reverse("coverage:strategies"), too_much)
    assert response.status_code == 200 and response.context["settings_form"].non_field_errors()


def test_recomputing_runs_as_a_job_and_fills_the_current_months(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coverage:recompute"))
    job = Job.objects.get(kind="segments")
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.done == 13
    assert AccountSegment.objects.filter(organisation=cast.org).exists()


def test_maria_gives_bruno_1_its_own_plan_but_not_an_account_outside_her_region(client, segmented):
    cast = segmented
    client.force_login(cast.maria)
    url = reverse("coverage:account_plan", args=[cast.accounts["bruno_1"].pk])
    response = client.post(url, {"frequency": "2w", "visit_min": "45", "reason": "Cliente clave"})
    assert response.status_code == 302
    plan = AccountPlan.objects.get(account=cast.accounts["bruno_1"])
    assert (plan.frequency, plan.visit_min, plan.updated_by) == ("2w", 45, cast.maria)
    outside = reverse("coverage:account_plan", args=[cast.accounts["trujillo_1"].pk])
    assert client.post(outside, {"frequency": "2w"}).status_code == 404
    foreign = reverse("coverage:account_plan", args=[cast.accounts["other_1"].pk])
    assert client.get(foreign).status_code == 404


def test_a_plan_with_a_bad_duration_is_refused_with_a_message(client, segmented):
    client.force_login(segmented.maria)
    url = reverse("coverage:account_plan", args=[segmented.accounts["bruno_1"].pk])
    response = client.post(url, {"visit_min": "9999", "target_amount": "-3"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"visit_min", "target_amount"}
    assert not AccountPlan.objects.exists()


def test_the_account_page_shows_its_segment_and_plan(client, segmented):
    cast = segmented
    response = page(client, cast.alicia, "customers:account_detail", cast.accounts["alicia_1"].pk)
    body = response.content.decode()
    latest = AccountSegment.objects.get(account=cast.accounts["alicia_1"], month=JULY)
    assert "data-account-segment" in body and latest.get_segment_display() in body


def test_migration_and_workload_pages_count_what_alicia_covers(client, segmented):
    cast = segmented
    response = page(client, cast.alicia, "coverage:workload", month="2024-07")
    rows = response.context["rows"]
    assert [(r.territory, r.accounts) for r in rows] == [(cast.territories["ln1"], 2)]
    assert rows[0].capacity_week == 44.0
    response = page(client, cast.maria, "coverage:migration", month="2024-07", by="rep")
    assert response.status_code == 200
    names = [g.name for g in response.context["data"].groups]
    assert str(cast.alicia) in names and str(cast.bruno) in names
