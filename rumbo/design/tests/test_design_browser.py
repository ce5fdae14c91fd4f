"""Maria, in real Chromium, moves an account to another territory on the design map, sees the
figures follow, and publishes the scenario."""

from django.utils import timezone

from rumbo.browser import browser_test, login, new_page
from rumbo.design.models import Placement, Scenario

pytestmark = browser_test


def click_account(page, account_id):
    """Click an account's circle on the map's canvas, where Leaflet drew it."""
    x, y = page.evaluate(
        """(id) => {
            const el = document.getElementById("design-map");
            el.scrollIntoView({ block: "center" });
            const d = el._rumboDesign, row = d.state.markers[id].row;
            d.map.setView([row[1], row[2]], 16, { animate: false });
            const p = d.map.latLngToContainerPoint([row[1], row[2]]);
            const box = el.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        account_id,
    )
    page.mouse.click(x, y)


def test_maria_moves_an_account_on_the_map_and_publishes(
    cast, scenario, chromium, live_server, password
):
    page = new_page(chromium)
    login(page, live_server.url, "maria", password)
    page.goto(f"{live_server.url}/territories/design/{scenario.pk}/")
    page.wait_for_selector("#design-map[data-state=ready]")
    bruno_1 = cast.accounts["bruno_1"]
    click_account(page, bruno_1.pk)
    page.wait_for_selector("#design-map[data-picked='1']")
    page.select_option("[data-target]", str(cast.territories["ln1"].pk))
    page.click("[data-do=move]")
    page.wait_for_selector("#design-map[data-state=ready]")
    page.wait_for_function(
        "document.querySelector('[data-territory=LN1] [data-accounts]').dataset.accounts === '3'"
    )
    assert "1" in page.locator("[data-status-line]").inner_text()
    placement = Placement.objects.get(scenario=scenario, account=bruno_1)
    assert placement.territory == cast.territories["ln1"] and placement.locked

    page.fill("input[name=effective_from]", timezone.localdate().isoformat())
    page.click("[data-publish] button[type=submit]")
    page.wait_for_selector("[data-status=published]")
    bruno_1.refresh_from_db()
    assert bruno_1.territory == cast.territories["ln1"]
    assert Scenario.objects.get(pk=scenario.pk).status == Scenario.Status.PUBLISHED
    page.context.close()
