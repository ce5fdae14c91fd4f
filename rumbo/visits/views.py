"""Visit planning pages: the team's plans, a rep's weeks as a calendar, one day as a route on
the map (move a visit, add one, "optimise my day" from the phone) and an account's call plan.
Reads are scoped like the reps' plans; planning follows rumbo.interactions.planning's rule."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.jobs import start_job
from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.interactions.models import PlannedActivity
from rumbo.interactions.planning import may_plan_for
from rumbo.seasons.selectors import timely_visits
from rumbo.visits import adapters, selectors, services
from rumbo.visits.forms import (
    AddVisitForm,
    CallPlanForm,
    HereForm,
    MoveForm,
    PlanForm,
    RoutingSettingsForm,
    TimelyForm,
)
from rumbo.visits.models import CallPlan, CheckIn
from rumbo.visits.tasks import plan_rep_visits


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _errors(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not plan this person's days.")
    return " ".join(error.messages)


def _day_url(rep_id: int, day: dt.date) -> str:
    return reverse("visits:day", args=[rep_id, day.isoformat()])


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.REP:
        return redirect("visits:week", rep_id=user.pk)
    return redirect("visits:team")


@login_required
@require_GET
def team(request: AuthedRequest) -> HttpResponse:
    rows = selectors.team(request.user)
    monday = selectors.monday_of(timezone.localdate())
    return render(
        request,
        "visits/team.html",
        {
            "rows": rows,
            "monday": monday,
            "form": PlanForm(initial={"starts_on": monday}),
        },
    )


@login_required
@require_POST
def plan(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = selectors.rep_for(request.user, rep_id)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for es in form.errors.values() for e in es))
        return redirect("visits:week", rep_id=rep.pk)
    try:
        with transaction.atomic():
            made = services.start_plan(rep=rep, actor=request.user, **form.cleaned_data)
            job = start_job(
                user=request.user,
                kind="visit_plan",
                label=_("Visit plan of %(rep)s") % {"rep": rep.get_full_name() or rep.username},
                task=plan_rep_visits,
                total=made.time_limit_s,
                plan_id=made.pk,
            )
            made.job = job
            made.save(update_fields=["job"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect("visits:week", rep_id=rep.pk)
    return redirect("core:job", pk=job.pk)


@login_required
@require_GET
def week(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = selectors.rep_for(request.user, rep_id)
    start = selectors.monday_of(_date(request.GET.get("start"), timezone.localdate()))
    days = selectors.week(rep, start)
    return render(
        request,
        "visits/week.html",
        {
            "rep": rep,
            "days": days,
            "start": start,
            "previous": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
            "today": timezone.localdate(),
            "plan": selectors.plan_covering(rep, start + dt.timedelta(days=5)),
            "may_plan": may_plan_for(request.user, rep),
            "timely": timely_visits(
                request.user,
                adapters.rep_territories(rep, timezone.localdate()),
                timezone.localdate(),
            ),
            "form": PlanForm(initial={"starts_on": start, "weeks": 2, "time_limit_s": 20}),
        },
    )


@login_required
@require_GET
def day(request: AuthedRequest, rep_id: int, date: str) -> HttpResponse:
    rep = selectors.rep_for(request.user, rep_id)
    when = _date(date, timezone.localdate())
    the_day = selectors.week(rep, when)[when.weekday()] if when.weekday() < 6 else None
    if the_day is None:
        raise Http404
    may = may_plan_for(request.user, rep)
    return render(
        request,
        "visits/day.html",
        {
            "rep": rep,
            "day": the_day,
            "today": timezone.localdate(),
            "may_plan": may,
            "add": AddVisitForm(accounts=selectors.addable_accounts(rep, when)) if may else None,
            "plan": selectors.plan_covering(rep, when),
            "checkins": request.user.pk == rep.pk and when == timezone.localdate(),
            "reasons": CheckIn.NoOrderReason.choices,
        },
    )


@login_required
@require_GET
def route(request: AuthedRequest, rep_id: int, date: str) -> JsonResponse:
    rep = selectors.rep_for(request.user, rep_id)
    return JsonResponse(selectors.route(rep, _date(date, timezone.localdate())))


def _visit_for(request: AuthedRequest, pk: int) -> PlannedActivity:
    found = (
        PlannedActivity.objects.visible_to(request.user)
        .filter(pk=pk, kind=PlannedActivity.Kind.VISIT)
        .select_related("rep", "account")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _left_out_message(request: AuthedRequest, left_out: list[int]) -> None:
    if left_out:
        messages.warning(
            request,
            _("%(n)d visits no longer fit the day; they stay in it without a time.")
            % {"n": len(left_out)},
        )


@login_required
@require_POST
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the day to move the visit to."))
        target = form.cleaned_data["day"]
        left_out = services.move_visit(activity=visit, day=target, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect(_day_url(visit.rep_id, visit.day))
    messages.success(request, _("Visit moved; both days were routed again."))
    _left_out_message(request, left_out)
    return redirect(_day_url(visit.rep_id, target))


@login_required
@require_POST
def add(request: AuthedRequest, rep_id: int, date: str) -> HttpResponse:
    rep = selectors.rep_for(request.user, rep_id)
    when = _date(date, timezone.localdate())
    form = AddVisitForm(request.POST, accounts=selectors.addable_accounts(rep, when))
    if not form.is_valid():
        messages.error(request, _("Pick one of the rep's accounts."))
        return redirect(_day_url(rep.pk, when))
    return _add_and_route(request, rep, form.cleaned_data["account"], when)


def _add_and_route(
    request: AuthedRequest, rep: User, account: Account, day: dt.date
) -> HttpResponse:
    """Add a visit to the rep's day, route the day again, and show the day (or why not)."""
    try:
        left_out = services.add_visit(rep=rep, account=account, day=day, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect("visits:week", rep_id=rep.pk)
    messages.success(request, _("Visit added; the day was routed again."))
    _left_out_message(request, left_out)
    return redirect(_day_url(rep.pk, day))


@login_required
@require_POST
def add_timely(request: AuthedRequest, rep_id: int) -> HttpResponse:
    """Put a timely visit (an account in its season) on a day of the rep's plan."""
    rep = selectors.rep_for(request.user, rep_id)
    form = TimelyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the day of the visit, from today on."))
        return redirect("visits:week", rep_id=rep.pk)
    day = form.cleaned_data["day"]
    account = Account.objects.visible_to(rep).filter(pk=form.cleaned_data["account"]).first()
    if account is None:
        raise Http404
    return _add_and_route(request, rep, account, day)


@login_required
@require_POST
def from_here(request: AuthedRequest, rep_id: int, date: str) -> HttpResponse:
    rep = selectors.rep_for(request.user, rep_id)
    when = _date(date, timezone.localdate())
    form = HereForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Your position could not be read; allow location access."))
        now = form.cleaned_data["now"] or timezone.localtime().time()
        left_out = services.optimise_from_here(
            rep=rep, day=when, lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"],
            now=now, actor=request.user,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The rest of your day now starts from where you are."))
        _left_out_message(request, left_out)
    return redirect(_day_url(rep.pk, when))


@login_required
@require_http_methods(["GET", "POST"])
def call_plan(request: AuthedRequest, account_id: int) -> HttpResponse:
    account = Account.objects.visible_to(request.user).filter(pk=account_id).first()
    if account is None:
        raise Http404
    if request.user.role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        raise Http404
    current = CallPlan.objects.filter(account=account).first()
    initial = {
        "preferred": current.preferred_weekdays if current else [],
        "forbidden": current.forbidden_weekdays if current else [],
        "priority": current.priority if current else CallPlan.Priority.NORMAL,
    }
    form = CallPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_call_plan(
                account=account, actor=request.user, preferred=form.cleaned_data["preferred"],
                forbidden=form.cleaned_data["forbidden"], priority=form.cleaned_data["priority"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Call plan saved. The next visit plan follows it."))
            return redirect("visits:call_plan", account_id=account.pk)
    return render(request, "visits/call_plan.html", {"account": account, "form": form})


@login_required
@require_GET
def actuals(request: AuthedRequest) -> HttpResponse:
    """Plan versus actual per rep (or territory) over a period, a month by default."""
    today = timezone.localdate()
    start = _date(request.GET.get("from"), today.replace(day=1))
    end = _date(request.GET.get("to"), today)
    if end < start:
        start, end = end, start
    if (end - start).days > 366:
        start = end - dt.timedelta(days=366)
    rows = selectors.plan_vs_actual(request.user, start, end)
    by = "territory" if request.GET.get("by") == "territory" else "rep"
    if by == "territory":
        rows = selectors.by_territory(rows, end)
    segments = sorted({s for r in rows for s in r.segments})
    return render(
        request,
        "visits/actuals.html",
        {"rows": rows, "start": start, "end": end, "by": by, "segments": segments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def routing_settings(request: AuthedRequest) -> HttpResponse:
    """How travel is estimated and where lunch goes, for the whole organisation (admins)."""
    if request.user.role != Role.ADMIN:
        raise Http404
    current = adapters.settings_for(request.user.organisation_id)
    form = RoutingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. The next plans and routes use these settings."))
        return redirect("visits:settings")
    return render(request, "visits/settings.html", {"form": form})
