"""Accounts over the API, read through the same selectors as the account pages."""

from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate

from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.customers.models import Account, AccountQuerySet, Channel
from rumbo.customers.schemas import AccountDetailOut, AccountOut, AccountQuery
from rumbo.customers.selectors import AccountFilters, account_list
from rumbo.territories.models import Territory

router = Router(tags=["customers"])


def _filters(user: User, query: AccountQuery) -> AccountFilters | None:
    """The list filters of the query; None when a territory or channel matches nothing visible."""
    territory_path = ""
    if query.territory is not None:
        territories = Territory.objects.visible_to(user).filter(pk=query.territory)
        territory_path = territories.values_list("path", flat=True).first() or ""
        if not territory_path:
            return None
    channel_id = None
    if query.channel:
        channels = Channel.objects.filter(organisation_id=user.organisation_id, code=query.channel)
        channel_id = channels.values_list("pk", flat=True).first()
        if channel_id is None:
            return None
    ubigeo = query.ubigeo or ""
    return AccountFilters(
        text=query.q or "",
        territory_path=territory_path,
        channel_id=channel_id,
        status=query.status or "",
        ubigeo=ubigeo if len(ubigeo) == 6 else "",
    )


@router.get("", response=list[AccountOut], summary="List accounts")
@paginate(LimitOffset)
def list_accounts(request: AuthedRequest, query: Query[AccountQuery]) -> AccountQuerySet:
    """The accounts the caller may see, filtered and sorted like the account list page."""
    filters = _filters(request.user, query)
    if filters is None:
        return Account.objects.none()
    accounts = account_list(request.user, filters, sort=query.sort)
    if query.ubigeo and len(query.ubigeo) < 6:  # a departamento or provincia
        accounts = accounts.filter(distrito__ubigeo__startswith=query.ubigeo)
    return accounts


@router.get("/{account_id}", response={200: AccountDetailOut, 404: Error}, summary="One account")
def get_account(request: AuthedRequest, account_id: int) -> Account:
    """The account with its contacts; an account outside the caller's scope answers 404."""
    rows = account_list(request.user, AccountFilters()).prefetch_related("contacts")
    account = rows.filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account
