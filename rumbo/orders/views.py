"""Order screens: the list, the order form (a small offline app over the API), the outbox of
orders waiting to sync, one order with its actions, and its printable confirmation and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.customers.models import Account
from rumbo.orders import form_data, lifecycle, pdf, selectors
from rumbo.orders.forms import ActionForm, OrderFilterForm
from rumbo.orders.models import Order, OrderStatus
from rumbo.orders.strings import number_format, page_strings

PAGE_SIZE = 50


@login_required
@require_GET
def order_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = OrderFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else selectors.OrderFilters()
    orders = selectors.order_list(user, filters)
    if not valid:
        orders = orders.none()
    waiting = 0
    if user.role in lifecycle.STAFF:
        waiting = Order.objects.visible_to(user).filter(status=OrderStatus.PENDING_APPROVAL).count()
    context = {
        "form": form,
        "page": Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page")),
        "waiting": waiting,
        "writes": form_data.may_write_orders(user),
    }
    return render(request, "orders/order_list.html", context)


def _writer(request: AuthedRequest) -> None:
    if not form_data.may_write_orders(request.user):
        raise PermissionDenied(_("Your role does not write orders."))


@login_required
@require_GET
def order_new(request: AuthedRequest) -> HttpResponse:
    """The order form. `?account=` starts with that account, `?copy=` with an order's lines;
    either outside the user's scope answers 404."""
    _writer(request)
    user = request.user
    account_id = request.GET.get("account", "")
    if account_id and not (
        account_id.isdigit() and form_data.order_accounts_qs(user).filter(pk=account_id).exists()
    ):
        raise Http404
    copied: dict[str, Any] | None = None
    copy_id = request.GET.get("copy", "")
    if copy_id:
        if not copy_id.isdigit():
            raise Http404
        order = selectors.order_detail(user, int(copy_id))
        copied = {"account": order.account_id, "number": order.number,
                  "lines": selectors.copy_lines(order)}  # fmt: skip
    context = {"copied": copied, "strings": page_strings(), "number_format": number_format()}
    return render(request, "orders/order_form.html", context)


@login_required
@require_GET
def outbox(request: AuthedRequest) -> HttpResponse:
    """Orders written on this device that wait to be sent, or were refused (filled by JS)."""
    context = {"strings": page_strings(), "number_format": number_format()}
    return render(request, "orders/outbox.html", context)


@login_required
@require_GET
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    order = selectors.order_detail(request.user, pk)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "history": list(order.history.all()),
        "actions": lifecycle.allowed_actions(order, request.user),
        "can_copy": form_data.may_write_orders(request.user)
        and form_data.order_accounts_qs(request.user).filter(pk=order.account_id).exists(),
    }
    return render(request, "orders/order_detail.html", context)


@login_required
@require_POST
def order_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve, reject, confirm, deliver, cancel or submit, then back to the order."""
    order = selectors.order_detail(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the order."))
        return redirect("orders:detail", pk=order.pk)
    try:
        lifecycle.perform(
            order=order,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Order %(n)s updated.") % {"n": order.number})
    return redirect("orders:detail", pk=order.pk)


@login_required
@require_GET
def order_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """The order confirmation for the customer, laid out for paper (or a PDF from the browser)."""
    order = selectors.order_detail(request.user, pk)
    account = Account.objects.select_related("distrito").get(pk=order.account_id)
    context = {"order": order, "account": account, "lines": list(order.lines.all())}
    return render(request, "orders/order_print.html", context)


@login_required
@require_GET
def order_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same confirmation as a PDF file, to send to the customer."""
    order = selectors.order_detail(request.user, pk)
    content = pdf.confirmation(order, amounts=request.user.sees_amounts)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    name = _("order") + f"-{order.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
