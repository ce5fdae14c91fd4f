"""Prospects over the API: list, read and create them in the caller's scope."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.customers.models import Channel
from rumbo.geo.models import Distrito
from rumbo.prospects import services
from rumbo.prospects.models import Prospect, ProspectQuerySet
from rumbo.prospects.schemas import ProspectIn, ProspectOut, ProspectQuery
from rumbo.prospects.selectors import ProspectFilters, prospect_list
from rumbo.territories.models import Territory

router = Router(tags=["prospects"])


def _rows(user: User) -> ProspectQuerySet:
    return prospect_list(user, ProspectFilters())


@router.get("", response=list[ProspectOut], summary="List prospects")
@paginate(LimitOffset)
def list_prospects(request: AuthedRequest, query: Query[ProspectQuery]) -> ProspectQuerySet:
    """The prospects the caller sees, best score first."""
    filters = ProspectFilters(
        text=query.q or "",
        status="open" if query.open else (query.status or ""),
        owner_id=query.owner,
        ubigeo=query.ubigeo or "",
    )
    return prospect_list(request.user, filters)


@router.get("/{prospect_id}", response={200: ProspectOut, 404: Error}, summary="One prospect")
def get_prospect(request: AuthedRequest, prospect_id: int) -> Prospect:
    return get_object_or_404(_rows(request.user), pk=prospect_id)


def _references(user: User, payload: ProspectIn) -> dict[str, object]:
    found: dict[str, object] = {}
    found["distrito"] = Distrito.objects.filter(pk=payload.ubigeo).first()
    if found["distrito"] is None:
        raise ValidationError({"ubigeo": _("No district has this ubigeo.")})
    found["channel"] = Channel.objects.filter(
        organisation_id=user.organisation_id, code=payload.channel
    ).first()
    if found["channel"] is None:
        raise ValidationError({"channel": _("No channel has this code.")})
    found["owner"] = None
    if payload.owner is not None:
        found["owner"] = User.objects.filter(
            organisation_id=user.organisation_id, pk=payload.owner
        ).first()
        if found["owner"] is None:
            raise ValidationError({"owner": _("No person of your organisation has this id.")})
    found["territory"] = None
    if payload.territory is not None:
        found["territory"] = Territory.objects.visible_to(user).filter(pk=payload.territory).first()
        if found["territory"] is None:
            raise ValidationError({"territory": _("This territory is unknown or not yours.")})
    return found


@router.post("", response={201: ProspectOut, 400: Error, 403: Error}, summary="Create a prospect")
def create_prospect(request: AuthedRequest, payload: ProspectIn) -> tuple[int, Prospect]:
    """A new lead; it is scored at once (see score and score_factors)."""
    user = request.user
    refs = _references(user, payload)
    fields = payload.dict(exclude={"ubigeo", "channel", "owner", "territory", "lat", "lon"})
    prospect = services.create_prospect(
        organisation=user.organisation, actor=user, lat=payload.lat, lon=payload.lon,
        **refs, **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    return 201, get_object_or_404(_rows(user), pk=prospect.pk)
