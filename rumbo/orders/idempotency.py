"""Writing an order exactly once per client key (`Idempotency-Key`), however often it is sent.

The key, a fingerprint of the request and the response are stored with the order, in the same
transaction. A second request with the key gets the stored response if its body is the same,
and is refused if not. Two requests with one key at the same moment: the order's unique key
makes the second wait for the first to commit and then fail, and it answers with the first's
response. A request the rules refuse stores nothing, so the same key may be sent again once
the order is fixed (the client keeps one key per order it means to write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection

from rumbo.core.fastsql import Writes, columns, select
from rumbo.core.models import User
from rumbo.orders.models import IdempotencyKey, Order
from rumbo.orders.services import create_order


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: str  # the JSON, byte for byte
    order_id: int | None


class KeyReused(Exception):
    """The key belongs to another request (another body, or another user)."""


def fingerprint(method: str, path: str, payload: Any) -> str:
    """A hash of the request as the client meant it: the JSON's content, not its spacing."""
    canonical = json.dumps([method, path, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_response(*, key: uuid.UUID, user: User, fingerprint: str) -> Stored | None:
    """The response kept for the key, None for a new key; KeyReused for another request's."""
    # In SQL of our own: every order asks, and the ORM's query costs more CPU than its run.
    value = IdempotencyKey._meta.get_field("key").get_db_prep_value(key, connection)
    rows = select(
        f"SELECT {columns(IdempotencyKey, 'k')} FROM orders_idempotencykey k "
        f"WHERE {connection.ops.quote_name('key')} = %s",
        [value],
        IdempotencyKey,
    )
    if not rows:
        return None
    found = rows[0][0]
    if found.user_id != user.pk or found.fingerprint != fingerprint:
        raise KeyReused
    return Stored(found.status_code, found.response, found.order_id)


def create_order_once(
    *,
    key: uuid.UUID,
    user: User,
    fingerprint: str,
    respond: Callable[[Order], str],
    **order: Any,
) -> tuple[Stored, bool]:
    """Write the order unless the key already wrote one; returns the response and whether it
    is a replay. Raises OrderRefused (nothing stored) or KeyReused. The caller looks the key up
    first (stored_response); this settles the race of two requests with one key."""
    kept: list[Stored] = []

    def remember(created: Order, writes: Writes) -> None:
        body = respond(created)
        writes.insert([IdempotencyKey(
            key=key, organisation_id=user.organisation_id, user=user, fingerprint=fingerprint,
            status_code=201, response=body, order=created,
        )])  # fmt: skip
        kept.append(Stored(201, body, created.pk))

    try:
        create_order(actor=user, idempotency_key=key, on_created=remember, **order)
    except IntegrityError:
        found = stored_response(key=key, user=user, fingerprint=fingerprint)
        if found is not None:  # the same request, committed a moment earlier
            return found, True
        if Order.objects.filter(idempotency_key=key).exists():
            raise KeyReused from None
        raise
    return kept[0], False


def prune(*, before: dt.datetime) -> int:
    """Delete the stored responses of keys used before that moment; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=before).delete()
    return deleted
