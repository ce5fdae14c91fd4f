"""A fixed-window counter in the cache, used to slow down password guessing at the login."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.lower().encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def is_blocked(scope: str, *idents: str) -> bool:
    limit = settings.RUMBO_LOGIN_ATTEMPTS
    return any((cache.get(_key(scope, i)) or 0) >= limit for i in idents if i)


def hit(scope: str, *idents: str) -> None:
    window = settings.RUMBO_LOGIN_WINDOW_S
    for ident in idents:
        if not ident:
            continue
        key = _key(scope, ident)
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def reset(scope: str, *idents: str) -> None:
    cache.delete_many([_key(scope, i) for i in idents if i])
