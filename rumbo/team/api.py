"""The field team over the API: the reps the caller may see (a manager's own, a rep themself)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.team.models import Rep, RepQuerySet
from rumbo.team.schemas import RepOut, RepQuery
from rumbo.territories.models import Assignment, AssignmentRole, Territory

router = Router(tags=["team"])


def reps_for(user: User) -> RepQuerySet:
    """The reps the user may see, by name, with the visible territories they cover today."""
    covering = (
        Assignment.objects.active_on()
        .filter(role=AssignmentRole.REP, territory__in=Territory.objects.visible_to(user))
        .select_related("territory")
        .order_by("territory__path", "pk")
    )
    return (
        Rep.objects.visible_to(user)
        .select_related("user", "home_distrito")
        .prefetch_related(
            Prefetch("user__assignments", queryset=covering, to_attr="current_rep_assignments")
        )
        .order_by("user__first_name", "user__last_name", "pk")
    )


@router.get("", response=list[RepOut], summary="List reps")
@paginate(LimitOffset)
def list_reps(request: AuthedRequest, filters: Query[RepQuery]) -> RepQuerySet:
    return filters.filter(reps_for(request.user))


@router.get("/{rep_id}", response={200: RepOut, 404: Error}, summary="One rep")
def get_rep(request: AuthedRequest, rep_id: int) -> Rep:
    return get_object_or_404(reps_for(request.user), pk=rep_id)
