"""The contact guard's service: policies per channel, contacts from every source, warnings
when planning, and the over/under-contacted report, on hand-built calendars."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rumbo.core.models import Team
from rumbo.interactions import report
from rumbo.interactions.guard import ContactGuardWarning, PolicyBook, check_contact
from rumbo.interactions.models import Campaign, CampaignTouch, Interaction, PlannedActivity
from rumbo.interactions.planning import plan_activity, reschedule_activity
from rumbo.interactions.services import save_contact_policy
from rumbo.prospects.models import Prospect, ProspectTouch

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")


def on(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LIMA)


@pytest.fixture
def policy(cast):
    return save_contact_policy(
        organisation=cast.org, actor=cast.admin, channel=None, min_days_between=7,
        max_per_month=3, min_per_month=1,
    )  # fmt: skip


def contact(cast, account, day, kind="visit", team=Team.SALES, user=None, **extra):
    return Interaction.objects.create(
        organisation=cast.org, account=account, kind=kind, team=team,
        user=user or cast.alicia, occurred_at=on(day), **extra,
    )  # fmt: skip


def test_a_channels_policy_overrides_the_general_one(cast, policy, other_channel):
    special = save_contact_policy(
        organisation=cast.org, actor=cast.admin, channel=other_channel, min_days_between=2,
        max_per_month=10, min_per_month=2,
    )  # fmt: skip
    book = PolicyBook(cast.org.pk)
    rosita = cast.accounts["alicia_1"]
    assert book.for_account(rosita) == policy
    rosita.channel = other_channel
    assert book.for_account(rosita) == special


def test_every_team_and_every_planned_contact_counts(cast, policy):
    rosita = cast.accounts["alicia_1"]
    today = timezone.localdate()
    day = today + dt.timedelta(days=10)
    contact(cast, rosita, today - dt.timedelta(days=1), kind="email", team=Team.MARKETING,
            user=cast.vera)  # fmt: skip
    campaign = Campaign.objects.create(
        organisation=cast.org, name="Promo", medium="whatsapp", starts_on=today, ends_on=day,
        status="planned",
    )  # fmt: skip
    CampaignTouch.objects.create(
        campaign=campaign, account=rosita, planned_on=day - dt.timedelta(days=2)
    )
    result = check_contact(account=rosita, day=day)
    assert not result.ok
    [breach] = result.verdict.breaches
    assert [(c.who, c.team, c.kind, c.planned) for c in breach.contacts] == [
        ("Promo", "marketing", "campaign", True)
    ]
    assert result.suggested == day + dt.timedelta(days=5)


def test_a_call_not_reached_and_a_note_do_not_count(cast, policy):
    rosita = cast.accounts["alicia_1"]
    today = timezone.localdate()
    contact(cast, rosita, today, kind="call", outcome="not_reached")
    contact(cast, rosita, today, kind="note")
    assert check_contact(account=rosita, day=today + dt.timedelta(days=1)).ok


def test_the_prospect_the_account_was_counts_too(cast, policy):
    rosita = cast.accounts["alicia_1"]
    today = timezone.localdate()
    lead = Prospect.objects.create(
        organisation=cast.org, name="Rosita", distrito_id="150135", channel=cast.channel,
        source="field", location_precision="district", account=rosita, status="won",
    )  # fmt: skip
    ProspectTouch.objects.create(
        prospect=lead, kind="visit", user=cast.alicia, occurred_at=on(today)
    )
    result = check_contact(account=rosita, day=today + dt.timedelta(days=3))
    assert not result.ok and result.verdict.breaches[0].contacts[0].kind == "visit"


def test_without_a_policy_nothing_is_checked(cast):
    rosita = cast.accounts["alicia_1"]
    contact(cast, rosita, timezone.localdate())
    assert check_contact(account=rosita, day=timezone.localdate()).ok


def test_planning_a_visit_that_breaks_the_policy_warns_with_who_and_a_day(cast, policy):
    rosita = cast.accounts["alicia_1"]
    today = timezone.localdate()
    contact(cast, rosita, today, kind="email", team=Team.MARKETING, user=cast.vera)
    with pytest.raises(ContactGuardWarning) as warned:
        plan_activity(rep=cast.alicia, day=today + dt.timedelta(days=2), kind="visit",
                      actor=cast.maria, account=rosita)  # fmt: skip
    result = warned.value.result
    contacts = result.verdict.breaches[0].contacts
    assert [(c.day, c.who, c.team) for c in contacts] == [(today, "Vera", "marketing")]
    assert result.suggested == today + dt.timedelta(days=7)
    assert not PlannedActivity.objects.exists()
    planned = plan_activity(rep=cast.alicia, day=today + dt.timedelta(days=2), kind="visit",
                            actor=cast.maria, account=rosita, confirm=True)  # fmt: skip
    assert planned.guard_override and planned.source == "manager"
    fine = plan_activity(rep=cast.alicia, day=today + dt.timedelta(days=9), kind="visit",
                         actor=cast.alicia, account=rosita)  # fmt: skip
    assert not fine.guard_override and fine.source == "self"


def test_a_task_is_not_a_contact_and_needs_no_account(cast, policy):
    today = timezone.localdate()
    contact(cast, cast.accounts["alicia_1"], today)
    task = plan_activity(rep=cast.alicia, day=today, kind="task", actor=cast.alicia,
                         title="Cobrar facturas")  # fmt: skip
    assert not task.guard_override


def test_moving_an_activity_leaves_itself_out_of_the_check(cast, policy):
    rosita = cast.accounts["alicia_1"]
    today = timezone.localdate()
    visit = plan_activity(rep=cast.alicia, day=today + dt.timedelta(days=3), kind="visit",
                          actor=cast.alicia, account=rosita)  # fmt: skip
    moved = reschedule_activity(activity=visit, day=today + dt.timedelta(days=4), actor=cast.alicia)
    assert moved.day == today + dt.timedelta(days=4) and not moved.guard_override


def test_the_report_finds_the_over_and_under_contacted_accounts_of_last_month(cast, policy):
    month = report.last_month(timezone.localdate())
    rosita, sol = cast.accounts["alicia_1"], cast.accounts["alicia_2"]
    lucho, surco = cast.accounts["bruno_1"], cast.accounts["bruno_2"]
    for day in (1, 9, 17, 25):  # four contacts: one more than allowed
        contact(cast, rosita, month.replace(day=day))
    contact(cast, sol, month.replace(day=3))
    contact(cast, sol, month.replace(day=5), kind="email", team=Team.MARKETING)  # two days apart
    contact(cast, lucho, month.replace(day=12))  # just right
    accounts = cast.org.accounts.all()
    book = PolicyBook(cast.org.pk)
    over = report.over_contacted(cast.admin, accounts, book, month)
    assert [(r.account, r.load.count, r.load.closest_gap_days) for r in over] == [
        (rosita, 4, 8),
        (sol, 2, 2),
    ]
    assert over[1].teams == {"sales": 1, "marketing": 1}
    under = report.under_contacted(accounts, book, month)
    assert set(under) == {surco, cast.accounts["trujillo_1"]}


def test_the_report_counts_only_what_the_user_sees(cast, policy, client):
    month = report.last_month(timezone.localdate())
    for day in (1, 3):
        contact(cast, cast.accounts["bruno_1"], month.replace(day=day))
    client.force_login(cast.alicia)
    page = client.get("/contact-policy/report/", {"month": f"{month:%Y-%m}"})
    assert page.context["summary"].over == 0
    assert "Bodega Don Lucho" not in page.content.decode()
    client.force_login(cast.bruno)
    page = client.get("/contact-policy/report/", {"month": f"{month:%Y-%m}"})
    assert page.context["summary"].over == 1 and "Bodega Don Lucho" in page.content.decode()
