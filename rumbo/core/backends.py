"""Django's model backend, loading the user's organisation with the user (one query per request)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from rumbo.core.models import User


class RumboBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
