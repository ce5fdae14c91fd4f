"""A manager's journey in real Chromium: her team's accounts, then her part of the tree."""

from rumbo.browser import browser_test, login, new_page

pytestmark = browser_test


def test_maria_sees_her_teams_accounts_and_her_subtree(cast, chromium, live_server, password):
    page = new_page(chromium)
    login(page, live_server.url, "maria", password)
    page.goto(f"{live_server.url}/accounts/")
    names = page.locator("tr[data-account] td.title-cell a").all_inner_texts()
    assert sorted(names) == [
        "Bodega Don Lucho",
        "Bodega Rosita",
        "Market Surco",
        "Minimarket El Sol",
    ]
    page.goto(f"{live_server.url}/territories/")
    tree = page.locator("ul.tree")
    assert tree.locator("li[data-territory]").count() == 5
    assert "Trujillo" not in tree.inner_text()
    assert tree.locator("[data-accounts]").first.get_attribute("data-accounts") == "4"
    lima_sur = tree.locator("li[data-territory] > details").nth(2)
    assert "Lima Sur" in lima_sur.locator("summary").inner_text()
    lima_sur.locator("summary").click()  # collapse
    assert not lima_sur.locator("a", has_text="Lima Sur 1").is_visible()
    page.context.close()
