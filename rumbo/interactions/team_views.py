"""The manager's and the rep's screens: the activity hub, a rep's profile, a rep's day plan
and the actions on it (plan, do, skip, cancel, move), each through the contact guard.

These pages read accounts, orders, targets, tickets and prospects, which sit above the team
app; so they live here, and the team app keeps its own pages (the team list, coaching notes,
training records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.interactions import planning, selectors
from rumbo.interactions.autoplan import plan_visits_for_day
from rumbo.interactions.campaigns import may_run_campaigns
from rumbo.interactions.dayplan import day_plan as read_day_plan
from rumbo.interactions.dayplan import visible_rep
from rumbo.interactions.forms import CompleteForm, PlanActivityForm, RescheduleForm
from rumbo.interactions.guard import ContactGuardWarning
from rumbo.interactions.models import PlannedActivity
from rumbo.interactions.profiles import rep_profile as read_profile
from rumbo.interactions.services import may_edit_policies
from rumbo.interactions.views import _form_errors
from rumbo.team.models import Rep


def _day(request: AuthedRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The activity hub: my day, my team, service tickets, campaigns, the contact guard."""
    user = request.user
    own = Rep.objects.filter(user=user).first()
    context = {
        "own": own,
        "plan": read_day_plan(own) if own else None,
        "tickets": selectors.ticket_counts(user),
        "campaigns": selectors.campaign_list(user).filter(status="planned")[:5],
        "runs_campaigns": may_run_campaigns(user),
        "edits_policies": may_edit_policies(user),
        "team_size": Rep.objects.visible_to(user).filter(is_active=True).count()
        if user.role in (Role.ADMIN, Role.MANAGER)
        else 0,
    }
    return render(request, "interactions/home.html", context)


@login_required
@require_GET
def my_day(request: AuthedRequest) -> HttpResponse:
    own = Rep.objects.filter(user=request.user).first()
    if own is None:
        messages.info(request, _("You have no field profile, so no day plan of your own."))
        return redirect("interactions:home")
    return redirect("interactions:day_plan", rep_id=own.pk)


@login_required
@require_GET
def rep_profile(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = visible_rep(request.user, rep_id)
    profile = read_profile(request.user, rep)
    home = None
    if rep.home_lat is not None and rep.home_lon is not None:
        name = _("Home base of %(rep)s") % {"rep": rep}
        home = {"points": [{"id": 0, "lat": rep.home_lat, "lon": rep.home_lon, "name": name,
                            "status": "", "approx": False}]}  # fmt: skip
    return render(
        request, "interactions/rep_profile.html", {"profile": profile, "rep": rep, "home": home}
    )


def _plan_context(request: AuthedRequest, rep: Rep, day: dt.date, **extra: Any) -> dict[str, Any]:
    may_plan = planning.may_plan_for(request.user, rep.user)
    form = extra.pop("form", None)
    if form is None and may_plan:
        form = PlanActivityForm(rep=rep.user, initial={"day": max(day, timezone.localdate())})
    return {
        "plan": read_day_plan(rep, day),
        "rep": rep,
        "may_plan": may_plan,
        "form": form,
        "today": timezone.localdate(),
        "complete_form": CompleteForm(),
        **extra,
    }


@login_required
@require_GET
def day_plan(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = visible_rep(request.user, rep_id)
    return render(request, "interactions/day_plan.html", _plan_context(request, rep, _day(request)))


@login_required
@require_POST
def plan_add(request: AuthedRequest, rep_id: int) -> HttpResponse:
    """Put an activity in the rep's plan; a contact that breaks the account's policy comes
    back with the warning, the suggested day, and a button to plan it anyway."""
    rep = visible_rep(request.user, rep_id)
    if not planning.may_plan_for(request.user, rep.user):
        raise Http404
    form = PlanActivityForm(request.POST, rep=rep.user)
    warning = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            activity = planning.plan_activity(rep=rep.user, actor=request.user, **data)
        except ContactGuardWarning as exc:
            warning = exc.result
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Planned: %(a)s.") % {"a": activity.label})
            return redirect(_plan_url(rep, activity.day))
    day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
    context = _plan_context(request, rep, day or timezone.localdate(), form=form, warning=warning)
    return render(request, "interactions/day_plan.html", context, status=200)


@login_required
@require_POST
def plan_auto(request: AuthedRequest, rep_id: int) -> HttpResponse:
    """Let Rumbo fill the day with the visits that are due."""
    rep = visible_rep(request.user, rep_id)
    if not planning.may_plan_for(request.user, rep.user):
        raise Http404
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    if day < timezone.localdate():
        messages.error(request, _("Rumbo plans today and the days ahead, not past days."))
        return redirect(_plan_url(rep, day))
    planned = plan_visits_for_day(rep=rep.user, day=day, actor=request.user)
    if planned:
        messages.success(request, _("Rumbo planned %(n)d visits.") % {"n": len(planned)})
    else:
        messages.info(request, _("No visit is due that day, or the day is already full."))
    return redirect(_plan_url(rep, day))


def _plan_url(rep: Rep, day: dt.date) -> str:
    return f"{reverse('interactions:day_plan', args=[rep.pk])}?day={day.isoformat()}"


@login_required
@require_POST
def activity_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """Do, skip, cancel or move one planned activity."""
    activity = get_object_or_404(
        PlannedActivity.objects.visible_to(request.user).select_related("rep", "account"), pk=pk
    )
    rep = get_object_or_404(Rep.objects.visible_to(request.user), user=activity.rep)
    action = request.POST.get("action", "")
    try:
        warning = _act(request, activity, action)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        warning = None
    if warning is not None:
        form = RescheduleForm(request.POST)
        context = _plan_context(
            request, rep, activity.day, moving=activity, move_form=form, warning=warning
        )
        return render(request, "interactions/day_plan.html", context)
    return redirect(_plan_url(rep, activity.day))


def _act(request: AuthedRequest, activity: PlannedActivity, action: str) -> Any:
    user = request.user
    if action == "done":
        form = CompleteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Check the outcome."))
        data = form.cleaned_data
        planning.complete_activity(activity=activity, actor=user, outcome=data["outcome"],
                                   notes=data["notes"], kind=data["how"] or None)  # fmt: skip
        messages.success(request, _("Done: %(a)s.") % {"a": activity.label})
    elif action in (PlannedActivity.Status.SKIPPED, PlannedActivity.Status.CANCELLED):
        planning.drop_activity(activity=activity, actor=user, status=action,
                               notes=request.POST.get("notes", "")[:2000])  # fmt: skip
    elif action == "move":
        move = RescheduleForm(request.POST)
        if not move.is_valid():
            raise ValidationError(_("Give the new day."))
        data = move.cleaned_data
        try:
            planning.reschedule_activity(activity=activity, actor=user, **data)
        except ContactGuardWarning as exc:
            return exc.result
        messages.success(request, _("Moved to %(d)s.") % {"d": data["day"]})
    else:
        raise ValidationError(_("Unknown action."))
    return None
