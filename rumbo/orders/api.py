"""Orders over the API: write one exactly once per `Idempotency-Key`, list and read them in the
caller's scope, move them through their life, and fetch what the order form keeps offline.

The server computes every price: a line carrying a price is refused (422). An order the rules
refuse answers 400 with a code per problem and stores nothing.
"""

import json
import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from rumbo.catalog.api import etag_json
from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.core.http import AuthedRequest
from rumbo.core.models import User
from rumbo.core.schemas import Error, LimitOffset
from rumbo.orders import form_data
from rumbo.orders.form_schemas import (
    OrderAccountsOut,
    OrderAccountsQuery,
    RulesOut,
    SuggestionsOut,
    SuggestionsQuery,
)
from rumbo.orders.idempotency import (
    KeyReused,
    Stored,
    create_order_once,
    fingerprint,
    stored_response,
)
from rumbo.orders.lifecycle import perform
from rumbo.orders.models import Order, OrderQuerySet, OrderStatus
from rumbo.orders.pricing import LineInput
from rumbo.orders.rules import OrderRefused, Problem
from rumbo.orders.schemas import (
    ActionIn,
    OrderDetailOut,
    OrderError,
    OrderIn,
    OrderOut,
    OrderQuery,
    order_detail_data,
)
from rumbo.orders.selectors import OrderFilters, order_detail, order_list

router = Router(tags=["orders"])
MAX_BULK_SUGGESTIONS = 1000
KEY_HEADER = "Idempotency-Key"


def _writer(user: User) -> None:
    if not form_data.may_write_orders(user):
        raise PermissionDenied(_("Your role does not write orders."))


def _refused(problems: list[Problem], status: int = 400) -> JsonResponse:
    body = {
        "detail": " ".join(p.message for p in problems),
        "code": problems[0].code,
        "problems": [p.as_dict() for p in problems],
    }
    return JsonResponse(body, status=status)


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _detail_json(request: AuthedRequest, order: Order) -> str:
    """The order as GET /api/orders/{id} renders it, to store and replay byte for byte."""
    data = order_detail_data(order, sees_amounts=request.user.sees_amounts)
    return json.dumps(data, cls=NinjaJSONEncoder)


def _lines(catalogue: Catalogue, payload: OrderIn) -> tuple[list[LineInput], list[Problem]]:
    """The lines with their products, and a problem per line naming an unknown product."""
    found = catalogue.products({line.product for line in payload.lines})
    lines, problems = [], []
    for n, line in enumerate(payload.lines, start=1):
        if line.product in found:
            lines.append(LineInput(found[line.product], line.quantity, line.discount_pct))
        else:
            message = _("Line %(n)s: unknown product %(id)s.") % {"n": n, "id": line.product}
            problems.append(Problem("unknown_product", message, n, line.product))
    return lines, problems


def _account_problem() -> Problem:
    return Problem(
        "account",
        _("You cannot write orders for this account: it is unknown, lost, or not in your "
          "territories (any more)."),
    )  # fmt: skip


def _replay(stored: Stored, replayed: bool) -> HttpResponse:
    response = HttpResponse(stored.body, status=stored.status_code, content_type="application/json")
    if stored.order_id is not None:
        response["Location"] = f"/api/orders/{stored.order_id}"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "",
    response={201: OrderDetailOut, 400: OrderError, 403: Error, 409: Error, 422: Error},
    summary="Write an order",
)
def create_order(
    request: AuthedRequest,
    payload: OrderIn,
    idempotency_key: str | None = Header(
        None,
        alias=KEY_HEADER,
        description="Required: a UUID the client makes once per order and sends with every retry.",
    ),
) -> HttpResponse:
    """Same key and body again: the first answer, with `Idempotent-Replayed: true`. Same key,
    other body: 409. A refused order stores nothing, so the key may be sent again when fixed."""
    user = request.user
    _writer(user)
    try:
        key = uuid.UUID(idempotency_key or "")
    except ValueError:
        return _error(400, _("Send an Idempotency-Key header: a UUID made once for this order."))
    print_ = fingerprint("POST", "/api/orders", json.loads(request.body))
    try:
        stored = stored_response(key=key, user=user, fingerprint=print_)
        if stored is not None:
            return _replay(stored, True)
        return _write(request, payload, key, print_)
    except KeyReused:
        return _error(409, _("This Idempotency-Key was already used for another order. Make a "
                             "new key for each new order."))  # fmt: skip


