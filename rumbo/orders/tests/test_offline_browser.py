"""The order form in real Chromium on a phone (375 × 812): offline writing, sync on reconnect,
exactly-once delivery, the pending counter, and a refused order fixed and sent again."""

from playwright.sync_api import Page

from rumbo.browser import browser_test, login, new_page
from rumbo.orders.models import Order

pytestmark = browser_test


def open_form(page: Page, base: str) -> None:
    page.goto(f"{base}/orders/new/")
    page.wait_for_selector("[data-order-app][data-ready='1']")
    page.wait_for_selector("[data-account-results] [data-account]")
    page.evaluate("RumboSync.ready")  # the first sync has cached the catalogue and prices


def write(page: Page, account: str, product: str, quantity: str) -> None:
    page.fill("[data-account-q]", account)
    page.locator("[data-account-results] [data-account]").first.click()
    page.fill("[data-product-q]", product)
    page.locator("[data-product-results] [data-product]").first.click()
    page.locator("[data-lines] [data-qty]").last.fill(quantity)
    page.click("[data-send]")


def wait_for_count(page: Page, count: int) -> None:
    """The pending counter reaches `count` (polled, with room for a loaded CI machine)."""
    page.wait_for_function(
        f"document.querySelector('[data-sync-count]').textContent === '{count}'",
        polling=100,
        timeout=30_000,
    )


def badge(page: Page) -> str:
    return page.locator("[data-sync-badge] [data-sync-count]").inner_text()


