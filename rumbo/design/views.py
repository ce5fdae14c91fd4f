"""Territory design pages: scenarios, the design map, the optimiser, side-by-side comparison,
what each rep gains and loses, publication and rollback. Admins and managers only (managers
within their subtree); everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.jobs import start_job
from rumbo.core.models import Role
from rumbo.design import adapters, selectors, services
from rumbo.design.adapters import leaves_under
from rumbo.design.forms import EditForm, LocksForm, NewScenarioForm, PublishForm, RulesForm
from rumbo.design.models import MEASURE_LABELS, MEASURES, Scenario
from rumbo.design.tasks import optimise_scenario


def _designer(request: AuthedRequest) -> None:
    if request.user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def scenario_list(request: AuthedRequest) -> HttpResponse:
    _designer(request)
    roots = selectors.roots_for(request.user)
    form = NewScenarioForm(request.POST or None, roots=roots)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.create_scenario(
                root=form.cleaned_data["root"], name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(scenario)
    scenarios = Scenario.objects.visible_to(request.user).select_related("root", "created_by")
    return render(request, "design/list.html", {"form": form, "scenarios": scenarios})


@login_required
@require_GET
def scenario(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    ov = selectors.overview(found)
    territories = ov.board.territories
    return render(
        request,
        "design/scenario.html",
        {
            "scenario": found,
            "ov": ov,
            "rows": zip(ov.today.rows, ov.proposed.rows, strict=True),
            "rules": RulesForm(instance=found),
            "edit": EditForm(territories=territories),
            "locks": LocksForm(
                territories=territories,
                initial={"territories": found.locked_territories.all()},
            ),
            "publish": PublishForm(initial={"effective_from": timezone.localdate()}),
            "others": Scenario.objects.visible_to(request.user)
            .filter(root=found.root)
            .exclude(pk=found.pk),
        },
    )


@login_required
@require_GET
def map_data(request: AuthedRequest, pk: int) -> JsonResponse:
    found = selectors.scenario_for(request.user, pk)
    return JsonResponse(selectors.map_data(adapters.board(found)))


@login_required
@require_GET
def districts(request: AuthedRequest, pk: int) -> JsonResponse:
    found = selectors.scenario_for(request.user, pk)
    return JsonResponse(selectors.districts_geojson(found))


@login_required
@require_POST
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    form = EditForm(request.POST, territories=leaves_under(found.root))
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        ids = selectors.resolve_accounts(found, form.cleaned_data["accounts"])
        action = form.cleaned_data["action"]
        if action == "move":
            done = services.move_accounts(
                scenario=found,
                account_ids=ids,
                territory=form.cleaned_data["territory"],
                actor=request.user,
            )
            text = _("%(n)d accounts moved and locked there.") % {"n": done}
        else:
            done = services.lock_accounts(
                scenario=found, account_ids=ids, locked=action == "lock", actor=request.user
            )
            text = (_("%(n)d accounts locked.") if action == "lock" else _("%(n)d unlocked.")) % {
                "n": done
            }
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": _errors(error)}, status=400)
        messages.error(request, _errors(error))
    else:
        if _wants_json(request):
            return JsonResponse({"message": text, "changed": done})
        messages.success(request, text)
    return redirect(found)


@login_required
@require_POST
def locks(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    form = LocksForm(request.POST, territories=leaves_under(found.root))
    try:
        if not form.is_valid():
            raise ValidationError(_("Pick the scenario's own territories."))
        services.lock_territories(
            scenario=found, territories=form.cleaned_data["territories"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Territory locks saved."))
    return redirect(found)


@login_required
@require_POST
def optimise(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    form = RulesForm(request.POST, instance=Scenario.objects.get(pk=found.pk))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(e) for e in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect(found)
    try:
        with transaction.atomic():
            services.update_rules(scenario=found, actor=request.user, **form.cleaned_data)
            job = start_job(
                user=request.user,
                kind="design",
                label=_("Optimise %(name)s") % {"name": found.name},
                task=optimise_scenario,
                total=found.time_limit_s,
                scenario_id=found.pk,
            )
            Scenario.objects.filter(pk=found.pk).update(job=job)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(found)
    return redirect("core:job", pk=job.pk)


@login_required
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the date the new alignment starts."))
        moved = services.publish_scenario(
            scenario=found, effective_from=form.cleaned_data["effective_from"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Published: %(n)d accounts changed territory.") % {"n": moved})
    return redirect(found)


@login_required
@require_POST
def rollback(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    try:
        restored, skipped = services.rollback_scenario(scenario=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        text = _("Rolled back: %(n)d accounts returned to their former territory.") % {
            "n": restored
        }
        if skipped:
            text += " " + _("%(n)d had moved again since and stay where they are.") % {"n": skipped}
        messages.success(request, text)
    return redirect(found)


@login_required
@require_POST
def copy(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    name = _("Copy of %(name)s") % {"name": found.name}
    try:
        made = services.create_scenario(
            root=found.root, name=name[:120], actor=request.user, copy_of=found
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(found)
    return redirect(made)


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    try:
        services.delete_scenario(scenario=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(found)
    messages.success(request, _("Scenario deleted."))
    return redirect("design:list")


@login_required
@require_GET
def reps(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.scenario_for(request.user, pk)
    ov = selectors.overview(found)
    wanted = request.GET.get("territory", "")
    only = ov.board.index.get(int(wanted)) if wanted.isdigit() else None
    if wanted and only is None:
        raise Http404
    return render(
        request,
        "design/reps.html",
        {"scenario": found, "ov": ov, "items": selectors.explanations(ov, only)},
    )


@login_required
@require_GET
def compare(request: AuthedRequest) -> HttpResponse:
    _designer(request)
    first, second = request.GET.get("a", ""), request.GET.get("b", selectors.TODAY)
    try:
        found = selectors.sides(request.user, first, second)
    except ValueError:
        messages.error(request, _("Compare scenarios of the same part of the tree."))
        return redirect("design:list")
    if found is None:
        return redirect("design:list")
    left, right, board = found
    return render(
        request,
        "design/compare.html",
        {
            "left": left,
            "right": right,
            "balance": [
                (m, MEASURE_LABELS[m], left.figures.balance_pct[m], right.figures.balance_pct[m])
                for m in MEASURES
            ],
            "rows": zip(
                left.figures.rows,
                right.figures.rows,
                selectors.differences(board, left, right),
                strict=True,
            ),
            "choices": Scenario.objects.visible_to(request.user).filter(
                root_id=(left.scenario or right.scenario).root_id  # type: ignore[union-attr]
            ),
        },
    )
