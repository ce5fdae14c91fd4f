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
from django.db.models import Q, QuerySet

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


def _subtree_ids(user: User, org_id: int, *, role: str) -> set[int]:
    from rumbo.territories.models import Assignment, Territory

    roots = (
        Assignment.objects.active_on()
        .filter(user=user, role=role, territory__organisation_id=org_id)
        .values_list("territory__path", flat=True)
    )
    paths = list(roots)
    if not paths:
        return set()
    prefix = Q()
    for path in paths:
        prefix |= Q(path__startswith=path)
    return set(
        Territory.objects.filter(prefix, organisation_id=org_id).values_list("pk", flat=True)
    )


def _users_covering(territory_ids: set[int]) -> set[int]:
    from rumbo.territories.models import Assignment

    if not territory_ids:
        return set()
    return set(
        Assignment.objects.active_on()
        .filter(territory_id__in=territory_ids)
        .values_list("user_id", flat=True)
    )


def _reports_of(user: User, org_id: int) -> set[int]:
    from rumbo.core.models import User as UserModel

    return set(
        UserModel.objects.filter(manager=user, organisation_id=org_id).values_list("pk", flat=True)
    )
