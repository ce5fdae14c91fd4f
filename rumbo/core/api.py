"""API endpoints of the core app: health, who am I, and the caller's own API tokens."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from rumbo.core.http import AuthedRequest
from rumbo.core.models import ApiToken
from rumbo.core.schemas import Error
from rumbo.core.services import revoke_api_token

router = Router(tags=["core"])


class Health(Schema):
    status: str
    database: str


class Me(Schema):
    id: int
    username: str
    name: str
    role: str
    team: str
    organisation: str
    sees_amounts: bool


class TokenOut(Schema):
    """A personal token as listed: its name and first characters, never the secret."""

    id: int
    name: str
    key_prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@router.get("/health", response=Health, auth=None, summary="Is the server up?")
def health(request: HttpRequest) -> Health:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Health(status="ok", database=connection.vendor)


@router.get("/me", response=Me, summary="The signed-in user and their role")
def me(request: AuthedRequest) -> Me:
    user = request.user
    return Me(
        id=user.pk,
        username=user.username,
        name=user.get_full_name() or user.username,
        role=user.role,
        team=user.team,
        organisation=user.organisation.name,
        sees_amounts=user.sees_amounts,
    )


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def list_tokens(request: AuthedRequest) -> list[ApiToken]:
    """The caller's own tokens, newest first; tokens are made on the profile page."""
    return list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 404: Error},
    summary="Revoke one of my API tokens",
)
def revoke_token(request: AuthedRequest, token_id: int) -> tuple[int, None]:
    """Revoke a token of the caller's; anyone else's token answers 404."""
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    revoke_api_token(token=token)
    return 204, None
