"""Screens of the account timeline and of service: the timeline page (and its HTMX fragment),
logging an interaction, tickets, the contact policies and the contact report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Team
from rumbo.customers.models import Account
from rumbo.customers.selectors import search
from rumbo.interactions import report as contact_report_data
from rumbo.interactions import selectors, services
from rumbo.interactions.forms import (
    LogInteractionForm,
    PolicyForm,
    TicketCloseForm,
    TicketFilterForm,
    TicketForm,
)
from rumbo.interactions.guard import PolicyBook
from rumbo.interactions.models import ContactPolicy, Ticket
from rumbo.interactions.timeline import TYPES, parse_filters, timeline
from rumbo.territories.models import Territory

PAGE_SIZE = 50


def visible_account(request: AuthedRequest, account_id: int) -> Account:
    return get_object_or_404(
        Account.objects.visible_to(request.user).select_related("territory"), pk=account_id
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def timeline_context(request: AuthedRequest, account: Account) -> dict[str, Any]:
    filters = parse_filters(request.GET)
    page = timeline(request.user, account, filters, request.GET.get("page"))
    return {
        "account": account,
        "page": page,
        "filters": filters,
        "types": TYPES,
        "teams": Team.choices,
    }


@login_required
@require_GET
def account_timeline(request: AuthedRequest, account_id: int) -> HttpResponse:
    """The whole timeline page; asked by HTMX, only the timeline itself."""
    account = visible_account(request, account_id)
    context = timeline_context(request, account)
    if request.htmx:
        return render(request, "interactions/_timeline.html", context)
    return render(request, "interactions/timeline.html", context)


@login_required
def log_interaction(request: AuthedRequest, account_id: int) -> HttpResponse:
    account = visible_account(request, account_id)
    form = LogInteractionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_interaction(
                account=account, kind=data["kind"], actor=request.user,
                occurred_at=data["occurred_at"], outcome=data["outcome"],
                subject=data["subject"], notes=data["notes"], follow_up_on=data["follow_up_on"],
            )  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Logged on the timeline of %(a)s.") % {"a": account})
            return redirect(reverse("customers:account_detail", args=[account.pk]) + "#timeline-h")
    return render(request, "interactions/log.html", {"account": account, "form": form})


def _ticket_filters(request: AuthedRequest, form: TicketFilterForm) -> selectors.TicketFilters:
    if not form.is_valid():
        return selectors.TicketFilters()
    data = form.cleaned_data
    status = {"": Ticket.Status.OPEN, "all": ""}.get(data["status"], data["status"])
    return selectors.TicketFilters(
        status=status, priority=data["priority"], topic=data["topic"], mine=data["mine"],
        text=data["q"].strip(),
    )  # fmt: skip


@login_required
@require_GET
def ticket_list(request: AuthedRequest) -> HttpResponse:
    form = TicketFilterForm(request.GET)
    tickets = selectors.ticket_list(request.user, _ticket_filters(request, form))
    page = Paginator(tickets.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "counts": selectors.ticket_counts(request.user)}
    return render(request, "interactions/ticket_list.html", context)


@login_required
@require_GET
def ticket_pick_account(request: AuthedRequest) -> HttpResponse:
    """To open a ticket, find the account first."""
    text = request.GET.get("q", "").strip()[:100]
    accounts = search(Account.objects.visible_to(request.user), text) if text else None
    found = (
        list(accounts.select_related("distrito").order_by("trade_name")[:20]) if accounts else []
    )
    return render(request, "interactions/ticket_pick.html", {"q": text, "accounts": found})


@login_required
def ticket_new(request: AuthedRequest, account_id: int) -> HttpResponse:
    account = visible_account(request, account_id)
    form = TicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.open_ticket(account=account, actor=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Ticket %(ref)s opened.") % {"ref": ticket.reference})
            return redirect("interactions:ticket_detail", ticket_id=ticket.pk)
    return render(request, "interactions/ticket_form.html", {"account": account, "form": form})


@login_required
def ticket_detail(request: AuthedRequest, ticket_id: int) -> HttpResponse:
    ticket = selectors.ticket_detail(request.user, ticket_id)
    edit = TicketForm(instance=ticket, user=request.user)
    close = TicketCloseForm()
    if request.method == "POST":
        action = request.POST.get("action")
        edit, close, done = _ticket_action(request, ticket, action)
        if done:
            return redirect("interactions:ticket_detail", ticket_id=ticket.pk)
    elif request.method != "GET":
        return HttpResponse(status=405)
    followups = list(ticket.follow_ups.select_related("rep").order_by("day"))
    context = {"ticket": ticket, "edit": edit, "close": close, "followups": followups}
    return render(request, "interactions/ticket_detail.html", context)


def _ticket_action(
    request: AuthedRequest, ticket: Ticket, action: str | None
) -> tuple[TicketForm, TicketCloseForm, bool]:
    edit = TicketForm(
        request.POST if action == "update" else None, instance=ticket, user=request.user
    )
    close = TicketCloseForm(request.POST if action == "close" else None)
    try:
        if action == "update" and edit.is_valid():
            data = {k: v for k, v in edit.cleaned_data.items() if k != "assigned_to"}
            services.update_ticket(
                ticket=ticket, actor=request.user, assigned_to=edit.cleaned_data["assigned_to"],
                **data,
            )  # fmt: skip
            messages.success(request, _("Ticket updated."))
            return edit, close, True
        if action == "close" and close.is_valid():
            services.close_ticket(
                ticket=ticket, actor=request.user, resolution=close.cleaned_data["resolution"],
                follow_up_on=close.cleaned_data["follow_up_on"],
            )  # fmt: skip
            messages.success(request, _("Ticket closed."))
            return edit, close, True
        if action == "reopen":
            services.reopen_ticket(ticket=ticket, actor=request.user)
            messages.success(request, _("Ticket reopened."))
            return edit, close, True
    except ValidationError as exc:
        _form_errors(close if action == "close" else edit, exc)
        ticket.refresh_from_db()
    return edit, close, False


@login_required
def policy_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    editable = services.may_edit_policies(user)
    form = PolicyForm(request.POST or None, user=user)
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_contact_policy(organisation=user.organisation, actor=user, **data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Contact policy saved."))
                return redirect("interactions:policies")
    rows = selectors.policy_rows(user.organisation_id)
    return render(
        request, "interactions/policies.html", {"rows": rows, "form": form, "editable": editable}
    )


@login_required
@require_POST
def policy_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(ContactPolicy.objects.visible_to(request.user), pk=pk)
    try:
        services.delete_contact_policy(policy=policy, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Contact policy removed."))
    return redirect("interactions:policies")


def _month(text: str, default: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return default


@login_required
@require_GET
def contact_report(request: AuthedRequest) -> HttpResponse:
    """Accounts over- and under-contacted in a month (last month by default)."""
    user = request.user
    today = timezone.localdate()
    month = _month(request.GET.get("month", ""), contact_report_data.last_month(today))
    view = request.GET.get("view") if request.GET.get("view") in ("over", "under") else "over"
    accounts = Account.objects.visible_to(user)
    territory = Territory.objects.visible_to(user).filter(pk=request.GET.get("territory") or 0)
    chosen = territory.first()
    if chosen is not None:
        accounts = accounts.filter(territory__path__startswith=chosen.path)
    book = PolicyBook(user.organisation_id)
    over = contact_report_data.over_contacted(user, accounts, book, month)
    rows: Any = (
        over if view == "over" else contact_report_data.under_contacted(accounts, book, month)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "summary": contact_report_data.summary(accounts, book, month, len(over)),
        "page": page, "view": view, "month": month, "territory": chosen,
        "territories": Territory.objects.visible_to(user).order_by("path"),
        "months": [_shift(today.replace(day=1), -k) for k in range(13)],
    }  # fmt: skip
    return render(request, "interactions/contact_report.html", context)


def _shift(month: dt.date, k: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + k
    return dt.date(index // 12, index % 12 + 1, 1)
