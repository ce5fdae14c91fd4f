"""The admin, in real Chromium and in Spanish, creates the 2025 quota plan of the company, sets
Lima Norte by hand, sees Lima Sur take the rest and every level still add up, and publishes."""

from decimal import Decimal

from rumbo.browser import browser_test, login, new_page
from rumbo.quotas.models import QuotaLine, QuotaPlan
from rumbo.targets.models import Target

pytestmark = browser_test


def test_the_admin_sets_a_quota_by_hand_and_publishes(cast, chromium, live_server, password):
    page = new_page(chromium)
    login(page, live_server.url, "admin", password)
    page.goto(f"{live_server.url}/targets/quotas/")
    page.select_option("select[name=root]", str(cast.territories["pe"].pk))
    page.fill("input[name=year]", "2025")
    page.fill("input[name=total]", "abc")
    page.click("[data-new-plan] button[type=submit]")
    assert not QuotaPlan.objects.exists()
    page.fill("input[name=total]", "120.000,00")
    page.select_option("select[name=method]", "last_year")
    page.select_option("select[name=months_by]", "even")
    page.click("[data-new-plan] button[type=submit]")
    page.wait_for_selector("[data-consistent=yes]")
    plan = QuotaPlan.objects.get()
    assert plan.total == Decimal("120000")
    lima_norte = QuotaLine.objects.get(plan=plan, territory=cast.territories["lima_norte"])
    page.fill(f"input[name=line-{lima_norte.pk}]", "70.000")
    page.click("[data-adjust] button[type=submit]")
    page.wait_for_selector("[data-consistent=yes]")
    assert "a mano" in page.locator(f"tr[data-line='{lima_norte.pk}']").inner_text()
    lima_sur = QuotaLine.objects.get(plan=plan, territory=cast.territories["lima_sur"])
    lima = QuotaLine.objects.get(plan=plan, territory=cast.territories["lima"])
    assert lima_sur.value == lima.value - Decimal("70000")
    page.click("[data-publish] button[type=submit]")
    page.wait_for_selector("[data-status=published]")
    year = Target.objects.filter(territory=cast.territories["lima_norte"], month__year=2025)
    assert sum(t.value for t in year) == Decimal("70000.00")
    page.context.close()
