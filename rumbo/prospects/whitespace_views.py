"""White-space screens: the districts to prospect (top 20 of the user's area, or all), the heat
layer of the map, the model's figures per channel, and scoring the prospects again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.prospects import services, whitespace
from rumbo.prospects.forms import PotentialForm
from rumbo.prospects.models import Prospect
from rumbo.prospects.scoring import Scorer, score_prospects
from rumbo.prospects.views import form_errors
from rumbo.territories.models import Territory

TOP = 20
PAGE_SIZE = 50


def _analysis(request: AuthedRequest) -> tuple[Any, list[whitespace.DistrictRow], Territory | None]:
    user = request.user
    territory = (
        Territory.objects.visible_to(user).filter(pk=request.GET.get("territory") or 0).first()
    )
    org = whitespace.org_model(user.organisation_id)
    rows = whitespace.ranking(user, org, whitespace.area(user, org, territory))
    code = request.GET.get("departamento", "")
    if len(code) == 2 and code.isdigit():
        rows = [r for r in rows if r.ubigeo.startswith(code)]
    return org, rows, territory


@login_required
@require_GET
def white_space(request: AuthedRequest) -> HttpResponse:
    """The districts of the user's area ranked by white space, top 20 first."""
    org, rows, territory = _analysis(request)
    show_all = request.GET.get("all") == "1"
    page = Paginator(rows if show_all else rows[:TOP], PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org, "page": page, "total": len(rows), "show_all": show_all, "top": TOP,
        "territory": territory, "in_money": org.result.in_money and request.user.sees_amounts,
        "territories": Territory.objects.visible_to(request.user).order_by("path"),
        "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "prospects/white_space.html", context)


@login_required
@require_GET
def white_space_geojson(request: AuthedRequest) -> JsonResponse:
    """The heat layer: the ranked districts' polygons with their potential."""
    org, rows, _territory = _analysis(request)
    money = org.result.in_money and request.user.sees_amounts
    return JsonResponse(whitespace.choropleth(rows[: whitespace_limit()], money=money))


def whitespace_limit() -> int:
    """The map draws at most this many districts (the best ones)."""
    return 400


@login_required
def potential_settings(request: AuthedRequest) -> HttpResponse:
    """The white-space model's figures per channel; administrators may set them."""
    user = request.user
    if user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404
    editable = user.role == Role.ADMIN
    form = PotentialForm(request.POST or None, user=user)
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            try:
                services.save_channel_potential(
                    organisation=user.organisation, actor=user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request, _("Saved. Scores change when prospects are scored again.")
                )
                return redirect("prospects:potential")
    org = whitespace.org_model(user.organisation_id)
    context = {
        "org": org,
        "form": form,
        "editable": editable,
        "quantile": whitespace.coverage_quantile(),
        "area_km": whitespace.area_km(),
    }
    return render(request, "prospects/potential.html", context)


@login_required
@require_POST
def rescore(request: AuthedRequest) -> HttpResponse:
    """Score every open prospect the user sees again (after new customers or figures)."""
    user = request.user
    if user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404
    rows = list(Prospect.objects.visible_to(user).open())
    try:
        n = score_prospects(rows, Scorer(user.organisation_id)) if rows else 0
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("%(n)s prospects scored again.") % {"n": n})
    return redirect("prospects:list")
