"""Alicia's day on her phone in real Chromium: the route on the map, then a check-in and a
check-out made without signal that reach the server once the signal is back."""

import datetime as dt

from django.utils import timezone

from rumbo.browser import browser_test, login, new_page
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.visits.models import CheckIn

pytestmark = browser_test


def test_alicia_checks_in_and_out_offline_and_it_syncs(cast, chromium, live_server, password):
    today = timezone.localdate()
    rosita, sol = cast.accounts["alicia_1"], cast.accounts["alicia_2"]
    for n, account in enumerate((rosita, sol)):
        PlannedActivity.objects.create(
            organisation=cast.org, rep=cast.alicia, day=today, kind="visit", account=account,
            start_time=dt.time(9 + n, 0), duration_min=20, source="rumbo",
        )  # fmt: skip
    page = new_page(chromium, phone=True)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -12.0301, "longitude": -77.0576, "accuracy": 15})
    login(page, live_server.url, "alicia", password)
    page.goto(f"{live_server.url}/visits/reps/{cast.alicia.pk}/{today.isoformat()}/")
    page.wait_for_selector("#route-map[data-state=ready]")
    assert page.locator("#route-map").get_attribute("data-stops") == "2"

    page.context.set_offline(True)
    first = page.locator("[data-checkin-row]").first
    first.locator("[data-check-in]").click()
    page.wait_for_selector("[data-checkin-row][data-state=in]")
    assert page.locator("[data-checkins]").get_attribute("data-pending") == "1"
    first.locator("select[name=outcome]").select_option("no_order")
    first.locator("select[name=reason]").select_option("stocked")
    first.locator("input[name=notes]").fill("Vuelve el lunes")
    first.locator("[data-check-out] button[type=submit]").click()
    page.wait_for_selector("[data-checkins][data-pending='2']")
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-checkins][data-pending='0']", timeout=20_000)
    visit = CheckIn.objects.get()
    assert visit.account == rosita and visit.outcome == "no_order" and visit.reason == "stocked"
    assert visit.distance_m is not None and visit.distance_m < 300 and not visit.far
    assert visit.activity is not None and visit.activity.status == PlannedActivity.Status.DONE
    assert Interaction.objects.filter(
        account=rosita, kind="visit", notes="Vuelve el lunes"
    ).exists()
    page.reload()
    assert page.locator("[data-checkin-row]").first.get_attribute("data-state") == "out"
    page.context.close()
