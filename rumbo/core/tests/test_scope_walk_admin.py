"""The scope walker in the Django admin: everyone but staff is sent to the admin's login, and an
organisation's staff administrators reach only their own organisation's rows (see
test_scope_walk.py for the rest of the project's URLs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client

from rumbo.core.tests.walk_world import World, leaks, sign_in, world_for_module
from rumbo.core.tests.walker import (
    MISSING_ID,
    ROLES,
    AnyUser,
    Route,
    all_routes,
    call,
    changed_tables,
    digest,
    organisation_lookup,
)
from rumbo.customers.models import Account

pytestmark = pytest.mark.django_db

STAFF = ["admin", "otto"]  # otto is made staff in the walk's world
ADMIN_MODEL_URL = re.compile(r"^admin/(\w+)/(\w+)/")
ADMIN_ROUTES = [r for r in all_routes() if r.is_admin]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(django_db_blocker) as built:
        yield built


def admin_model(route: Route) -> type[Model] | None:
    match = ADMIN_MODEL_URL.match(route.text)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


@pytest.mark.parametrize("role", [r for r in ROLES if r not in STAFF])
def test_the_admin_sends_everyone_but_staff_to_its_login(
    world: World, client: Client, role: str
) -> None:
    sign_in(client, world, role)
    problems = []
    for route in ADMIN_ROUTES:
        if route.key in ("admin:login", "admin:logout"):
            continue
        values = dict.fromkeys(route.params, MISSING_ID) | {"app_label": "customers", "url": "x/"}
        url = route.url(values)
        for method in ("GET", "POST"):
            response = call(client, method, url, api=False)
            location = response.get("Location", "")
            if not (response.status_code == 302 and location.startswith("/admin/login/")):
                problems.append(f"{method} {url}: {response.status_code} {location}")
    assert not problems, f"{role} was not sent to the admin's login:\n" + "\n".join(problems)


def other_organisations(model: type[Model], user: AnyUser) -> list[Model]:
    """Rows of another organisation: what an organisation's staff must not reach in the admin."""
    lookup = organisation_lookup(model)
    if lookup is None:
        return []
    rows = model._default_manager.exclude(**{lookup: getattr(user, "organisation_id", None)})
    return list(rows.order_by("pk")[:2])


def admin_urls(world: World, role: str) -> Iterator[tuple[str, Model | None]]:
    """Every admin URL to walk as staff, with the other organisation's row it names."""
    user = world.users[role]
    for route in ADMIN_ROUTES:
        model = admin_model(route)
        if route.key == "admin:logout":
            continue
        if route.key == "admin:view_on_site":
            account = other_organisations(Account, user)[0]
            kind = ContentType.objects.get_for_model(account)
            yield route.url({"content_type_id": kind.pk, "object_id": account.pk}), account
        elif not route.params or route.params in (("app_label",), ("url",)):
            yield route.url({"app_label": "customers", "url": "x/"}), None
        elif model is not None and model in admin.site._registry:
            for row in other_organisations(model, user):
                yield route.url(dict.fromkeys(route.params, row.pk)), row


@pytest.mark.parametrize("role", STAFF)
def test_staff_reach_only_their_own_organisation_in_the_admin(
    world: World, client: Client, role: str
) -> None:
    sign_in(client, world, role)
    before = digest()
    problems = []
    for url, row in admin_urls(world, role):
        for method in ("GET", "POST") if row is not None else ("GET",):
            response = call(client, method, url, api=False)
            status = response.status_code
            wrong = status >= 500 or (row is not None and 200 <= status < 300)
            leaked = leaks(world, role, response)
            if wrong or leaked:
                problems.append(f"{method} {url} ({row}): {status} {leaked}")
    assert not problems, f"{role} reached another organisation in the admin:\n" + "\n".join(
        problems
    )
    assert changed_tables(before, digest()) == []
