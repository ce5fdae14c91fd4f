"""The scope walker: every URL pattern of the project, API endpoints and the Django admin
included, requested by every role of the cast and by the other organisation's users.

- A URL with an object id answers 404 (or the very answer it gives for an id that does not
  exist) to GET, POST, PUT, PATCH and DELETE when the object is outside the user's scope, and
  the database is unchanged afterwards.
- A URL without object ids never fails (5xx) for anyone, and never shows names or amounts
  outside the user's scope (vera, who may not see amounts, sees none).
- Everything but the declared public pages sends anonymous visitors to sign in (or 401).
The Django admin is walked in test_scope_walk_admin.py; the machinery is in walker.py and
walk_world.py beside this file.

New URLs are walked as soon as they exist. When the walker cannot tell which model a URL
parameter names, the test fails and says which line to add to OBJECT_PARAMS below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client

from rumbo.core.tests.walk_world import World, leaks, sign_in, world_for_module
from rumbo.core.tests.walker import (
    ANONYMOUS,
    METHODS,
    MISSING_ID,
    ROLES,
    AnyUser,
    Route,
    UnknownScope,
    all_routes,
    call,
    changed_tables,
    digest,
    in_scope,
    model_by_convention,
    model_of_view,
    outside,
)
from rumbo.customers.models import Account
from rumbo.territories.models import Territory

pytestmark = pytest.mark.django_db

# (URL name, parameter) → the model whose id the parameter takes. Needed only when the walker
# cannot tell by itself: a class-based view with `model`/`queryset`, or a parameter named
# `<model>_id`/`<model>_pk` (account_id, territory_id, rep_id, ...), need no entry.
OBJECT_PARAMS: dict[tuple[str, str], str] = {
    ("core:job", "pk"): "core.Job",
    ("core:token_revoke", "pk"): "core.ApiToken",
    ("api:revoke_token", "token_id"): "core.ApiToken",
    ("customers:account_detail", "pk"): "customers.Account",
    ("territories:detail", "pk"): "territories.Territory",
    ("imports:mapping", "pk"): "imports.ImportBatch",
    ("imports:preview", "pk"): "imports.ImportBatch",
    ("imports:detail", "pk"): "imports.ImportBatch",
    ("imports:preset_delete", "pk"): "imports.MappingPreset",
    ("interactions:activity_action", "pk"): "interactions.PlannedActivity",
    ("interactions:policy_delete", "pk"): "interactions.ContactPolicy",
    ("team:coaching_delete", "pk"): "team.CoachingNote",
    ("team:training_delete", "pk"): "team.TrainingRecord",
    ("reports:performance:territory_rep", "rep_id"): "core.User",
    ("reports:performance:rep", "rep_id"): "core.User",
    ("reports:performance:rep_gap", "rep_id"): "core.User",
    ("reports:targets:distribution", "pk"): "targets.MonthlyDistribution",
    ("review:detail", "pk"): "review.Review",
    ("review:decide", "pk"): "review.Review",
    ("review:decide", "rec_pk"): "review.Recommendation",
    ("review:goal", "pk"): "review.Review",
    **{
        (f"design:{name}", "pk"): "design.Scenario"
        for name in (
            "scenario",
            "map_data",
            "districts",
            "edit",
            "locks",
            "optimise",
            "publish",
            "rollback",
            "copy",
            "delete",
            "reps",
        )
    },
    **{
        (f"quotas:{name}", "pk"): "quotas.QuotaPlan"
        for name in (
            "detail",
            "settings",
            "refresh",
            "publish",
            "new_version",
            "delete",
            "export",
        )
    },
    **{
        (f"visits:{name}", "rep_id"): "core.User"
        for name in (
            "week",
            "plan",
            "day",
            "route",
            "add",
            "from_here",
            "add_timely",
        )
    },
    ("visits:move", "pk"): "interactions.PlannedActivity",
    ("api:check_out", "key"): "visits.CheckIn",
    ("orders:detail", "pk"): "orders.Order",
    ("orders:action", "pk"): "orders.Order",
    ("orders:print", "pk"): "orders.Order",
    ("orders:pdf", "pk"): "orders.Order",
}
# Parameters that name nobody's data (reference data, codes): a valid value to walk with.
# Keyed by (URL name, parameter), or by the parameter alone for every URL.
PUBLIC_PARAMS: dict[tuple[str, str] | str, str] = {
    "ubigeo": "150101",
    "date": dt.date.today().isoformat(),
    "app_label": "customers",
    "url": "no-such-page/",
    # The JSON 404 for unknown paths under /api/.
    ("^api/(?P<rest>.*)$", "rest"): "no-such-endpoint",
}
# Pages anyone may open without signing in.
PUBLIC_PAGES = {
    "core:login",
    "set_language",
    "javascript-catalog",
    "api:openapi-json",
    "api:openapi-view",
    "api:health",
    "api:api-root",
    "pwa:service_worker",  # the installable app's files: code, no data
    "pwa:manifest",
    "^api/(?P<rest>.*)$",  # a JSON 404, nothing to read
}

# Query parameters list pages commonly filter by; the walk sets them to rows outside the scope.
PROBE_PARAMS: dict[str, type[Model]] = {"territory": Territory, "account": Account}

ROUTES = all_routes()


def param_kind(route: Route, param: str) -> type[Model] | str | None:
    """The model a URL parameter names, a public value for it, or None when unknown."""
    label = OBJECT_PARAMS.get((route.key, param))
    if label:
        return apps.get_model(label)
    public = PUBLIC_PARAMS.get((route.key, param), PUBLIC_PARAMS.get(param))
    if public is not None:
        return public
    return model_of_view(route, param) or model_by_convention(param)


def is_plain(route: Route) -> bool:
    return all(isinstance(param_kind(route, p), str) for p in route.params)


OBJECT_ROUTES = [r for r in ROUTES if not r.is_admin and not is_plain(r)]
PLAIN_ROUTES = [r for r in ROUTES if not r.is_admin and is_plain(r)]


def route_id(route: Route) -> str:
    return route.key


def unknown_param_message(route: Route, param: str) -> str:
    return (
        f"The scope walker cannot tell what parameter {param!r} of URL {route.key!r} "
        f"(/{route.text}) names. In rumbo/core/tests/test_scope_walk.py add the model whose id "
        f'it takes:\n    OBJECT_PARAMS[("{route.key}", "{param}")] = "<app_label>.<Model>"\n'
        f"or, if it names nobody's data (reference data, a code), a valid value:\n"
        f'    PUBLIC_PARAMS[("{route.key}", "{param}")] = "<value>"\n'
        "(A class-based view with `model`, or a parameter named <model>_id, needs no entry.)"
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(django_db_blocker) as built:
        yield built


def first_inside(model: type[Model], user: AnyUser) -> Model | None:
    return in_scope(model, user).order_by("pk").first()


def fill(route: Route, user: AnyUser) -> tuple[dict[str, Any], dict[str, type[Model]]]:
    """Values for every parameter (objects inside the scope where possible) and the object ones."""
    values: dict[str, Any] = {}
    objects: dict[str, type[Model]] = {}
    for param in route.params:
        kind = param_kind(route, param)
        if kind is None:
            pytest.fail(unknown_param_message(route, param))
        if isinstance(kind, str):
            values[param] = kind
            continue
        objects[param] = kind
        try:
            row = first_inside(kind, user) or next(iter(outside(kind, user)), None)
        except UnknownScope:
            pytest.fail(
                f"The walker does not know which rows of {kind._meta.label} a user may see "
                f"(URL {route.key!r}). Give the model a `visible_to(user)` queryset method, or "
                f"add a rule to SCOPES in rumbo/core/tests/walker.py."
            )
        values[param] = row.pk if row is not None else MISSING_ID
    return values, objects


def judge(
    client: Client,
    route: Route,
    method: str,
    response: HttpResponseBase,
    missing_url: str,
    pk: Any,
) -> str | None:
    """Why this answer to an out-of-scope id is wrong, or None when it is right."""
    status = response.status_code
    if status in (404, 405):
        return None
    if 200 <= status < 300 or status >= 500:
        return f"answered {status}"
    missing = call(client, method, missing_url, api=route.is_api)
    missing_place = missing.get("Location", "").replace(str(MISSING_ID), str(pk))
    same_place = response.get("Location", "") == missing_place
    if missing.status_code == status and same_place:
        return None  # refused for every id alike (sign in first, role not allowed, bad input)
    return f"answered {status} but {missing.status_code} for an id that does not exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=route_id)
def test_objects_outside_the_scope_answer_404_to_every_method_and_stay_unchanged(
    world: World, client: Client, route: Route, role: str
) -> None:
    user = sign_in(client, world, role)
    values, objects = fill(route, user)
    before = digest()
    problems = []
    for param, model in objects.items():
        rows = outside(model, user)
        assert rows, (
            f"The walk's world has no {model._meta.label} outside {role}'s scope: add rows of "
            "it to build_world() in rumbo/core/tests/walk_world.py, in both organisations."
        )
        for row in rows[: 1 if role == ANONYMOUS else 2]:
            url = route.url({**values, param: row.pk})
            missing_url = route.url({**values, param: MISSING_ID})
            for method in METHODS:
                response = call(client, method, url, api=route.is_api)
                why = judge(client, route, method, response, missing_url, row.pk)
                leaked = leaks(world, role, response)
                if why or leaked:
                    problems.append(f"{method} {url} ({model._meta.label} {row}): {why} {leaked}")
    assert not problems, f"{role} reached objects outside their scope:\n" + "\n".join(problems)
    assert changed_tables(before, digest()) == [], f"{role}'s requests changed the database"


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=route_id)
def test_objects_inside_the_scope_are_found_by_some_role(
    world: World, client: Client, route: Route
) -> None:
    """Guards the walk above against passing for the wrong reason (a parameter mapped to the
    wrong model would answer 404 to everything)."""
    answers = []
    for role in ROLES[:-1]:
        user = sign_in(client, world, role)
        values, objects = fill(route, user)
        if any(values[p] == MISSING_ID for p in objects):
            continue
        url = route.url(values)
        for method in METHODS:
            response = call(client, method, url, api=route.is_api)
            if response.status_code != 405:
                break
        assert response.status_code < 500, f"{method} {url} as {role} failed"
        if response.status_code != 404:
            return
        answers.append(f"{role}: {method} {url} → 404")
    pytest.fail(
        f"No role could open {route.key!r} with objects inside their scope; is the model of "
        f"its parameters right (OBJECT_PARAMS in this file)?\n" + "\n".join(answers)
    )


def probes(user: AnyUser) -> dict[str, Any]:
    """Filters a list page may take, set to rows outside the user's scope."""
    found = {name: outside(model, user) for name, model in PROBE_PARAMS.items()}
    return {name: rows[0].pk for name, rows in found.items() if rows}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=route_id)
