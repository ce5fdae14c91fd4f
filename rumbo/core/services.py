"""Writes of the core app: personal API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rumbo.core.models import ApiToken, User


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token; returns it with the secret, which is stored only as a hash."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def next_number(*, organisation_id: int, name: str, count: int = 1) -> int:
    """Reserve `count` numbers of a sequence; returns the first. Call inside a transaction."""
    from django.db import IntegrityError

    from rumbo.core.models import Counter

    rows = Counter.objects.select_for_update()
    counter = rows.filter(organisation_id=organisation_id, name=name).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = Counter.objects.create(organisation_id=organisation_id, name=name)
        except IntegrityError:  # another transaction created it first
            counter = rows.get(organisation_id=organisation_id, name=name)
    first = counter.value + 1
    counter.value += count
    counter.save(update_fields=["value"])
    return first
