"""Browser-test plumbing: real Chromium (Debian's) driven by Playwright, against live_server.

Browser tests run in transactional databases; `BROWSER_APPS` leaves the geography tables (loaded
by a migration) out of the flush that follows each test, so later tests still find them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = ViewportSize(width=375, height=812)
DESKTOP = ViewportSize(width=1280, height=800)

BROWSER_APPS = [app for app in settings.INSTALLED_APPS if app != "rumbo.geo"]
GEO_STATIC = Path(__file__).resolve().parent / "geo" / "static" / "geo"

# Use as: pytestmark = browser_test
browser_test = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=BROWSER_APPS),
    pytest.mark.usefixtures("geo_static"),
]


@pytest.fixture
def geo_static(settings: Any) -> None:
    """Leaving rumbo.geo out of the available apps also hides its static files (the Peru
    boundaries the maps draw); serve them from their folder instead."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("geo", GEO_STATIC)]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_page(chromium: Browser, *, phone: bool = False, locale: str = "es-PE") -> Page:
    context = chromium.new_context(
        viewport=PHONE if phone else DESKTOP,
        locale=locale,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
