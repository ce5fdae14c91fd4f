"""Scenario writes: a copy of today's alignment, hand moves and locks, the optimiser's answer,
publication with an effective date into the append-only history, and rollback."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from rumbo.customers.models import Account, Alignment
from rumbo.customers.services import move_account
from rumbo.design import services
from rumbo.design.models import Placement, Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English."""
    with translation.override("en"):
        yield


def placed(scenario, cast, key):
    return scenario.placements.get(account=cast.accounts[key])


def test_a_scenario_starts_as_todays_alignment_of_the_part_of_the_tree(cast, scenario):
    rows = {p.account_id: (p.base_territory_id, p.territory_id) for p in scenario.placements.all()}
    lima = ["alicia_1", "alicia_2", "bruno_1", "bruno_2"]
    assert set(rows) == {cast.accounts[k].pk for k in lima}
    assert all(base == now for base, now in rows.values())
    assert placed(scenario, cast, "bruno_1").territory == cast.territories["ls1"]


def test_a_territory_without_two_territories_below_cannot_be_redesigned(cast):
    with pytest.raises(ValidationError, match="fewer than two"):
        services.create_scenario(root=cast.territories["ln1"], name="x", actor=cast.maria)


def test_a_hand_move_locks_the_account_where_the_manager_put_it(cast, scenario):
    ids = [cast.accounts["bruno_1"].pk]
    moved = services.move_accounts(
        scenario=scenario, account_ids=ids, territory=cast.territories["ln1"], actor=cast.maria
    )
    p = placed(scenario, cast, "bruno_1")
    assert moved == 1 and p.territory == cast.territories["ln1"]
    assert p.locked and p.source == Placement.Source.MANUAL
    assert Account.objects.get(pk=ids[0]).territory == cast.territories["ls1"]  # not yet


def test_moves_stay_inside_the_scenario(cast, scenario):
    t, a = cast.territories, cast.accounts
    with pytest.raises(ValidationError):
        services.move_accounts(
            scenario=scenario, account_ids=[a["bruno_1"].pk], territory=t["trujillo"],
            actor=cast.maria,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.move_accounts(
            scenario=scenario, account_ids=[a["trujillo_1"].pk], territory=t["ln1"],
            actor=cast.maria,
        )  # fmt: skip
    assert not scenario.placements.exclude(source=Placement.Source.TODAY).exists()


def test_the_optimiser_never_moves_a_locked_account(cast, scenario):
    services.lock_accounts(scenario=scenario, account_ids=[cast.accounts["alicia_1"].pk],
                           locked=True, actor=cast.maria)  # fmt: skip
    p1, p2 = placed(scenario, cast, "alicia_1"), placed(scenario, cast, "alicia_2")
    ls1 = cast.territories["ls1"].pk
    services.apply_optimisation(scenario=scenario, moves={p1.pk: ls1, p2.pk: ls1},
                                outcome={"feasible": True})  # fmt: skip
    assert placed(scenario, cast, "alicia_1").territory == cast.territories["ln1"]
    assert placed(scenario, cast, "alicia_2").territory_id == ls1
    assert placed(scenario, cast, "alicia_2").source == Placement.Source.OPTIMISER


def test_publishing_moves_the_accounts_from_the_effective_date_and_keeps_the_history(
    cast, scenario
):
    account = cast.accounts["bruno_1"]
    services.move_accounts(scenario=scenario, account_ids=[account.pk],
                           territory=cast.territories["ln1"], actor=cast.maria)  # fmt: skip
    day = timezone.localdate() - dt.timedelta(days=3)
    moved = services.publish_scenario(scenario=scenario, effective_from=day, actor=cast.maria)
    account.refresh_from_db()
    scenario.refresh_from_db()
    assert moved == 1 and account.territory == cast.territories["ln1"]
    history = list(Alignment.objects.filter(account=account).order_by("valid_from"))
    assert [(h.territory.code, h.valid_to) for h in history] == [("LS1", day), ("LN1", None)]
    assert history[-1].valid_from == day and history[-1].created_by == cast.maria
    assert scenario.status == Scenario.Status.PUBLISHED and scenario.effective_from == day
    assert placed(scenario, cast, "bruno_1").published_from == cast.territories["ls1"]
    with pytest.raises(ValidationError, match="published"):
        services.move_accounts(scenario=scenario, account_ids=[account.pk],
                               territory=cast.territories["ls1"], actor=cast.maria)  # fmt: skip


def test_a_publication_cannot_start_in_the_future_or_before_an_accounts_last_move(cast, scenario):
    account = cast.accounts["bruno_1"]
    services.move_accounts(scenario=scenario, account_ids=[account.pk],
                           territory=cast.territories["ln1"], actor=cast.maria)  # fmt: skip
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="future"):
        services.publish_scenario(scenario=scenario, effective_from=today + dt.timedelta(days=1),
                                  actor=cast.maria)  # fmt: skip
    last = Alignment.objects.get(account=account, valid_to__isnull=True).valid_from
    with pytest.raises(ValidationError, match="must start later"):
        services.publish_scenario(scenario=scenario, effective_from=last, actor=cast.maria)
    account.refresh_from_db()
    assert account.territory == cast.territories["ls1"]
    assert Scenario.objects.get(pk=scenario.pk).is_draft


def test_rollback_returns_the_accounts_that_did_not_move_again(cast, scenario):
    ids = [cast.accounts["bruno_1"].pk, cast.accounts["bruno_2"].pk]
    services.move_accounts(scenario=scenario, account_ids=ids, territory=cast.territories["ln1"],
                           actor=cast.maria)  # fmt: skip
    day = timezone.localdate() - dt.timedelta(days=10)
    services.publish_scenario(scenario=scenario, effective_from=day, actor=cast.maria)
    moved_again = Account.objects.get(pk=ids[1])
    move_account(account=moved_again, territory=cast.territories["trujillo"],
                 valid_from=day + dt.timedelta(days=2), actor=cast.admin)  # fmt: skip
    restored, skipped = services.rollback_scenario(scenario=scenario, actor=cast.maria)
    assert (restored, skipped) == (1, 1)
    assert Account.objects.get(pk=ids[0]).territory == cast.territories["ls1"]
    assert Account.objects.get(pk=ids[1]).territory == cast.territories["trujillo"]
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.ROLLED_BACK
    assert scenario.rolled_back_from == timezone.localdate()
    rows = Alignment.objects.filter(account_id=ids[0]).order_by("valid_from")
    assert [r.territory.code for r in rows] == ["LS1", "LN1", "LS1"]  # nothing erased
    with pytest.raises(ValidationError):
        services.rollback_scenario(scenario=scenario, actor=cast.maria)


def test_a_copy_keeps_the_moves_locks_and_rules(cast, scenario):
    services.move_accounts(scenario=scenario, account_ids=[cast.accounts["bruno_1"].pk],
                           territory=cast.territories["ln1"], actor=cast.maria)  # fmt: skip
    services.update_rules(scenario=scenario, actor=cast.maria, workload_tol=4.0)
    services.lock_territories(scenario=scenario, territories=[cast.territories["ls1"]],
                              actor=cast.maria)  # fmt: skip
    copy = services.create_scenario(root=scenario.root, name="B", actor=cast.maria,
                                    copy_of=scenario)  # fmt: skip
    assert placed(copy, cast, "bruno_1").territory == cast.territories["ln1"]
    assert placed(copy, cast, "bruno_1").locked
    assert copy.workload_tol == 4.0
    assert list(copy.locked_territories.all()) == [cast.territories["ls1"]]
