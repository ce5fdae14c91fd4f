"""Team screens: the people a user may see, and coaching notes and training records per rep.

A rep's profile and day plan read accounts, orders and targets, which sit above this app; they
are served by rumbo.interactions (interactions:rep_profile, interactions:day_plan).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.team import selectors, services
from rumbo.team.forms import CoachingForm, TrainingForm
from rumbo.team.models import Rep


@login_required
@require_GET
def team_list(request: AuthedRequest) -> HttpResponse:
    """The field team the user may see (reps see only themselves)."""
    members = selectors.team_members(request.user)
    show_inactive = request.GET.get("inactive") == "1"
    if not show_inactive:
        members = members.filter(is_active=True)
    context = {"members": members, "show_inactive": show_inactive}
    return render(request, "team/team_list.html", context)


def _coached(request: AuthedRequest, rep_id: int) -> Rep:
    rep = selectors.member(request.user, rep_id)
    if not services.may_coach(request.user, rep.user):
        raise Http404
    return rep


def _back(rep_id: int) -> HttpResponse:
    return redirect("interactions:rep_profile", rep_id=rep_id)


@login_required
def coaching_new(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = _coached(request, rep_id)
    form = CoachingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_coaching_note(rep=rep.user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Coaching note saved."))
        return _back(rep.pk)
    context = {"rep": rep, "form": form, "title": _("New coaching note")}
    return render(request, "team/record_form.html", context)


@login_required
def training_new(request: AuthedRequest, rep_id: int) -> HttpResponse:
    rep = _coached(request, rep_id)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_training_record(rep=rep.user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Training record saved."))
        return _back(rep.pk)
    context = {"rep": rep, "form": form, "title": _("New training record")}
    return render(request, "team/record_form.html", context)


@login_required
@require_POST
def coaching_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    note = selectors.coaching_note(request.user, pk)
    rep = selectors.member(request.user, note.rep.rep_profile.pk)
    try:
        services.delete_coaching_note(note=note, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Coaching note removed."))
    return _back(rep.pk)


@login_required
@require_POST
def training_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    record = selectors.training_record(request.user, pk)
    if request.user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404
    rep = selectors.member(request.user, record.rep.rep_profile.pk)
    try:
        services.delete_training_record(record=record, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Training record removed."))
    return _back(rep.pk)
