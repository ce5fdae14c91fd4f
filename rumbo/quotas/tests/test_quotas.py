"""Quota plans: allocation down the tree adds up at every level and month after values set by
hand, publishing writes targets with history, managers share what they were given, and only
admins and managers (in their subtree) see plans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from rumbo.core.models import AuditEntry
from rumbo.quotas import selectors, services
from rumbo.quotas.models import QuotaLine, QuotaPlan
from rumbo.targets.models import Target
from rumbo.targets.services import save_distribution, spread_annual
from rumbo.territories.models import Assignment
from rumbo.territories.services import end_assignment
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language: English here (pages answer in Spanish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan(cast):
    """The admin's 2025 plan for the whole company by last year's sales (2024): Lima Norte 1
    sold 30 colas, Lima Sur 1 20 and Trujillo 10."""
    make_order(cast.accounts["alicia_1"], cast.catalog["cola"], "10", dt.date(2024, 3, 10))
    return services.create_plan(
        root=cast.territories["pe"], year=YEAR, measure="amount", total=Decimal("120000"),
        method="last_year", months_by="even", actor=cast.admin,
    )  # fmt: skip


def lines_by_name(plan):
    return {str(line.rep or line.territory.code): line for line in plan.lines.order_by("position")}


def assert_adds_up(plan):
    lines = list(plan.lines.order_by("position"))
    assert selectors.consistent(lines)
    assert lines[0].value == plan.total
    for line in lines:
        assert sum(line.month_values) == line.value
    return lines


def test_the_plan_shares_the_total_down_to_reps_by_last_years_sales(cast, plan):
    assert_adds_up(plan)
    by = lines_by_name(plan)
    # 2024: LN1 30 colas, LS1 20 (two accounts), TRU 10 → Lima 50/60, Norte 10/60.
    assert by["LIM"].value == Decimal("100000.00")
    assert by["NOR"].value == Decimal("20000.00")
    assert by["LN1"].value == Decimal("60000.00")
    assert by[str(cast.alicia)].value == by["LN1"].value
    assert by[str(cast.bruno)].parent_id == by["LS1"].pk
    assert by["LN1"].months == ["5000.00"] * 12
    assert all(line.value == line.proposal for line in by.values())


def test_values_set_by_hand_are_kept_and_siblings_share_the_rest(cast, plan):
    by = lines_by_name(plan)
    services.adjust(plan=plan, values={by["LN"].pk: Decimal("70000")}, actor=cast.admin)
    by = lines_by_name(plan)
    assert by["LN"].value == Decimal("70000.00") and by["LN"].manual == Decimal("70000.00")
    assert by["LS"].value == Decimal("30000.00")
    assert by["LIM"].value == Decimal("100000.00")  # its share of the company did not move
    assert by["LN"].difference == Decimal("10000.00")
    assert_adds_up(plan)
    # The company target changes: the hand-set value stays, everything else is shared again.
    services.change_settings(plan=plan, actor=cast.admin, total=Decimal("150000"))
    by = lines_by_name(plan)
    assert by["LN"].value == Decimal("70000.00")
    assert by["LIM"].value == Decimal("125000.00") and by["LS"].value == Decimal("55000.00")
    assert_adds_up(plan)


def test_a_change_that_cannot_hold_is_refused_whole(cast, plan):
    by = lines_by_name(plan)
    with pytest.raises(ValidationError, match="more than"):
        services.adjust(
            plan=plan, values={by["LN"].pk: Decimal("5"), by["LS"].pk: Decimal("200000")},
            actor=cast.admin,
        )  # fmt: skip
    assert not QuotaLine.objects.filter(plan=plan, manual__isnull=False).exists()
    with pytest.raises(ValidationError, match="negative"):
        services.adjust(plan=plan, values={by["LN"].pk: Decimal("-1")}, actor=cast.admin)
    with pytest.raises(ValidationError, match="not part of this plan"):
        services.adjust(plan=plan, values={by["PE"].pk: Decimal("1")}, actor=cast.admin)


def test_blend_weights_must_add_up_and_distributions_spread_every_level(cast, plan):
    with pytest.raises(ValidationError, match="100"):
        services.change_settings(
            plan=plan, actor=cast.admin, method="blend",
            weight_forecast=50, weight_potential=30, weight_last_year=30,
        )  # fmt: skip
    plan.refresh_from_db()
    assert plan.method == "last_year"
    shares = [Decimal(p) for p in ["5", "5", "10", "10", "5", "5", "15", "5", "5", "5", "5", "25"]]
    summer = save_distribution(organisation=cast.org, name="Verano", percentages=shares)
    services.change_settings(
        plan=plan, actor=cast.admin, months_by="distribution", distribution=summer
    )
    by = lines_by_name(plan)
    assert by["PE"].months[11] == "30000.00" and by["LN1"].months[11] == "15000.00"
    assert_adds_up(plan)


def test_publishing_writes_targets_and_keeps_the_versions(cast, plan):
    changed = services.publish(plan=plan, actor=cast.admin)
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.published_by) == ("published", 1, cast.admin)
    jan = dt.date(YEAR, 1, 1)
    targets = Target.objects.filter(month=jan, measure="amount", category__isnull=True)
    pe = targets.get(territory=cast.territories["pe"])
    assert pe.value == Decimal("10000.00")
    assert targets.get(rep=cast.alicia).value == Decimal("5000.00")
    year = Target.objects.filter(month__year=YEAR, territory=cast.territories["lima"])
    assert sum(t.value for t in year) == Decimal("100000.00")
    assert changed == 12 * (8 + 2)  # 8 territories of the company and 2 reps, 12 months each
    assert AuditEntry.objects.filter(object_type="targets.target").count() >= changed
    with pytest.raises(ValidationError, match="published"):
        services.adjust(plan=plan, values={}, actor=cast.admin)
    # A new version: same settings, published over the first, which is kept as replaced.
    second = services.new_version(plan=plan, actor=cast.admin)
    by = lines_by_name(second)
    services.adjust(plan=second, values={by["NOR"].pk: Decimal("30000")}, actor=cast.admin)
    services.publish(plan=second, actor=cast.admin)
    plan.refresh_from_db()
    second.refresh_from_db()
    assert (plan.status, second.status, second.version) == ("superseded", "published", 2)
    norte = Target.objects.filter(month__year=YEAR, territory=cast.territories["norte"])
    assert sum(t.value for t in norte) == Decimal("30000.00")
    # A rep reads their own targets, not another rep's.
    visible = Target.objects.visible_to(cast.alicia).filter(month=jan)
    assert visible.filter(rep=cast.alicia).exists()
    assert not visible.filter(rep=cast.bruno).exists()
    assert not visible.filter(territory=cast.territories["ls1"]).exists()
    # Bruno leaves: the next version has no quota for him, and publishing it clears his.
    end_assignment(assignment=Assignment.objects.get(user=cast.bruno))
    third = services.new_version(plan=second, actor=cast.admin)
    assert not third.lines.filter(rep=cast.bruno).exists()
    services.publish(plan=third, actor=cast.admin)
    assert not Target.objects.filter(rep=cast.bruno, month__year=YEAR).exists()
    assert Target.objects.filter(rep=cast.alicia, month__year=YEAR).count() == 12


def test_a_manager_shares_the_target_set_above_them(cast):
    lima = cast.territories["lima"]
    spread_annual(organisation=cast.org, year=YEAR, measure="amount", annual=Decimal("60000"),
                  territory=lima, actor=cast.admin)  # fmt: skip
    assert selectors.starting_figures(cast.maria, lima, YEAR, "amount").given == Decimal("60000")
    with pytest.raises(ValidationError, match="set above you"):
        services.create_plan(root=lima, year=YEAR, measure="amount", total=Decimal("70000"),
                             method="forecast", months_by="profile", actor=cast.maria)  # fmt: skip
    plan = services.create_plan(root=lima, year=YEAR, measure="amount", total=Decimal("60000"),
                                method="potential", months_by="even", actor=cast.maria)  # fmt: skip
    assert_adds_up(plan)
    services.publish(plan=plan, actor=cast.maria)
    lima_targets = Target.objects.filter(territory=lima, month__year=YEAR)
    assert {t.updated_by for t in lima_targets} == {cast.admin}  # Lima's own stays the admin's
    zones = [cast.territories["lima_norte"], cast.territories["lima_sur"]]
    below = Target.objects.filter(month__year=YEAR, territory__in=zones)
    assert sum(t.value for t in below) == Decimal("60000.00")
    with pytest.raises(PermissionDenied):
        services.create_plan(root=cast.territories["pe"], year=YEAR, measure="amount",
                             total=Decimal("1"), method="forecast", months_by="even",
                             actor=cast.maria)  # fmt: skip
    assert [t.code for t in selectors.roots_for(cast.maria)] == ["LIM", "LN", "LS"]
    assert selectors.roots_for(cast.alicia) == []


def test_units_are_whole(cast):
    with pytest.raises(ValidationError, match="whole"):
        services.create_plan(root=cast.territories["pe"], year=YEAR, measure="units",
                             total=Decimal("10.5"), method="last_year", months_by="even",
                             actor=cast.admin)  # fmt: skip
    plan = services.create_plan(root=cast.territories["pe"], year=YEAR, measure="units",
                                total=Decimal("1001"), method="last_year", months_by="profile",
                                actor=cast.admin)  # fmt: skip
    for line in assert_adds_up(plan):
        assert all(Decimal(v) % 1 == 0 for v in line.months)


# ----- pages ------------------------------------------------------------------------------


def test_only_admins_and_managers_in_scope_see_plans(client, cast, plan, password):
    for user in (cast.alicia, cast.vera, cast.maria, cast.otto):
        client.force_login(user)
        assert client.get(reverse("quotas:detail", args=[plan.pk])).status_code == 404
    for user in (cast.alicia, cast.vera):
        client.force_login(user)
        assert client.get(reverse("quotas:index")).status_code == 404
    client.force_login(cast.maria)
    page = client.get(reverse("quotas:index"))
    assert page.status_code == 200 and b"Lima" in page.content
    assert list(QuotaPlan.objects.visible_to(cast.maria)) == []


def test_the_plan_page_adjusts_and_refuses_bad_input(client, cast, plan):
    client.force_login(cast.admin)
    page = client.get(reverse("quotas:detail", args=[plan.pk]))
    assert page.status_code == 200
    by = lines_by_name(plan)
    assert f'name="line-{by["LN"].pk}"'.encode() in page.content
    assert f'name="line-{by[str(cast.alicia)].pk}"'.encode() not in page.content  # only child
    bad = client.post(reverse("quotas:detail", args=[plan.pk]), {f"line-{by['LN'].pk}": "abc"})
    assert bad.status_code == 400
    too_much = client.post(reverse("quotas:detail", args=[plan.pk]),
                           {f"line-{by['LN'].pk}": "1000000"})  # fmt: skip
    assert too_much.status_code == 400 and "No se cambió nada" in too_much.content.decode()
    assert not QuotaLine.objects.filter(plan=plan, manual__isnull=False).exists()
    done = client.post(reverse("quotas:detail", args=[plan.pk]), {f"line-{by['LN'].pk}": "70000"})
    assert done.status_code == 302
    assert lines_by_name(plan)["LS"].value == Decimal("30000.00")
    weights = client.post(reverse("quotas:settings", args=[plan.pk]), {
        "total": "120000", "method": "blend", "weight_forecast": "90", "weight_potential": "90",
        "weight_last_year": "0", "months_by": "even",
    })  # fmt: skip
    assert weights.status_code == 400 and "no 100" in weights.content.decode()
    export = client.get(reverse("quotas:export", args=[plan.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_a_new_plan_from_the_page(client, cast):
    client.force_login(cast.admin)
    form = {"root": cast.territories["pe"].pk, "year": YEAR, "measure": "amount",
            "total": "-5", "method": "blend", "weight_forecast": 50, "weight_potential": 25,
            "weight_last_year": 25, "months_by": "profile"}  # fmt: skip
    assert client.post(reverse("quotas:create"), form).status_code == 400
    assert not QuotaPlan.objects.exists()
    form["total"] = "90000"
    created = client.post(reverse("quotas:create"), form)
    assert created.status_code == 302
    plan = QuotaPlan.objects.get()
    assert_adds_up(plan)
    publish = client.post(reverse("quotas:publish", args=[plan.pk]))
    assert publish.status_code == 302
    assert Target.objects.filter(territory=cast.territories["pe"], month__year=YEAR).count() == 12
