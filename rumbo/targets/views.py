"""Target pages: a territory's grid (its own months, its children's, its people's), copying last
year, spreading an annual figure, Excel export, and the monthly distributions.

Everyone who may see amounts reads the targets in their scope; administrators change any,
managers those below the territories they manage. Anything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role, User
from rumbo.targets import services
from rumbo.targets.exports import export_rows, workbook
from rumbo.targets.forms import CopyForm, DistributionForm, GridChoiceForm, GridForm, SpreadForm
from rumbo.targets.models import Measure, MonthlyDistribution
from rumbo.targets.selectors import Grid, GridRow, managed_roots, target_grid
from rumbo.territories.models import Territory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _territory(request: AuthedRequest, territory_id: int) -> Territory:
    if not request.user.sees_amounts:
        raise Http404
    return get_object_or_404(Territory.objects.visible_to(request.user), pk=territory_id)


def _grid(request: AuthedRequest, territory: Territory) -> tuple[Grid, GridChoiceForm]:
    choice = GridChoiceForm(request.GET or None, user=request.user)
    year, measure, category = choice.choice(timezone.localdate())
    if not request.GET:
        choice = GridChoiceForm(initial={"year": year, "measure": measure}, user=request.user)
    return target_grid(request.user, territory, year, measure, category), choice


def _back(request: AuthedRequest, territory: Territory) -> HttpResponse:
    url = reverse("reports:targets:grid", args=[territory.pk])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The grid of the user's top territory: the organisation's root, a manager's region, a
    rep's territory."""
    user = request.user
    if not user.sees_amounts:
        raise Http404
    visible = Territory.objects.visible_to(user).order_by("depth", "path")
    if user.role == Role.MANAGER:
        roots = managed_roots(user)
        visible = visible.filter(pk__in=roots) if roots else visible
    first = visible.first()
    if first is None:
        return render(request, "targets/empty.html")
    return redirect("reports:targets:grid", territory_id=first.pk)


@login_required
def grid(request: AuthedRequest, territory_id: int) -> HttpResponse:
    territory = _territory(request, territory_id)
    data, choice = _grid(request, territory)
    form = GridForm(request.POST or None, grid=data)
    if request.method == "POST":
        if not data.editable:
            raise Http404
        if form.is_valid():
            return _save_grid(request, territory, data, form)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "targets/grid.html", _context(request, data, choice, form))


def _save_grid(
    request: AuthedRequest, territory: Territory, data: Grid, form: GridForm
) -> HttpResponse:
    changed = services.set_targets(
        organisation=request.user.organisation, measure=data.measure, cells=form.changed_cells(),
        category=data.category, actor=request.user,
    )  # fmt: skip
    messages.success(
        request,
        ngettext("%(n)s target changed.", "%(n)s targets changed.", changed) % {"n": changed},
    )
    return _back(request, territory)


def _context(
    request: AuthedRequest, data: Grid, choice: GridChoiceForm, form: GridForm, **extra: Any
) -> dict[str, Any]:
    rows = [(row, [(form[f"{row.key}-{m.month:02d}"] if row.editable else None, m, v)
                   for m, v in row.cells]) for row in data.rows]  # fmt: skip
    return {
        "grid": data,
        "rows": rows,
        "choice": choice,
        "form": form,
        "copy_form": extra.get("copy_form") or CopyForm(grid=data),
        "spread_form": extra.get("spread_form") or SpreadForm(grid=data, user=request.user),
        "query": request.GET.urlencode(),
        "measure_label": Measure(data.measure).label,
    }


def _owner(data: Grid, key: str) -> GridRow:
    for row in data.rows:
        if row.key == key and row.editable:
            return row
    raise Http404


