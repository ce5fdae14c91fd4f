"""API endpoints of the core app: health and who am I."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from rumbo.core.http import AuthedRequest

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
