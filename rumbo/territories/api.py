"""The territory tree over the API, scoped like the pages: a user sees their own subtrees."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.territories.models import Assignment, Territory, TerritoryQuerySet
from rumbo.territories.schemas import TerritoryOut, TerritoryQuery

router = Router(tags=["territories"])


def territories_for(user: User) -> TerritoryQuerySet:
    """The territories the user may see, tree order, with today's reps and managers."""
    current = Assignment.objects.active_on().select_related("user").order_by("valid_from", "pk")
    return (
        Territory.objects.visible_to(user)
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_assignments"))
        .order_by("path", "pk")
    )


@router.get("", response=list[TerritoryOut], summary="List territories")
@paginate(LimitOffset)
def list_territories(request: AuthedRequest, filters: Query[TerritoryQuery]) -> TerritoryQuerySet:
    """The caller's territories in tree order (parents before children)."""
    return filters.filter(territories_for(request.user))


@router.get(
    "/{territory_id}",
    response={200: TerritoryOut, 404: Error},
    summary="One territory",
)
def get_territory(request: AuthedRequest, territory_id: int) -> Territory:
    return get_object_or_404(territories_for(request.user), pk=territory_id)
