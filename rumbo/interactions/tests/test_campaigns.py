"""Campaigns: the audience by channel, territory and place; leaving out accounts contacted
recently; moving or leaving out touches that break the contact policy; recording touches."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rumbo.interactions import campaigns
from rumbo.interactions.models import CampaignTouch, Interaction
from rumbo.interactions.services import save_contact_policy
from rumbo.interactions.timeline import TimelineFilters, timeline

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")


def make(cast, actor=None, **fields):
    today = timezone.localdate()
    data = {"name": "Verano", "medium": "email", "starts_on": today + dt.timedelta(days=10),
            "ends_on": today + dt.timedelta(days=20), **fields}  # fmt: skip
    return campaigns.create_campaign(organisation=cast.org, actor=actor or cast.vera, **data)


def names(campaign, status="planned"):
    return sorted(t.account.trade_name for t in campaign.touches.filter(status=status))


def test_the_audience_is_every_account_matching_all_criteria(cast, other_channel):
    market = cast.accounts["bruno_2"]
    market.channel = other_channel
    market.save()
    everyone = make(cast)
    assert campaigns.audience_of(everyone, cast.vera).count() == 5
    lima = make(cast, territories=[cast.territories["lima"]])
    assert campaigns.audience_of(lima, cast.vera).count() == 4
    bodegas_in_smp = make(cast, channels=[cast.channel], audience_ubigeos=["150135"])
    assert sorted(a.trade_name for a in campaigns.audience_of(bodegas_in_smp, cast.vera)) == [
        "Bodega Rosita", "Minimarket El Sol",
    ]  # fmt: skip
    surco_province = make(cast, channels=[other_channel], audience_ubigeos=["1501"])
    assert [a.trade_name for a in campaigns.audience_of(surco_province, cast.vera)] == [
        "Market Surco"
    ]


def test_a_manager_builds_an_audience_only_from_their_accounts(cast):
    campaign = make(cast, actor=cast.maria)
    campaigns.build_audience(campaign=campaign, actor=cast.maria)
    assert "Bodega Trujillana" not in names(campaign)
    assert len(names(campaign)) == 4


def test_only_admins_managers_and_marketing_run_campaigns(cast):
    with pytest.raises(PermissionDenied):
        make(cast, actor=cast.alicia)
    campaign = make(cast)
    with pytest.raises(PermissionDenied):
        campaigns.build_audience(campaign=campaign, actor=cast.bruno)


def test_building_leaves_out_recent_contacts_and_respects_the_policy(cast):
    save_contact_policy(organisation=cast.org, actor=cast.admin, channel=None,
                        min_days_between=7, max_per_month=None, min_per_month=0)  # fmt: skip
    campaign = make(cast, exclude_contacted_days=7)
    start = campaign.starts_on
    rosita, sol, lucho = (cast.accounts[k] for k in ("alicia_1", "alicia_2", "bruno_1"))
    Interaction.objects.create(  # three days before the start: left out as a recent contact
        organisation=cast.org, account=rosita, kind="visit", team="sales", user=cast.alicia,
        occurred_at=dt.datetime.combine(start - dt.timedelta(days=3), dt.time(10), tzinfo=LIMA),
    )  # fmt: skip
    from rumbo.interactions.models import PlannedActivity

    PlannedActivity.objects.create(  # planned the day after the start: the touch moves
        organisation=cast.org, rep=cast.alicia, day=start + dt.timedelta(days=1), kind="visit",
        account=sol, source="self",
    )  # fmt: skip
    PlannedActivity.objects.create(  # planned the day after the end: no day fits, left out
        organisation=cast.org, rep=cast.bruno, day=start + dt.timedelta(days=4), kind="call",
        account=lucho, source="self",
    )  # fmt: skip
    PlannedActivity.objects.create(
        organisation=cast.org, rep=cast.bruno, day=start - dt.timedelta(days=3), kind="call",
        account=lucho, source="self",
    )  # fmt: skip
    counts = campaigns.build_audience(campaign=campaign, actor=cast.vera)
    assert counts == {"planned": 3, "moved": 1, "excluded": 2}
    touches = {t.account.trade_name: t for t in campaign.touches.select_related("account")}
    assert touches["Bodega Rosita"].status == "excluded"
    assert touches["Bodega Rosita"].reason["code"] == "recent"
    assert touches["Minimarket El Sol"].planned_on == start + dt.timedelta(days=8)
    assert touches["Minimarket El Sol"].reason["code"] == "moved"
    assert touches["Bodega Don Lucho"].reason["code"] == "policy"
    assert touches["Market Surco"].planned_on == start and not touches["Market Surco"].reason


def test_recording_touches_puts_them_on_each_timeline_and_rebuilding_keeps_them(cast):
    today = timezone.localdate()
    campaign = make(cast, starts_on=today, ends_on=today + dt.timedelta(days=5))
    campaigns.build_audience(campaign=campaign, actor=cast.vera)
    with pytest.raises(ValidationError):
        campaigns.record_touches(
            campaign=campaign, actor=cast.vera, up_to=today + dt.timedelta(days=1)
        )
    assert campaigns.record_touches(campaign=campaign, actor=cast.vera) == 5
    rosita = cast.accounts["alicia_1"]
    entries = timeline(
        cast.alicia, rosita, TimelineFilters(types=frozenset({"campaign"}))
    ).object_list
    assert [(e.team, e.title, e.who) for e in entries] == [("marketing", "Verano", cast.vera)]
    campaigns.build_audience(campaign=campaign, actor=cast.vera)
    assert campaign.touches.filter(status="done").count() == 5
    campaigns.close_campaign(campaign=campaign, actor=cast.vera)
    with pytest.raises(ValidationError):
        campaigns.build_audience(campaign=campaign, actor=cast.vera)


def test_a_single_touch_from_a_sending_platform_is_recorded_once(cast):
    campaign = make(cast)
    rosita = cast.accounts["alicia_1"]
    day = timezone.localdate() - dt.timedelta(days=1)
    first = campaigns.record_touch(campaign=campaign, account=rosita, day=day, actor=None)
    again = campaigns.record_touch(campaign=campaign, account=rosita, day=day, actor=None)
    assert first.pk == again.pk and first.status == CampaignTouch.Status.DONE
    assert Interaction.objects.filter(campaign=campaign).count() == 1


def test_the_campaign_pages_create_build_and_record(cast, client):
    client.force_login(cast.vera)
    today = timezone.localdate()
    response = client.post(reverse("interactions:campaign_new"), {
        "name": "Invierno", "medium": "whatsapp", "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=3)).isoformat(), "channels": [cast.channel.pk],
        "places": "15", "exclude_contacted_days": "", "respect_policy": "on",
    })  # fmt: skip
    assert response.status_code == 302
    campaign = cast.org.campaigns.get(name="Invierno")
    assert campaign.audience_ubigeos == ["15"] and campaign.team == "marketing"
    action = reverse("interactions:campaign_action", args=[campaign.pk])
    client.post(action, {"action": "build"})
    assert campaign.touches.count() == 4  # Trujillo is outside department 15
    client.post(action, {"action": "record", "up_to": "no-date"})
    assert campaign.touches.filter(status="done").count() == 0
    client.post(action, {"action": "record"})
    assert campaign.touches.filter(status="done").count() == 4
    page = client.get(reverse("interactions:campaign_detail", args=[campaign.pk]))
    assert page.context["counts"] == {"done": 4}
    client.force_login(cast.alicia)
    assert client.post(action, {"action": "cancel"}).status_code == 404
