"""Prospecting screens: the pipeline, a prospect (its history, status, appointments and the
conversion into an account), and the cold-call list. White space is in whitespace_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role, User
from rumbo.customers.models import Channel
from rumbo.geo.models import Distrito
from rumbo.prospects import selectors, services
from rumbo.prospects.forms import (
    AppointmentForm,
    AssignForm,
    ConvertForm,
    ProspectForm,
    SettleForm,
    StatusForm,
    TouchForm,
    sellers,
)
from rumbo.prospects.models import Appointment, Prospect

PAGE_SIZE = 50


def form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _writes(user: User) -> bool:
    return user.role != Role.VIEWER or user.team == "marketing"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(request: AuthedRequest) -> selectors.ProspectFilters:
    get = request.GET
    status = get.get("status", "open")
    ubigeo = get.get("ubigeo", "")
    return selectors.ProspectFilters(
        text=get.get("q", "").strip()[:100],
        status=status if status == "open" or status in Prospect.Status.values else "",
        owner_id=_int(get.get("owner")),
        channel_id=_int(get.get("channel")),
        source=get.get("source", "") if get.get("source") in Prospect.Source.values else "",
        ubigeo=ubigeo if len(ubigeo) == 6 and ubigeo.isdigit() else "",
    )


@login_required
@require_GET
def prospect_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    sort = request.GET.get("sort", "score")
    rows = selectors.prospect_list(user, _filters(request), sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_assign = user.role in (Role.ADMIN, Role.MANAGER)
    context = {
        "page": page, "pipeline": selectors.pipeline(user), "sort": sort,
        "status": request.GET.get("status", "open"), "statuses": Prospect.Status.choices,
        "sources": Prospect.Source.choices, "writes": _writes(user),
        "channels": Channel.objects.filter(organisation_id=user.organisation_id),
        "owners": sellers(user), "assign": AssignForm(user=user) if may_assign else None,
    }  # fmt: skip
    return render(request, "prospects/prospect_list.html", context)


def _districts() -> Any:
    return (
        Distrito.objects.select_related("provincia")
        .order_by("ubigeo")
        .values_list("ubigeo", "name", "provincia__name")
    )


def _save(request: AuthedRequest, form: ProspectForm, prospect: Prospect | None) -> Prospect | None:
    data = dict(form.cleaned_data)
    lat, lon = data.pop("lat"), data.pop("lon")
    owner, territory = data.pop("owner"), data.pop("territory")
    try:
        if prospect is None:
            return services.create_prospect(
                organisation=request.user.organisation, actor=request.user, lat=lat, lon=lon,
                owner=owner, territory=territory, **data,
            )  # fmt: skip
        return services.update_prospect(
            prospect=prospect, actor=request.user, lat=lat, lon=lon, owner=owner,
            territory=territory, **data,
        )  # fmt: skip
    except ValidationError as exc:
        form_errors(form, exc)
        return None


@login_required
def prospect_new(request: AuthedRequest) -> HttpResponse:
    if not _writes(request.user):
        raise Http404
    form = ProspectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        prospect = _save(request, form, None)
        if prospect is not None:
            messages.success(request, _("Prospect saved."))
            return redirect("prospects:detail", prospect_id=prospect.pk)
    context = {"form": form, "prospect": None, "distritos": _districts()}
    return render(request, "prospects/prospect_form.html", context)


@login_required
def prospect_edit(request: AuthedRequest, prospect_id: int) -> HttpResponse:
    prospect = selectors.prospect_detail(request.user, prospect_id)
    if not _writes(request.user):
        raise Http404
    form = ProspectForm(request.POST or None, instance=prospect, user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form, prospect):
        messages.success(request, _("Prospect saved."))
        return redirect("prospects:detail", prospect_id=prospect.pk)
    context = {"form": form, "prospect": prospect, "distritos": _districts()}
    return render(request, "prospects/prospect_form.html", context)


def _detail_context(request: AuthedRequest, prospect: Prospect, **forms: Any) -> dict[str, Any]:
    user = request.user
    return {
        "prospect": prospect,
        "touches": selectors.touches_of(prospect),
        "appointments": selectors.appointments_of(prospect),
        "writes": _writes(user),
        "touch_form": forms.get("touch_form") or TouchForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": prospect.status}),
        "appointment_form": forms.get("appointment_form")
        or AppointmentForm(user=user, initial={"rep": prospect.owner_id}),
        "settle_form": SettleForm(),
        "moves": services.MOVES.get(prospect.status, set()),
        "point": {"points": [{"id": prospect.pk, "lat": prospect.lat, "lon": prospect.lon,
                              "name": prospect.name, "status": "prospect",
                              "approx": prospect.location_precision == "district"}]}
        if prospect.lat is not None else {"points": []},
    }  # fmt: skip


@login_required
@require_GET
def prospect_detail(request: AuthedRequest, prospect_id: int) -> HttpResponse:
    prospect = selectors.prospect_detail(request.user, prospect_id)
    return render(request, "prospects/prospect_detail.html", _detail_context(request, prospect))


@login_required
@require_POST
def prospect_action(request: AuthedRequest, prospect_id: int) -> HttpResponse:
    """Log a contact, change the status, or book an appointment."""
    prospect = selectors.prospect_detail(request.user, prospect_id)
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {}
    try:
        done = _act(request, prospect, action, forms)
    except PermissionDenied:
        raise Http404 from None
    if done:
        return _next_or(request, "prospects:detail", prospect_id=prospect.pk)
    prospect.refresh_from_db()
    return render(
        request, "prospects/prospect_detail.html", _detail_context(request, prospect, **forms)
    )


def _act(request: AuthedRequest, prospect: Prospect, action: str, forms: dict[str, Any]) -> bool:
    user = request.user
    if action == "touch":
        form: Any = TouchForm(request.POST)
        forms["touch_form"] = form
        if form.is_valid():
            return _try(
                form, lambda: services.log_touch(prospect=prospect, actor=user, **form.cleaned_data)
            )
    elif action == "status":
        form = StatusForm(request.POST)
        forms["status_form"] = form
        if form.is_valid():
            return _try(
                form,
                lambda: services.change_status(prospect=prospect, actor=user, **form.cleaned_data),
            )
    elif action == "book":
        form = AppointmentForm(request.POST, user=user)
        forms["appointment_form"] = form
        if form.is_valid():
            return _try(
                form,
                lambda: services.book_appointment(
                    prospect=prospect, actor=user, **form.cleaned_data
                ),
            )
    else:
        messages.error(request, _("Unknown action."))
    return False


def _try(form: Any, run: Any) -> bool:
    try:
        run()
    except ValidationError as exc:
        form_errors(form, exc)
        return False
    return True


@login_required
@require_POST
def appointment_action(request: AuthedRequest, appointment_id: int) -> HttpResponse:
    """Say how an appointment went (held, nobody there, cancelled)."""
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("prospect", "rep"),
        pk=appointment_id,
    )
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the appointment went."))
    else:
        try:
            services.settle_appointment(
                appointment=appointment, actor=request.user, **form.cleaned_data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Appointment updated."))
    return _next_or(request, "prospects:detail", prospect_id=appointment.prospect_id)


def _next_or(request: AuthedRequest, name: str, **kwargs: Any) -> HttpResponse:
    """Back to the page the form came from (a path on this site), else to `name`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(name, **kwargs)


