"""The named cast every test can ask for: `cast` (see rumbo/testing.py)."""

from __future__ import annotations

import os

import pytest

from rumbo.testing import PASSWORD, Cast, build_cast

# Real Chromium for browser tests (see rumbo/browser.py).
pytest_plugins = ["rumbo.browser"]

# Playwright's sync API runs an event loop in the test thread; Django allows its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def password() -> str:
    return PASSWORD
