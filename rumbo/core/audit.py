"""The audit trail: services call `record` when they change assignments, prices, targets, orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from rumbo.core.fastsql import Writes, insert
from rumbo.core.models import AuditEntry, User


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields`, for a later `changes_between`."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor: User | None,
    obj: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    writes: Writes | None = None,
) -> AuditEntry:
    """Keep who did what to `obj`; with `writes`, the entry is written with the rest of them."""
    org_id = organisation_id or getattr(obj, "organisation_id", None)
    if org_id is None:
        raise ValueError(f"Cannot audit {obj!r}: it has no organisation.")
    entry = AuditEntry(
        organisation_id=org_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
    )
    if writes is not None:
        writes.insert([entry])
    else:
        insert([entry])
    return entry