def test_two_orders_written_offline_arrive_exactly_once_when_back_online(
    cast, chromium, live_server, password
):
    before = set(Order.objects.values_list("pk", flat=True))
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    open_form(page, live_server.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.reload()  # the service worker serves the form; the data comes from IndexedDB
    page.wait_for_selector("[data-order-app][data-ready='1']")
    page.wait_for_selector("[data-net-state].warn")

    write(page, "rosita", "cola", "3")
    page.wait_for_selector("[data-outcome=offline]")
    write(page, "sol", "papas", "7")
    wait_for_count(page, 2)
    assert badge(page) == "2"
    assert set(Order.objects.values_list("pk", flat=True)) == before

    page.context.set_offline(False)
    page.wait_for_function(
        "document.querySelector('[data-sync-count]').textContent === '0'", timeout=30_000
    )
    new = Order.objects.exclude(pk__in=before).order_by("pk")
    assert [(o.account.name, o.source, o.rep) for o in new] == [
        ("Bodega Rosita", "offline", cast.alicia),
        ("Minimarket El Sol", "offline", cast.alicia),
    ]
    assert [str(o.lines.get().quantity) for o in new] == ["3.000", "7.000"]
    assert len({o.idempotency_key for o in new}) == 2
    # Sending again (a lost answer, another tab) changes nothing.
    page.evaluate("RumboSync.sendAll()")
    assert Order.objects.exclude(pk__in=before).count() == 2
    page.context.close()


def test_a_refused_order_shows_the_reason_and_goes_through_once_fixed(
    cast, chromium, live_server, password
):
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    open_form(page, live_server.url)
    page.context.set_offline(True)
    write(page, "rosita", "cola", "4")
    page.wait_for_selector("[data-outcome=offline]")
    cola = cast.catalog["cola"]
    cola.discontinued = True  # while the rep was out of signal
    cola.save()
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/orders/outbox/")
    page.wait_for_selector("[data-outbox] .outbox-entry.refused [data-reason]", timeout=30_000)
    assert "descontinuado" in page.locator("[data-reason]").inner_text()
    assert badge(page) == "1"
    page.click("text=Corregir y enviar de nuevo")
    page.wait_for_selector("[data-order-app][data-ready='1']")
    page.wait_for_selector("[data-lines] .cart-line.has-error")
    page.locator("[data-lines] .cart-line button.remove").click()
    page.fill("[data-product-q]", "papas")
    page.locator("[data-product-results] [data-product]").first.click()
    page.locator("[data-lines] [data-qty]").fill("4")
    page.click("[data-send]")
    page.wait_for_selector("[data-outcome=sent]")
    wait_for_count(page, 0)
    order = Order.objects.filter(source="web").latest("pk")
    assert order.lines.get().product == cast.catalog["chips"]
    page.context.close()


CACHED_ACCOUNTS = """() => new Promise((resolve) => {
  const open = indexedDB.open("rumbo");
  open.onsuccess = () => {
    const get = open.result.transaction("cache").objectStore("cache").get("accounts");
    get.onsuccess = () => resolve(get.result ? get.result.data.items.map((a) => a.name) : null);
  };
})"""


def test_the_device_keeps_only_the_signed_in_reps_accounts(cast, chromium, live_server, password):
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    open_form(page, live_server.url)
    assert page.evaluate(CACHED_ACCOUNTS) == ["Bodega Rosita", "Minimarket El Sol"]
    refused = {"key": "00000000-0000-4000-8000-000000000001", "body": "{}", "account": "X",
               "total": "1.00", "lines": 1, "state": "refused", "createdAt": 1,
               "user": cast.alicia.pk}  # fmt: skip
    page.evaluate("(entry) => RumboSync.put(entry)", refused)
    wait_for_count(page, 1)
    page.click("details.user-menu summary")
    page.click(".user-menu form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/login/**")
    assert page.evaluate(CACHED_ACCOUNTS) is None  # signing out empties the caches

    login(page, live_server.url, "bruno", password)
    open_form(page, live_server.url)
    assert page.evaluate(CACHED_ACCOUNTS) == ["Bodega Don Lucho", "Market Surco"]
    assert badge(page) == "0"  # alicia's refused order is hers: kept, but not shown to bruno
    kept = page.evaluate(f"() => RumboStore.byUser({cast.alicia.pk}).then((rows) => rows.length)")
    assert kept == 1
    page.context.close()


def test_the_form_shows_the_total_the_server_computes_with_promotions_and_igv(
    cast, chromium, live_server, password
):
    from decimal import Decimal

    from rumbo.catalog.models import PriceList, Promotion
    from rumbo.catalog.services import create_promotion, set_price

    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    bodegas.prices_include_tax = True
    bodegas.save()
    set_price(price_list=bodegas, product=cast.catalog["cola"], price=Decimal("2.37"))
    create_promotion(
        organisation=cast.org, code="V", name="Volumen bebidas", kind=Promotion.Kind.VOLUME,
        category=cast.catalog["drinks"], tiers=[(Decimal("12"), Decimal("4.5"))],
    )  # fmt: skip
    create_promotion(
        organisation=cast.org, code="P", name="Papas 6+1", kind=Promotion.Kind.BUY_GET,
        product=cast.catalog["chips"], buy_quantity=6, free_quantity=1,
    )  # fmt: skip
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "alicia", password)
    open_form(page, live_server.url)
    page.fill("[data-account-q]", "rosita")
    page.locator("[data-account-results] [data-account]").first.click()
    for product, quantity in (("cola", "13"), ("papas", "14")):
        page.fill("[data-product-q]", product)
        page.locator("[data-product-results] [data-product]").first.click()
        page.locator("[data-lines] [data-qty]").last.fill(quantity)
    page.locator("[data-lines] [data-discount]").first.fill("3.5")
    page.wait_for_function("document.querySelector('[data-line-promo]').textContent !== ''")
    shown = page.locator("[data-total]").inner_text()
    assert "+ 2 UND" in page.locator("[data-lines]").inner_text()  # 14 chips: 2 free
    page.click("[data-send]")
    page.wait_for_selector("[data-outcome=sent]")
    order = Order.objects.latest("pk")
    # cola: 2.37 / 1.18 = 2.0085 net; 13 × 2.0085 = 26.1105 → 26.11; 4.5 % then 3.5 % = 7.8425 %
    # → 2.0477… → 2.05 off → 24.06, IGV 4.33; chips: 14 × 1.50 = 21.00, IGV 3.78
    assert (order.net_amount, order.tax_amount, order.total_amount) == (
        Decimal("45.06"), Decimal("8.11"), Decimal("53.17")
    )  # fmt: skip
    assert shown == "S/ 53,17"
    assert order.lines.filter(is_free=True).get().quantity == Decimal("2")
    page.context.close()
