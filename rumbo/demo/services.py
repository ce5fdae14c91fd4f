"""Load (and replace) the demo company "Distribuidora Andina S.A.C." in one transaction.

The same seed gives the same company. Structural rows (territories, users, rep profiles,
assignments, catalogue, price lists) go through the domain services and the ORM; the big tables
(accounts, orders, lines, status history, interactions, targets) through `rumbo.demo.bulk`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation
from rumbo.demo.bulk import tune_transaction, tuned_for_loading
from rumbo.demo.cleanup import delete_organisation
from rumbo.demo.loader import Loader, LoadReport
from rumbo.demo.people import ORGANISATION_NAME, ORGANISATION_SLUG
from rumbo.demo.sizes import Size

__all__ = ["DemoExists", "LoadReport", "demo_organisation", "load_demo"]


class DemoExists(Exception):
    """The demo organisation is already in the database."""


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=ORGANISATION_SLUG).first()


def load_demo(
    *,
    size: Size,
    seed: int,
    end: dt.date,
    replace: bool = False,
    say: Callable[[str], None] = lambda message: None,
) -> LoadReport:
    """Create the demo company with `size.months` months of history ending on `end`; with
    `replace`, an existing demo company is deleted first. All or nothing."""
    with tuned_for_loading(), transaction.atomic():
        tune_transaction()
        existing = demo_organisation()
        if existing is not None:
            if not replace:
                raise DemoExists(_("The demo company is already loaded; use --replace."))
            delete_organisation(existing)
        org = Organisation.objects.create(name=ORGANISATION_NAME, slug=ORGANISATION_SLUG)
        return Loader(org, size, seed, end, say).run()
