"""Machinery of the scope walker (test_scope_walk*.py): every URL pattern of the project, which
model each URL parameter names, which rows each user may see, how to send each method, and a
digest of the database to prove nothing was written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from rumbo.core.models import ApiToken, AuditEntry, Job, Organisation, Role, User
from rumbo.customers.models import Account, Contact
from rumbo.territories.scoping import scope_for

AnyUser = User | AnonymousUser
PROJECT_APPS = "rumbo."
ANONYMOUS = "anonymous"
# Every role of the cast, the other organisation's users, and someone not signed in.
ROLES = ["admin", "maria", "alicia", "bruno", "vera", "otto", "olga", ANONYMOUS]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
MISSING_ID = 987_654_321  # an id no row has


# ----- the URL patterns -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern, as the chain of patterns from the root URLconf down to it."""

    name: str | None
    namespace: str
    patterns: tuple[Any, ...]
    callback: Callable[..., Any]

    @property
    def text(self) -> str:
        return "".join(str(p) for p in self.patterns)

    @property
    def key(self) -> str:
        return self.name or self.text

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(_names(self.text))

    @property
    def is_admin(self) -> bool:
        return self.namespace.split(":")[0] == "admin"

    @property
    def is_api(self) -> bool:
        return self.namespace.split(":")[0] == "api"

    def url(self, values: dict[str, Any]) -> str:
        return "/" + "".join(_fill(p, values) for p in self.patterns)


def _names(text: str) -> list[str]:
    found = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", text)
    return [a or b for a, b in found]


def _fill(pattern: Any, values: dict[str, Any]) -> str:
    """The pattern's text with its parameters (path converters or regex groups) filled in."""
    text = str(pattern)
    if not isinstance(pattern, RegexPattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), text)
    text = text.removeprefix("^").removesuffix("$")
    while (start := text.find("(?P<")) >= 0:
        name = text[start + 4 : text.index(">", start)]
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        text = text[:start] + str(values[name]) + text[end + 1 :]
    return text.replace("\\", "")


def all_routes() -> list[Route]:
    """Every URL pattern of the project, once per distinct pattern text."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver(), (), ""):
        seen.setdefault(route.text, route)
    return list(seen.values())


def _walk(resolver: URLResolver, chain: tuple[Any, ...], namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _walk(entry, (*chain, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name, namespace, (*chain, entry.pattern), entry.callback)


# ----- which model a URL parameter names ---------------------------------------------------


def project_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith(PROJECT_APPS)]


def model_of_view(route: Route, param: str) -> type[Model] | None:
    """`model` or `queryset` of a class-based view, for its pk/slug parameter."""
    view_class = getattr(route.callback, "view_class", None)
    if view_class is None or param not in {
        getattr(view_class, "pk_url_kwarg", "pk"),
        getattr(view_class, "slug_url_kwarg", "slug"),
    }:
        return None
    if getattr(view_class, "model", None) is not None:
        return view_class.model
    queryset = getattr(view_class, "queryset", None)
    return queryset.model if queryset is not None else None


def model_by_convention(param: str) -> type[Model] | None:
    """`account_id` or `account_pk` names an Account, when only one project model has that name."""
    match = re.fullmatch(r"(\w+?)_(id|pk)", param)
    if not match:
        return None
    found = [m for m in project_models() if m._meta.model_name == match.group(1).replace("_", "")]
    return found[0] if len(found) == 1 else None


# ----- what a user may see ------------------------------------------------------------------


def _own_jobs(user: AnyUser) -> QuerySet[Any]:
    if not isinstance(user, User):
        return Job.objects.none()
    jobs = Job.objects.filter(organisation_id=user.organisation_id)
    return jobs if user.role == Role.ADMIN else jobs.filter(user=user)


def _scoped_users(user: AnyUser) -> QuerySet[Any]:
    scope = scope_for(user)
    if scope.organisation_id is None:
        return User.objects.none()
    users = User.objects.filter(organisation_id=scope.organisation_id)
    return users if scope.user_ids is None else users.filter(pk__in=scope.user_ids)


def _admin_only(model: type[Model]) -> Callable[[AnyUser], QuerySet[Any]]:
    def rule(user: AnyUser) -> QuerySet[Any]:
        rows = model._default_manager.all()
        if isinstance(user, User) and user.role == Role.ADMIN:
            return rows.filter(organisation_id=user.organisation_id)
        return rows.none()

    return rule


# Models without `visible_to`, or narrower than their organisation: the rows a user may see.
SCOPES: dict[str, Callable[[AnyUser], QuerySet[Any]]] = {
    "core.Organisation": lambda u: (
        Organisation.objects.filter(pk=u.organisation_id)
        if isinstance(u, User)
        else Organisation.objects.none()
    ),
    "core.User": _scoped_users,
    "core.ApiToken": lambda u: (
        ApiToken.objects.filter(user=u) if isinstance(u, User) else ApiToken.objects.none()
    ),
    "core.Job": _own_jobs,
    "core.AuditEntry": _admin_only(AuditEntry),
    "customers.Contact": lambda u: Contact.objects.filter(
        account__in=Account.objects.visible_to(u)
    ),
}


class UnknownScope(LookupError):
    pass


def in_scope(model: type[Model], user: AnyUser) -> QuerySet[Any]:
    """The rows of `model` the user may read, by SCOPES, `visible_to` or the organisation."""
    label = model._meta.label
    if label in SCOPES:
        return SCOPES[label](user)
    manager: Any = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    lookup = organisation_lookup(model)
    if lookup is None:
        raise UnknownScope(label)
    return manager.filter(**{lookup: getattr(user, "organisation_id", None)})


def organisation_lookup(model: type[Model]) -> str | None:
    """The lookup from a row to its organisation's id, following at most one foreign key."""
    if model is Organisation:
        return "pk"
    names = {f.name: f for f in model._meta.get_fields()}
    if "organisation" in names:
        return "organisation_id"
    for f in model._meta.get_fields():
        related = getattr(f, "related_model", None)
        if (
            f.many_to_one
            and related is not None
            and related is not model
            and any(g.name == "organisation" for g in related._meta.get_fields())
        ):
            return f"{f.name}__organisation_id"
    return None


def outside(model: type[Model], user: AnyUser) -> list[Model]:
    """Rows the user may not see: one of their own organisation's and one of another's."""
    rows = model._default_manager.exclude(pk__in=in_scope(model, user).values("pk")).order_by("pk")
    org_id = getattr(user, "organisation_id", None)
    lookup = organisation_lookup(model)
    if org_id is None or lookup is None:
        return [r for r in (rows.first(),) if r is not None]
    picks = [rows.filter(**{lookup: org_id}).first(), rows.exclude(**{lookup: org_id}).first()]
    return [r for r in picks if r is not None]


# ----- proof that nothing was written -------------------------------------------------------

DIGEST_SKIP = {"geo", "sessions"}


def digest() -> dict[str, str]:
    """A hash of every row of every table (but the static geography and the sessions)."""
    out = {}
    for model in apps.get_models():
        if model._meta.app_label in DIGEST_SKIP or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        out[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def call(client: Client, method: str, url: str, *, api: bool) -> HttpResponseBase:
    """One request; unsafe ones carry an empty form (pages) or an empty JSON object (API)."""
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    if method == "POST" and not api:
        return client.post(url, {})
    send = getattr(client, method.lower())
    return send(url, data="{}", content_type="application/json")
