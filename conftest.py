"""The named cast every test can ask for: `cast` (see rumbo/testing.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from rumbo.testing import PASSWORD, Cast, build_cast

# No time limit per generated example: the suite runs two workers on two shared cores, where
# a limit measures the machine's load, not the code (benchmarks measure speed, under bench/).
settings.register_profile("rumbo", deadline=None)
settings.load_profile("rumbo")

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