def _write(request: AuthedRequest, payload: OrderIn, key: uuid.UUID, print_: str) -> HttpResponse:
    user = request.user
    account = form_data.account_for_order(user, payload.account)
    if account is None:
        return _refused([_account_problem()])
    catalogue = catalogue_of(user.organisation_id)
    lines, problems = _lines(catalogue, payload)
    if problems:
        return _refused(problems)
    try:
        stored, replayed = create_order_once(
            key=key, user=user, fingerprint=print_,
            respond=lambda order: _detail_json(request, order),
            account=account, lines=lines,
            status=OrderStatus.SUBMITTED if payload.submit else OrderStatus.DRAFT,
            source=payload.source, notes=payload.notes, expected_total=payload.expected_total,
            written_at=payload.written_at, catalogue=catalogue,
        )  # fmt: skip
    except OrderRefused as refused:
        return _refused(refused.problems)
    return _replay(stored, replayed)


@router.get("", response=list[OrderOut], summary="List orders")
@paginate(LimitOffset)
def list_orders(request: AuthedRequest, query: Query[OrderQuery]) -> OrderQuerySet:
    """The orders the caller may see, newest first; amounts are null for viewers without them."""
    filters = OrderFilters(
        status=query.status or "", account_id=query.account, rep_id=query.rep,
        territory_id=query.territory, since=query.since, until=query.until, text=query.q or "",
        updated_since=query.updated_since,
    )  # fmt: skip
    return order_list(request.user, filters)


@router.get("/accounts", response={200: OrderAccountsOut, 304: None, 403: Error},
            summary="Accounts to write orders for")  # fmt: skip
def order_accounts(request: AuthedRequest, query: Query[OrderAccountsQuery]) -> HttpResponse:
    """The accounts the caller may write orders for, by name, or nearest first (great-circle
    km) when `lat` and `lon` are given; with their open orders and minimum order. With an ETag."""
    _writer(request.user)
    near = (query.lat, query.lon) if query.lat is not None and query.lon is not None else None
    rows = form_data.order_accounts(request.user, text=query.q or "", near=near)
    page = rows[query.offset : query.offset + query.limit]
    return etag_json(request, OrderAccountsOut, {"count": len(rows), "items": page})


@router.get("/suggestions", response={200: SuggestionsOut, 304: None, 400: Error, 403: Error},
            summary="Suggestions per account")  # fmt: skip
def suggestions(request: AuthedRequest, query: Query[SuggestionsQuery]) -> HttpResponse:
    """The usual basket and last year's same month of one account (`account`), or of every
    account the caller writes orders for (up to 1,000). With an ETag."""
    _writer(request.user)
    accounts = form_data.order_accounts_qs(request.user)
    if query.account is not None:
        accounts = accounts.filter(pk=query.account)
    ids = list(accounts.order_by("pk").values_list("pk", flat=True)[: MAX_BULK_SUGGESTIONS + 1])
    if len(ids) > MAX_BULK_SUGGESTIONS:
        return _error(400, _("Too many accounts: ask for one account at a time."))
    found = form_data.suggestions(ids, timezone.localdate())
    return etag_json(request, SuggestionsOut, {"accounts": found})


@router.get("/rules", response={200: RulesOut, 304: None, 403: Error}, summary="Order rules")
def rules(request: AuthedRequest) -> HttpResponse:
    """Minimum orders, quantity limits and the caller's discount threshold, for the form."""
    _writer(request.user)
    return etag_json(request, RulesOut, form_data.order_rules(request.user))


@router.get("/{order_id}", response={200: OrderDetailOut, 404: Error}, summary="One order")
def get_order(request: AuthedRequest, order_id: int) -> Order:
    """The order with its lines and history; one outside the caller's scope answers 404."""
    return order_detail(request.user, order_id)


@router.post(
    "/{order_id}/actions",
    response={200: OrderDetailOut, 400: Error, 403: Error, 404: Error},
    summary="Approve, reject, confirm, deliver, cancel or submit an order",
)
def act(request: AuthedRequest, order_id: int, payload: ActionIn) -> Order:
    """Each step is appended to the order's history with who, when and the note."""
    order = order_detail(request.user, order_id)
    perform(order=order, action=payload.action, actor=request.user, note=payload.note)
    return order_detail(request.user, order_id)
