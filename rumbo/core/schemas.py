"""API pieces every router shares: the error body, a person reference and the page of a list."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from rumbo.core.models import User

MAX_PAGE = 500


class Error(Schema):
    """Every 4xx answer: a sentence (401, 403, 404) or a list of field errors (422)."""

    detail: Any


class PersonRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name() or obj.username


class LimitOffset(LimitOffsetPagination):
    """`?limit=&offset=` with the total `count`; at most 500 rows a page."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE, description="Rows in this page (1–500).")
        offset: int = Field(0, ge=0, description="Rows to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
