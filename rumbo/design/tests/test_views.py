"""The territory design pages as each role sees them: managers within their subtree, nobody
else; bad input answered with a message and no change; the optimiser as a background job."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rumbo.core.models import Job
from rumbo.design.models import Placement, Scenario

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"design:{name}", args=args)


def test_maria_sees_the_scenario_map_figures_and_explanations(client, cast, scenario):
    client.force_login(cast.maria)
    page = client.get(url("scenario", scenario.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lima Norte 1" in body and "Lima Sur 1" in body and "Trujillo" not in body
    data = client.get(url("map_data", scenario.pk)).json()
    assert {t["name"] for t in data["territories"]} == {"Lima Norte 1", "Lima Sur 1"}
    assert len(data["accounts"]) == 4 and "Bodega Trujillana" not in str(data)
    districts = client.get(url("districts", scenario.pk)).json()
    assert {f["id"] for f in districts["features"]} == {"150135", "150143", "150140"}
    assert client.get(url("reps", scenario.pk)).status_code == 200
    compare = client.get(url("compare"), {"a": scenario.pk, "b": "today"})
    assert compare.status_code == 200 and "Lima Sur 1" in compare.content.decode()


@pytest.mark.parametrize("who", ["alicia", "bruno", "vera", "otto", "olga"])
def test_only_admins_and_managers_of_the_subtree_reach_a_scenario(client, cast, scenario, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("scenario", scenario.pk)).status_code == 404
    assert client.get(url("map_data", scenario.pk)).status_code == 404
    move = {"action": "move", "accounts": "C003", "territory": cast.territories["ln1"].pk}
    assert client.post(url("edit", scenario.pk), move).status_code == 404
    publish = {"effective_from": "2024-01-01"}
    assert client.post(url("publish", scenario.pk), publish).status_code == 404
    assert not scenario.placements.exclude(source=Placement.Source.TODAY).exists()
    if who != "otto":
        assert client.get(url("list")).status_code == 404


def test_a_manager_cannot_design_outside_her_subtree(client, cast):
    client.force_login(cast.maria)
    response = client.post(url("list"), {"name": "Norte", "root": cast.territories["norte"].pk})
    assert response.status_code == 200 and response.context["form"].errors["root"]
    assert not Scenario.objects.exists()
    norte = Scenario.objects.create(organisation=cast.org, root=cast.territories["norte"], name="N")
    assert client.get(url("scenario", norte.pk)).status_code == 404


def test_maria_moves_accounts_by_code_and_the_map_moves_them_by_id(client, cast, scenario):
    client.force_login(cast.maria)
    ln1 = cast.territories["ln1"].pk
    move = {"action": "move", "accounts": "c003, C004", "territory": ln1}
    assert client.post(url("edit", scenario.pk), move).status_code == 302
    codes = scenario.placements.filter(territory_id=ln1).values_list(
        "account__external_code", flat=True
    )
    assert set(codes) == {"C001", "C002", "C003", "C004"}
    answer = client.post(url("edit", scenario.pk),
                         {"action": "unlock", "accounts": str(cast.accounts["bruno_1"].pk)},
                         headers={"Accept": "application/json"})  # fmt: skip
    assert answer.json()["changed"] == 1


@pytest.mark.parametrize(
    "data, words",
    [
        ({"action": "move", "accounts": "C003, NOPE", "territory": "ln1"}, "NOPE"),
        ({"action": "move", "accounts": "C005", "territory": "ln1"}, "C005"),
        ({"action": "move", "accounts": "C003"}, "territory"),
        ({"action": "move", "accounts": "C003", "territory": "trujillo"}, "valid"),
        ({"action": "explode", "accounts": "C003"}, "explode"),
        ({"action": "lock", "accounts": "  "}, "account"),
    ],
)
def test_bad_edits_are_answered_with_a_message_and_change_nothing(
    client, cast, scenario, data, words
):
    client.force_login(cast.maria)
    cast_ids = {"ln1": cast.territories["ln1"].pk, "trujillo": cast.territories["trujillo"].pk}
    data = {k: cast_ids.get(v, v) for k, v in data.items()}
    answer = client.post(url("edit", scenario.pk), data, headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]
    page = client.post(url("edit", scenario.pk), data, follow=True)
    assert page.status_code == 200 and len(list(page.context["messages"])) == 1
    assert not scenario.placements.exclude(source=Placement.Source.TODAY).exists()
    assert not scenario.placements.filter(locked=True).exists()


def test_bad_rules_or_dates_are_refused_with_a_message(client, cast, scenario):
    client.force_login(cast.maria)
    rules = {"units": "accounts", "workload_tol": "-5", "min_kept_pct": "70",
             "kept_basis": "accounts", "time_limit_s": "9999"}  # fmt: skip
    page = client.post(url("optimise", scenario.pk), rules, follow=True)
    assert len(list(page.context["messages"])) >= 2
    assert not Job.objects.filter(kind="design").exists()
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    for date in ("", "mañana", future):
        page = client.post(url("publish", scenario.pk), {"effective_from": date}, follow=True)
        assert len(list(page.context["messages"])) == 1
    assert Scenario.objects.get(pk=scenario.pk).is_draft


def test_the_optimiser_runs_as_a_job_and_keeps_locked_accounts(
    client, cast, scenario, django_capture_on_commit_callbacks
):
    client.force_login(cast.maria)
    bruno_1 = cast.accounts["bruno_1"]
    client.post(url("edit", scenario.pk), {"action": "lock", "accounts": "C003"})
    rules = {"units": "accounts", "workload_tol": "50", "sales_tol": "", "potential_tol": "",
             "accounts_tol": "0", "min_kept_pct": "0", "kept_basis": "accounts",
             "time_limit_s": "1"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("optimise", scenario.pk), rules)
    job = Job.objects.get(kind="design")
    assert response.url == reverse("core:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    scenario.refresh_from_db()
    assert scenario.outcome["units"] == "accounts" and "feasible" in scenario.outcome
    assert scenario.placements.get(account=bruno_1).territory == cast.territories["ls1"]
    counts = [
        scenario.placements.filter(territory=cast.territories[t]).count() for t in ("ln1", "ls1")
    ]
    assert counts == [2, 2]  # accounts balanced exactly (± 0 %)
    assert scenario.accounts_tol == 0


def test_districts_as_units_keep_each_district_whole(
    client, cast, scenario, django_capture_on_commit_callbacks
):
    client.force_login(cast.admin)
    rules = {"units": "districts", "workload_tol": "", "sales_tol": "", "potential_tol": "",
             "accounts_tol": "", "min_kept_pct": "0", "kept_basis": "accounts",
             "time_limit_s": "1"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("optimise", scenario.pk), rules)
    assert Job.objects.get(kind="design").status == Job.Status.SUCCEEDED
    by_district: dict[str, set[int]] = {}
    for p in scenario.placements.select_related("account"):
        by_district.setdefault(p.account.distrito_id, set()).add(p.territory_id)
    assert all(len(t) == 1 for t in by_district.values())


def test_maria_publishes_and_rolls_back_through_the_pages(client, cast, scenario):
    client.force_login(cast.maria)
    client.post(url("edit", scenario.pk), {"action": "move", "accounts": "C003",
                                           "territory": cast.territories["ln1"].pk})  # fmt: skip
    today = timezone.localdate().isoformat()
    client.post(url("publish", scenario.pk), {"effective_from": today})
    bruno_1 = cast.accounts["bruno_1"]
    bruno_1.refresh_from_db()
    assert bruno_1.territory == cast.territories["ln1"]
    assert client.post(url("delete", scenario.pk), follow=True).status_code == 200
    assert Scenario.objects.filter(pk=scenario.pk).exists()  # a published scenario stays
    client.post(url("rollback", scenario.pk))
    bruno_1.refresh_from_db()
    assert bruno_1.territory == cast.territories["ls1"]
