from rumbo.browser import browser_test, login, new_page

pytestmark = browser_test


def test_alicia_signs_in_on_a_phone_and_sees_her_home(cast, chromium, live_server, password):
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    assert page.locator("[data-figure=active-accounts]").inner_text() == "2"
    assert "Alicia" in page.locator("h1").inner_text()
    page.context.close()
