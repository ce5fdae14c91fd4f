"""Account journeys in real Chromium: a rep on a phone, the offline map, the language switch."""

from rumbo.browser import browser_test, login, new_page

pytestmark = browser_test


def test_alicia_on_a_phone_sees_only_her_accounts_and_opens_the_menu(
    cast, chromium, live_server, password
):
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    page.goto(f"{live_server.url}/accounts/")
    rows = page.locator("tr[data-account] td.title-cell a")
    assert sorted(rows.all_inner_texts()) == ["Bodega Rosita", "Minimarket El Sol"]
    assert "Bodega Don Lucho" not in page.content()
    closed = page.locator("#sidenav").bounding_box()
    assert closed is not None and closed["x"] < 0  # the drawer waits off-screen
    page.click("[data-nav-toggle]")
    page.wait_for_function("document.getElementById('sidenav').getBoundingClientRect().x >= 0")
    assert page.get_attribute("[data-nav-toggle]", "aria-expanded") == "true"
    page.locator("#sidenav a[href='/territories/']").click()
    page.wait_for_url(f"{live_server.url}/territories/")
    assert page.locator("li[data-territory]").count() == 1
    page.context.close()


def test_the_account_map_draws_offline(cast, chromium, live_server, password, tmp_path):
    page = new_page(chromium)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_server.url, "alicia", password)
    page.goto(f"{live_server.url}/accounts/{cast.accounts['alicia_1'].pk}/")
    page.wait_for_selector("#account-map[data-state=ready]")
    assert page.locator("#account-map.leaflet-container").count() == 1
    assert page.locator("#account-map .leaflet-pane svg path").count() > 20
    assert page.locator("#account-map .rumbo-pin.rumbo-pin--approx").count() == 1
    assert page.get_attribute("#account-map", "data-districts") == "1"
    assert "centro del distrito" in page.locator("[data-location=approximate]").inner_text()
    page.screenshot(path=tmp_path / "account-map.png")
    outside = [u for u in requested if not u.startswith((live_server.url, "data:"))]
    assert outside == []
    page.context.close()


def test_switching_to_english_changes_the_interface(cast, chromium, live_server, password):
    page = new_page(chromium)
    login(page, live_server.url, "alicia", password)
    page.goto(f"{live_server.url}/accounts/")
    assert page.locator("h1").inner_text() == "Cuentas"
    page.click(".language-switch button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Accounts"
    assert page.locator("#sidenav a[aria-current=page]").inner_text().strip().endswith("Accounts")
    page.click(".language-switch button[value=es]")
    page.wait_for_selector("html[lang=es]")
    assert page.locator("h1").inner_text() == "Cuentas"
    page.context.close()
