"""The tiny demo company, loaded once per test module and rolled back after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from rumbo.demo.services import LoadReport, load_demo
from rumbo.demo.sizes import SIZES

# 14 months: May 2024 – June 2025, with a December and a price change on 1 March 2025.
END = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LoadReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_demo(size=SIZES["tiny"], seed=1, end=END)
        yield report
        transaction.set_rollback(True)