def test_pages_without_objects_answer_every_role_without_error_or_leak(
    world: World, client: Client, route: Route, role: str
) -> None:
    """Asked plainly, as an HTMX partial, and filtered by objects outside the scope."""
    user = sign_in(client, world, role)
    values, _ = fill(route, user)
    url = route.url(values)
    problems = []
    for query, headers in (({}, {}), ({}, {"HX-Request": "true"}), (probes(user), {})):
        response = client.get(url, query, headers=headers)
        leaked = leaks(world, role, response)
        if response.status_code >= 500 or leaked:
            problems.append(f"GET {url} {query} {headers}: {response.status_code} {leaked}")
    assert not problems, f"{role} got an error or read outside their scope:\n" + "\n".join(problems)
    if role == ANONYMOUS and route.key not in PUBLIC_PAGES:
        response = client.get(url)
        location = response.get("Location", "")
        signed_out = response.status_code in (401, 405) or (
            response.status_code == 302 and location.startswith("/login/")
        )
        assert signed_out, (
            f"{route.key!r} answered {response.status_code} to an anonymous visitor instead of "
            "sending them to sign in; if it is meant to be public, add it to PUBLIC_PAGES."
        )


def test_the_walker_can_fill_every_url_parameter() -> None:
    unknown = [
        unknown_param_message(route, param)
        for route in ROUTES
        if not route.is_admin
        for param in route.params
        if param_kind(route, param) is None
    ]
    assert not unknown, "\n\n".join(unknown)


def test_each_role_has_words_it_must_not_read(world: World) -> None:
    """The leak checks above are only as good as these lists."""
    words = world.leaks
    assert "Bodega Don Lucho" in words["alicia"]
    assert "Bodega Don Lucho" not in words["bruno"]
    assert "Bodega Trujillana" in words["maria"]
    assert {"Bodega Rosita", "Market Surco", "Zona Reservada Andina"} <= set(words["otto"])
    assert "Tienda Ajena" in words["admin"] and "Tienda Ajena" in words["vera"]
    assert "Bodega Rosita" not in words["vera"]
    rosita_limit = f"{world.cast.accounts['alicia_1'].credit_limit:,.2f}"  # 4x,xxx.57
    assert rosita_limit in words["vera"] and rosita_limit not in words["admin"]
