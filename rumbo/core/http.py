"""The request type of signed-in views, for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from rumbo.core.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
