"""Strategies, settings and account plans: who may change them, what is refused, and that a
refused change leaves everything as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rumbo.catalog.models import Product
from rumbo.core.models import AuditEntry
from rumbo.coverage.models import Frequency, Objective, Segment, SegmentStrategy
from rumbo.coverage.services import (
    save_account_plan,
    settings_for,
    strategies_for,
    update_settings,
    update_strategies,
)


def test_a_new_organisation_starts_with_a_strategy_for_every_segment(cast):
    strategies = strategies_for(cast.org)
    assert set(strategies) == {Segment.A, Segment.B, Segment.C, Segment.NEW}
    assert strategies[Segment.A].frequency == Frequency.WEEKLY
    assert SegmentStrategy.objects.filter(organisation=cast.outsider).count() == 0


def test_maria_changes_two_strategies_at_once_and_the_change_is_audited(cast):
    update_strategies(organisation=cast.org, actor=cast.maria, rows={
        "A": {"frequency": Frequency.TWICE_WEEKLY, "visit_min": 40},
        "C": {"objective": Objective.MAINTAIN, "frequency": Frequency.PHONE},
    })  # fmt: skip
    now = strategies_for(cast.org)
    assert (now["A"].frequency, now["A"].visit_min) == (Frequency.TWICE_WEEKLY, 40)
    assert (now["C"].objective, now["C"].frequency) == (Objective.MAINTAIN, Frequency.PHONE)
    entry = AuditEntry.objects.filter(object_type__icontains="segmentstrategy").first()
    assert entry is not None and entry.actor == cast.maria


def test_one_bad_row_changes_no_strategy(cast):
    with pytest.raises(ValidationError):
        update_strategies(organisation=cast.org, actor=cast.admin, rows={
            "A": {"visit_min": 45},
            "B": {"visit_min": 0},
        })  # fmt: skip
    assert strategies_for(cast.org)["A"].visit_min == 30


def test_reps_and_viewers_cannot_change_the_coverage_model(cast):
    for user in (cast.alicia, cast.vera):
        with pytest.raises(PermissionDenied):
            update_strategies(organisation=cast.org, actor=user, rows={"A": {"visit_min": 5}})
        with pytest.raises(PermissionDenied):
            save_account_plan(account=cast.accounts["alicia_1"], actor=user, visit_min=10)
    with pytest.raises(PermissionDenied):  # nor another organisation's admin
        update_settings(organisation=cast.org, actor=cast.otto, a_share_pct=Decimal(70))


def test_a_and_b_must_leave_some_revenue_for_c(cast):
    with pytest.raises(ValidationError):
        update_settings(organisation=cast.org, actor=cast.admin,
                        a_share_pct=Decimal(85), b_share_pct=Decimal(15))  # fmt: skip
    assert settings_for(cast.org).a_share_pct == Decimal(80)


def test_an_account_plan_overrides_and_lists_products_to_introduce(cast):
    chips = cast.catalog["chips"]
    plan = save_account_plan(
        account=cast.accounts["bruno_1"], actor=cast.maria, products=[chips],
        frequency=Frequency.WEEKLY, target_amount=Decimal("12000"), reason="Nuevo local",
    )  # fmt: skip
    assert plan.overrides and list(plan.introduce.all()) == [chips]
    plan = save_account_plan(account=cast.accounts["bruno_1"], actor=cast.maria, frequency="")
    assert not plan.overrides and list(plan.introduce.all()) == []


def test_a_product_of_another_organisation_is_refused(cast):
    foreign = Product.objects.filter(organisation=cast.outsider).first()
    assert foreign is not None
    with pytest.raises(ValidationError):
        save_account_plan(account=cast.accounts["bruno_1"], actor=cast.maria, products=[foreign])
