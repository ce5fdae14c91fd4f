"""Tickets, campaigns and the account timeline over the API, through the same services and
selectors as the pages, scoped alike (outside the caller's scope: 404)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.customers.models import Account, Channel
from rumbo.interactions import campaigns, selectors, services
from rumbo.interactions.models import Campaign, Ticket, TicketQuerySet
from rumbo.interactions.schemas import (
    CampaignIn,
    CampaignOut,
    TicketCloseIn,
    TicketIn,
    TicketOut,
    TicketQuery,
    TimelineOut,
)
from rumbo.interactions.timeline import TEAM_CODES, TYPE_CODES, TimelineFilters, timeline
from rumbo.territories.models import Territory

tickets_router = Router(tags=["tickets"])
campaigns_router = Router(tags=["campaigns"])
timeline_router = Router(tags=["timeline"])


def _account(user: User, account_id: int) -> Account:
    return get_object_or_404(Account.objects.visible_to(user), pk=account_id)


def _person(user: User, person_id: int | None) -> User | None:
    if person_id is None:
        return None
    found = User.objects.filter(organisation_id=user.organisation_id, pk=person_id).first()
    if found is None:
        raise ValidationError({"assigned_to": _("No person of your organisation has this id.")})
    return found


def _tickets(user: User) -> TicketQuerySet:
    return Ticket.objects.visible_to(user).select_related(
        "account", "assigned_to", "opened_by", "closed_by"
    )


@tickets_router.get("", response=list[TicketOut], summary="List tickets")
@paginate(LimitOffset)
def list_tickets(request: AuthedRequest, query: Query[TicketQuery]) -> TicketQuerySet:
    """The tickets of the accounts the caller sees, newest first."""
    rows = _tickets(request.user)
    if query.status:
        rows = rows.filter(status=query.status)
    if query.priority:
        rows = rows.filter(priority=query.priority)
    if query.account is not None:
        rows = rows.filter(account_id=query.account)
    if query.assigned_to_me:
        rows = rows.filter(assigned_to=request.user)
    return rows.order_by("-opened_at", "-pk")


@tickets_router.get("/{ticket_id}", response={200: TicketOut, 404: Error}, summary="One ticket")
def get_ticket(request: AuthedRequest, ticket_id: int) -> Ticket:
    return get_object_or_404(_tickets(request.user), pk=ticket_id)


@tickets_router.post("", response={201: TicketOut, 400: Error, 404: Error}, summary="Open a ticket")
def create_ticket(request: AuthedRequest, payload: TicketIn) -> tuple[int, Ticket]:
    """Open a ticket on an account the caller sees (any role, viewers of service included)."""
    account = _account(request.user, payload.account)
    data = payload.dict(exclude={"account", "assigned_to"})
    data["received_via"] = data["received_via"] or ""
    ticket = services.open_ticket(
        account=account, actor=request.user, assigned_to=_person(request.user, payload.assigned_to),
        **data,
    )  # fmt: skip
    return 201, get_object_or_404(_tickets(request.user), pk=ticket.pk)


@tickets_router.post(
    "/{ticket_id}/close",
    response={200: TicketOut, 400: Error, 404: Error},
    summary="Close a ticket",
)
def close_ticket(request: AuthedRequest, ticket_id: int, payload: TicketCloseIn) -> Ticket:
    ticket = get_object_or_404(_tickets(request.user), pk=ticket_id)
    services.close_ticket(
        ticket=ticket, actor=request.user, resolution=payload.resolution,
        follow_up_on=payload.follow_up_on,
    )  # fmt: skip
    return get_object_or_404(_tickets(request.user), pk=ticket.pk)


def _campaigns(user: User) -> QuerySet[Campaign]:
    return selectors.campaign_list(user).prefetch_related(
        "audience_channels", "audience_territories"
    )


@campaigns_router.get("", response=list[CampaignOut], summary="List campaigns")
@paginate(LimitOffset)
def list_campaigns(request: AuthedRequest) -> QuerySet[Campaign]:
    return _campaigns(request.user)


@campaigns_router.get(
    "/{campaign_id}", response={200: CampaignOut, 404: Error}, summary="One campaign"
)
def get_campaign(request: AuthedRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(_campaigns(request.user), pk=campaign_id)


def _audience_rows(user: User, payload: CampaignIn) -> tuple[list[Channel], list[Territory]]:
    channels = list(Channel.objects.filter(organisation_id=user.organisation_id,
                                           code__in=payload.channels))  # fmt: skip
    if len(channels) != len(set(payload.channels)):
        raise ValidationError({"channels": _("Some channel codes are unknown.")})
    territories = list(Territory.objects.visible_to(user).filter(pk__in=payload.territories))
    if len(territories) != len(set(payload.territories)):
        raise ValidationError({"territories": _("Some territories are unknown or not yours.")})
    return channels, territories


@campaigns_router.post(
    "", response={201: CampaignOut, 400: Error, 403: Error}, summary="Create a campaign"
)
def create_campaign(request: AuthedRequest, payload: CampaignIn) -> tuple[int, Campaign]:
    """Administrators, managers and the marketing team create campaigns; with
    `build_audience` the touches are planned at once, through the contact guard."""
    user = request.user
    if not campaigns.may_run_campaigns(user):
        raise PermissionDenied(_("Only administrators, managers and marketing run campaigns."))
    channels, territories = _audience_rows(user, payload)
    fields: dict[str, Any] = payload.dict(
        exclude={"channels", "territories", "places", "build_audience"}
    )
    campaign = campaigns.create_campaign(
        organisation=user.organisation, actor=user, channels=channels, territories=territories,
        audience_ubigeos=payload.places, team=user.team if user.team != "sales" else "marketing",
        **fields,
    )  # fmt: skip
    if payload.build_audience:
        campaigns.build_audience(campaign=campaign, actor=user)
    return 201, get_object_or_404(_campaigns(user), pk=campaign.pk)


@timeline_router.get(
    "/accounts/{account_id}/timeline",
    response={200: TimelineOut, 404: Error},
    summary="An account's timeline",
)
def account_timeline(
    request: AuthedRequest, account_id: int, page: int = 1, team: str = "", type: str = ""
) -> dict[str, Any] | HttpResponse:
    """Everything that happened with the account, newest first, 25 a page; `team` and `type`
    take comma-separated codes (sales, marketing, service; order, visit, call, email,
    whatsapp, ticket, campaign, note)."""
    account = _account(request.user, account_id)
    filters = TimelineFilters(
        frozenset(t for t in team.split(",") if t in TEAM_CODES),
        frozenset(t for t in type.split(",") if t in TYPE_CODES),
    )
    found = timeline(request.user, account, filters, page)
    if page > found.paginator.num_pages > 0:
        raise Http404
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "entries": [
            {"source": e.source, "id": e.pk, "day": e.day, "at": e.at, "type": e.kind,
             "type_label": str(e.kind_label), "team": e.team, "who": e.who, "title": e.title,
             "outcome": str(e.outcome), "detail": e.detail, "amount": e.amount}
            for e in found.object_list
        ],
    }  # fmt: skip
