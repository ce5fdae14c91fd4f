"""The performance journey in real Chromium: charts drawn offline, their tables one click away,
a drill-down and the gap bridge."""

from rumbo.browser import browser_test, login, new_page

pytestmark = browser_test


def test_maria_reads_her_region_and_finds_why_a_territory_is_behind(
    sales, chromium, live_server, password
):
    cast = sales.cast
    page = new_page(chromium)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_server.url, "maria", password)
    page.goto(f"{live_server.url}/performance/?period=2024-05")
    page.wait_for_selector("[data-chart=trend][data-state=ready]")
    trend = page.locator("[data-chart=trend]")
    assert trend.locator("[data-chart-canvas] svg").count() == 1
    assert not trend.locator("[data-chart-table]").is_visible()
    trend.locator("[data-chart-toggle]").click()
    assert trend.locator("[data-chart-table] table").is_visible()
    assert page.locator("[data-chart=attainment][data-state=ready]").count() == 1
    page.locator("tr[data-row] a", has_text="Lima Norte").first.click()
    page.wait_for_url(f"**/performance/territory/{cast.territories['lima_norte'].pk}/**")
    page.locator("tr[data-row] a", has_text="Lima Norte 1").first.click()
    page.locator("a", has_text="¿Por qué esta brecha?").click()
    page.wait_for_selector("[data-chart=bridge][data-state=ready]")
    bars = page.locator("[data-chart=bridge] svg path").count()
    assert bars >= 7  # target, mix, four groups of accounts, actual
    assert "Minimarket El Sol" in page.locator("tr[data-account]").all_inner_texts()[0]
    assert all(url.startswith(live_server.url) for url in requested)  # nothing from outside
    page.context.close()
