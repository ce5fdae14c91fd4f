"""What a user may see: the one place that turns a role into a set of territories and reps.

- admin: the whole organisation;
- manager: the subtrees of the territories they manage now, and the reps who work there or
  report to them;
- rep: the territories assigned to them now (with their subtrees), and only themselves;
- viewer (marketing, service): every territory and rep of the organisation, read-only; the
  querysets of amounts (orders, targets) narrow this further.

Every `visible_to(user)` queryset method starts here. The scope is computed once per user object,
which Django creates afresh for each request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from rumbo.core.models import Role

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser, User

_CACHE_ATTR = "_rumbo_scope"
QS = TypeVar("QS", bound="QuerySet[Any]")


@dataclass(frozen=True)
class Scope:
    organisation_id: int | None
    role: str
    # None means "all of the organisation"; an empty set means nothing.
    territory_ids: frozenset[int] | None
    user_ids: frozenset[int] | None

    @property
    def is_everything(self) -> bool:
        return self.territory_ids is None

    def covers(self, organisation_id: int, territory_id: int | None) -> bool:
        """Whether `restrict(..., territory=...)` keeps one row in hand, from its territory."""
        if self.organisation_id is None or organisation_id != self.organisation_id:
            return False
        if self.territory_ids is None:
            return True
        return territory_id is not None and territory_id in self.territory_ids


NOTHING = Scope(organisation_id=None, role="", territory_ids=frozenset(), user_ids=frozenset())


def scope_for(user: AnyUser) -> Scope:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def restrict(
    qs: QS,
    user: AnyUser,
    *,
    territory: str | None = None,
    person: str | None = None,
    organisation: str = "organisation_id",
) -> QS:
    """Narrow `qs` to the user's organisation, then to rows whose `territory` lookup is in the
    user's territories or whose `person` lookup is one of the user's visible reps. Without
    either lookup the rows are shared by the whole organisation."""
    scope = scope_for(user)
    if scope.organisation_id is None:
        return qs.none()
    qs = qs.filter(**{organisation: scope.organisation_id})
    if scope.is_everything or (territory is None and person is None):
        return qs
    allowed = Q(pk__in=[])
    if territory is not None:
        allowed |= Q(**{f"{territory}__in": scope.territory_ids})
    if person is not None:
        allowed |= Q(**{f"{person}__in": scope.user_ids})
    return qs.filter(allowed)


def forget_scope(user: AnyUser) -> None:
    """Drop a cached scope, after the user's assignments changed within one request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute(user: AnyUser) -> Scope:
    if isinstance(user, AnonymousUser) or not user.is_active:
        return NOTHING
    org_id = user.organisation_id
    if user.role in (Role.ADMIN, Role.VIEWER):
        return Scope(org_id, user.role, None, None)
    if user.role == Role.MANAGER:
        territory_ids = _subtree_ids(user, org_id, role="manager")
        user_ids = _users_covering(territory_ids) | _reports_of(user, org_id) | {user.pk}
        return Scope(org_id, user.role, frozenset(territory_ids), frozenset(user_ids))
    if user.role == Role.REP:
        territory_ids = _subtree_ids(user, org_id, role="rep")
        return Scope(org_id, user.role, frozenset(territory_ids), frozenset({user.pk}))
    return NOTHING


# The scope is computed on every request, so its queries are in SQL of our own: the ORM's query
# costs more CPU than its run.


def _ids(sql: str, params: list[Any]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _active(alias: str) -> tuple[str, list[Any]]:
    """Assignment.objects.active_on() for today, in SQL."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    sql = f"{alias}.valid_from <= %s AND ({alias}.valid_to IS NULL OR {alias}.valid_to > %s)"
    return sql, [today, today]


def _subtree_ids(user: User, org_id: int, *, role: str) -> set[int]:
    """The territories under (and including) those the user covers today in `role`."""
    active, params = _active("a")
    return _ids(
        "SELECT t.id FROM territories_territory t WHERE t.organisation_id = %s AND EXISTS ("
        "SELECT 1 FROM territories_assignment a JOIN territories_territory r "
        "ON r.id = a.territory_id WHERE a.user_id = %s AND a.role = %s "
        f"AND r.organisation_id = %s AND {active} AND t.path LIKE r.path || '%%')",
        [org_id, user.pk, role, org_id, *params],
    )


def _users_covering(territory_ids: set[int]) -> set[int]:
    if not territory_ids:
        return set()
    active, params = _active("a")
    marks = ", ".join(["%s"] * len(territory_ids))
    return _ids(
        f"SELECT DISTINCT a.user_id FROM territories_assignment a "
        f"WHERE a.territory_id IN ({marks}) AND {active}",
        [*territory_ids, *params],
    )


def _reports_of(user: User, org_id: int) -> set[int]:
    return _ids(
        "SELECT id FROM core_user WHERE manager_id = %s AND organisation_id = %s",
        [user.pk, org_id],
    )
