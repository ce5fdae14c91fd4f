"""The REST API at /api: one router per app, session or token auth, OpenAPI at /api/docs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from rumbo.core.fastsql import columns, select
from rumbo.core.models import ApiToken, User


def _user_for_token(token: str) -> User | None:
    """The active user of an unrevoked token. In SQL of our own: every API request asks, and
    the ORM's query costs more CPU than its run."""
    found = select(
        f"SELECT {columns(ApiToken, 't')}, {columns(User, 'u')} FROM core_apitoken t "
        "JOIN core_user u ON u.id = t.user_id WHERE t.key_hash = %s AND t.revoked_at IS NULL",
        [ApiToken.hash_key(token)],
        ApiToken,
        User,
    )
    if not found or not found[0][1].is_active:
        return None
    row, user = found[0]
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer rmb_…`, a personal token made on the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = _user_for_token(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    """`X-API-Key: rmb_…`, for tools that cannot send a bearer header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = _user_for_token(key) if key else None
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Rumbo API",
    version="1",
    description=(
        "Sales territory management. Every list and detail is scoped to what the caller's role "
        "may see; anything outside that scope answers 404."
    ),
    # Tokens first: the session check rejects unsafe requests without a CSRF token, which would
    # stop a token-authenticated POST before its token was even looked at.
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(Http404)
def http_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(request, 401, _("Sign in or send a valid API token."))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, detail)


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, exc.errors)


def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    """Paths under /api/ that match no endpoint answer JSON, like the endpoints do."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


def register_routers() -> None:
    from rumbo.catalog.api import offline_router as catalog_offline_router
    from rumbo.catalog.api import router as catalog_router
    from rumbo.core.api import router as core_router
    from rumbo.customers.api import router as customers_router
    from rumbo.interactions.api import campaigns_router, tickets_router, timeline_router
    from rumbo.orders.api import router as orders_router
    from rumbo.prospects.api import router as prospects_router
    from rumbo.team.api import router as team_router
    from rumbo.territories.api import router as territories_router
    from rumbo.visits.api import router as visits_router

    api.add_router("/", core_router)
    api.add_router("/accounts", customers_router)
    api.add_router("/territories", territories_router)
    api.add_router("/reps", team_router)
    api.add_router("/products", catalog_router)
    api.add_router("/", catalog_offline_router)
    api.add_router("/orders", orders_router)
    api.add_router("/tickets", tickets_router)
    api.add_router("/campaigns", campaigns_router)
    api.add_router("/", timeline_router)
    api.add_router("/visits", visits_router)
    api.add_router("/prospects", prospects_router)


register_routers()