@login_required
@require_POST
def copy(request: AuthedRequest, territory_id: int) -> HttpResponse:
    """This year's targets from last year's targets or sales, plus or minus a percentage."""
    territory = _territory(request, territory_id)
    data, choice = _grid(request, territory)
    if not data.editable:
        raise Http404
    form = CopyForm(request.POST, grid=data)
    if form.is_valid():
        owners = [_owner(data, key) for key in form.cleaned_data["owners"]]
        try:
            changed = services.copy_last_year(
                organisation=request.user.organisation, year=data.year, measure=data.measure,
                change_pct=form.cleaned_data["change_pct"], basis=form.cleaned_data["basis"],
                territories=[o.territory for o in owners if o.territory],
                reps=[o.rep for o in owners if o.rep], category=data.category, actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(n)s targets copied from %(year)s.") % {
                "n": changed, "year": data.year - 1})  # fmt: skip
            return _back(request, territory)
    grid_form = GridForm(grid=data)
    context = _context(request, data, choice, grid_form, copy_form=form)
    return render(request, "targets/grid.html", context, status=400)


@login_required
@require_POST
def spread(request: AuthedRequest, territory_id: int) -> HttpResponse:
    """Twelve monthly targets from an annual figure and a monthly distribution."""
    territory = _territory(request, territory_id)
    data, choice = _grid(request, territory)
    if not data.editable:
        raise Http404
    form = SpreadForm(request.POST, grid=data, user=request.user)
    if form.is_valid():
        owner = _owner(data, form.cleaned_data["owner"])
        try:
            services.spread_annual(
                organisation=request.user.organisation, year=data.year, measure=data.measure,
                annual=form.cleaned_data["annual"], territory=owner.territory, rep=owner.rep,
                category=data.category, distribution=form.cleaned_data["distribution"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The annual target of %(owner)s is spread over %(year)s.")
                             % {"owner": owner.label, "year": data.year})  # fmt: skip
            return _back(request, territory)
    grid_form = GridForm(grid=data)
    context = _context(request, data, choice, grid_form, spread_form=form)
    return render(request, "targets/grid.html", context, status=400)


@login_required
@require_GET
def export(request: AuthedRequest, territory_id: int) -> HttpResponse:
    """The explicit targets of the territory's subtree and people for a year, as .xlsx."""
    territory = _territory(request, territory_id)
    choice = GridChoiceForm(request.GET or None, user=request.user)
    year = choice.choice(timezone.localdate())[0]
    content = workbook(export_rows(request.user, territory, year), _("Targets"))
    response = HttpResponse(content, content_type=XLSX)
    name = f"targets-{territory.code}-{year}.xlsx".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----- monthly distributions -----------------------------------------------------------------


def _may_change(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.MANAGER)


@login_required
def distributions(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.sees_amounts:
        raise Http404
    form = DistributionForm(request.POST or None, initial=DistributionForm.initial_for(None))
    if request.method == "POST":
        if not _may_change(user):
            raise Http404
        if form.is_valid():
            try:
                created = services.save_distribution(
                    organisation=user.organisation, name=form.cleaned_data["name"],
                    percentages=form.percentages(), actor=user,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Distribution “%(name)s” saved.") % {
                    "name": created.name})  # fmt: skip
                return redirect("reports:targets:distributions")
    rows = MonthlyDistribution.objects.visible_to(user)
    context = {"distributions": rows, "form": form, "may_change": _may_change(user)}
    return render(request, "targets/distributions.html", context)


@login_required
def distribution(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    item = get_object_or_404(MonthlyDistribution.objects.visible_to(user), pk=pk)
    initial = DistributionForm.initial_for(item)
    form = DistributionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not _may_change(user):
            raise Http404
        if request.POST.get("action") == "delete":
            services.delete_distribution(distribution=item, actor=user)
            messages.success(request, _("Distribution “%(name)s” deleted.") % {"name": item.name})
            return redirect("reports:targets:distributions")
        if form.is_valid():
            try:
                services.save_distribution(
                    organisation=user.organisation, name=form.cleaned_data["name"],
                    percentages=form.percentages(), distribution=item, actor=user,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Distribution “%(name)s” saved.") % {
                    "name": item.name})  # fmt: skip
                return redirect("reports:targets:distributions")
    context = {"item": item, "form": form, "may_change": _may_change(user)}
    return render(request, "targets/distribution.html", context)
