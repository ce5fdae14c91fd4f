"""In real Chromium: a service user logs a ticket, and the rep sees it on their day plan."""

import datetime as dt

from django.utils import timezone

from rumbo.browser import browser_test, login, new_page
from rumbo.core.models import Role, Team
from rumbo.interactions.planning import plan_activity
from rumbo.testing import person

pytestmark = browser_test


def test_a_service_user_logs_a_ticket_and_the_rep_sees_it_on_her_day(
    cast, chromium, live_server, password
):
    person("sara", "Sara", cast.org, Role.VIEWER, team=Team.SERVICE)
    plan_activity(rep=cast.alicia, day=timezone.localdate(), kind="visit", actor=cast.maria,
                  account=cast.accounts["alicia_1"], start_time=dt.time(10, 0))  # fmt: skip

    service = new_page(chromium)
    login(service, live_server.url, "sara", password)
    service.goto(f"{live_server.url}/tickets/new/?q=Rosita")
    service.click("[data-found] a")
    service.select_option("#id_topic", "delivery")
    service.fill("#id_subject", "Faltaron dos cajas de gaseosa")
    service.select_option("#id_priority", "high")
    service.click("[data-ticket-form] button[type=submit]")
    service.wait_for_selector("[data-status=open]")
    assert "T-00001" in service.locator("h1").inner_text()
    service.context.close()

    rep = new_page(chromium, phone=True)
    login(rep, live_server.url, "alicia", password)
    rep.goto(f"{live_server.url}/my-day/")
    alert = rep.locator("li[data-kind=visit] .ticket-alert")
    alert.wait_for()
    assert "Faltaron dos cajas de gaseosa" in alert.inner_text()
    assert "T-00001" in alert.inner_text()
    assert rep.locator("[data-warnings]").inner_text() == "1"
    rep.context.close()