@login_required
def prospect_convert(request: AuthedRequest, prospect_id: int) -> HttpResponse:
    prospect = selectors.prospect_detail(request.user, prospect_id)
    if not _writes(request.user) or not prospect.is_open:
        raise Http404
    initial = {"legal_name": prospect.name, "trade_name": prospect.name, "tax_id": prospect.tax_id,
               "territory": prospect.territory_id}  # fmt: skip
    form = ConvertForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.convert_prospect(
                prospect=prospect, actor=request.user, territory=data["territory"],
                legal_name=data["legal_name"], trade_name=data["trade_name"], **form.tax_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(p)s is now an account.") % {"p": prospect})
            return redirect("customers:account_detail", pk=account.pk)
    return render(request, "prospects/convert.html", {"prospect": prospect, "form": form})


@login_required
@require_POST
def prospect_assign(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Tick the prospects and choose who gets them."))
    else:
        n = services.assign_prospects(
            prospects=form.cleaned_data["prospects"], owner=form.cleaned_data["owner"],
            actor=request.user,
        )  # fmt: skip
        messages.success(
            request,
            ngettext("%(n)s prospect given to %(who)s.", "%(n)s prospects given to %(who)s.", n)
            % {"n": n, "who": form.cleaned_data["owner"]},
        )
    return redirect("prospects:list")


@login_required
@require_GET
def cold_calls(request: AuthedRequest) -> HttpResponse:
    """A rep's cold-call list: their own, or (for a manager) one of their team's."""
    user = request.user
    people = list(sellers(user))
    chosen = next((p for p in people if str(p.pk) == request.GET.get("rep")), None)
    rep = chosen or (user if user in people else (people[0] if people else None))
    rows = list(selectors.cold_calls(user, rep)) if rep else []
    context = {"rep": rep, "people": people, "rows": rows, "touch_form": TouchForm(auto_id=False),
               "again_days": selectors.CALL_AGAIN_AFTER_DAYS}  # fmt: skip
    return render(request, "prospects/cold_calls.html", context)
