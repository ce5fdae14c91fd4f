"""Quota pages: the plans (drafts, published versions and those they replaced), a new plan, and
one plan as a tree table with the method's proposal, the value now, the difference and the
months, where values are set by hand, and from where it is published as targets.

Admins and managers (for a part of their subtree) only; anyone else gets 404.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.quotas import selectors, services
from rumbo.quotas.forms import SETTING_FIELDS, AdjustForm, PlanForm, SettingsForm
from rumbo.quotas.models import QuotaPlan
from rumbo.territories.models import Territory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request: AuthedRequest) -> None:
    if request.user.role not in (Role.ADMIN, Role.MANAGER) or not request.user.sees_amounts:
        raise Http404


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _new_form(request: AuthedRequest, roots: list[Territory], data: Any = None) -> PlanForm:
    year = timezone.localdate().year + 1
    initial = {"year": year, "measure": "amount", "method": "blend", "months_by": "profile"}
    return PlanForm(data, user=request.user, roots=roots, initial=initial)


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    roots = selectors.roots_for(request.user)
    plans = list(selectors.plans_for(request.user).order_by("-year", "root__path", "-created_at"))
    start = None
    root = roots[0] if roots else None
    if root is not None:
        start = selectors.starting_figures(
            request.user, root, timezone.localdate().year + 1, "amount"
        )
    return render(
        request,
        "quotas/index.html",
        {"plans": plans, "form": _new_form(request, roots) if roots else None, "start": start,
         "start_root": root},
    )  # fmt: skip


@login_required
@require_POST
def create(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    roots = selectors.roots_for(request.user)
    form = _new_form(request, roots, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                root=data["root"], year=data["year"], measure=data["measure"],
                total=data["total"], method=data["method"], months_by=data["months_by"],
                weights=(data["weight_forecast"], data["weight_potential"],
                         data["weight_last_year"]),
                distribution=data["distribution"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Plan created: the method's proposal is below."))
            return redirect("quotas:detail", pk=plan.pk)
    plans = list(selectors.plans_for(request.user).order_by("-year", "root__path", "-created_at"))
    return render(request, "quotas/index.html", {"plans": plans, "form": form}, status=400)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _page(
    request: AuthedRequest,
    plan: QuotaPlan,
    *,
    settings_form: SettingsForm | None = None,
    adjust_form: AdjustForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(plan.lines.select_related("territory", "rep").order_by("position"))
    rows = selectors.rows_of(plan, lines, request.user)
    editable = [r.line for r in rows if r.editable]
    adjust_form = adjust_form or AdjustForm(lines=editable, step=plan.step)
    fields = {name.split("-", 1)[1]: adjust_form[name] for name in adjust_form.fields}
    versions = (
        selectors.plans_for(request.user)
        .filter(root=plan.root, year=plan.year, measure=plan.measure)
        .order_by("-created_at")
    )
    return render(
        request,
        "quotas/plan.html",
        {
            "plan": plan,
            "rows": [(r, fields.get(str(r.line.pk))) for r in rows],
            "months": [MONTHS_3[m] for m in range(1, 13)],
            "may_change": plan.is_draft and services.may_plan(request.user, plan.root),
            "may_copy": not plan.is_draft and services.may_plan(request.user, plan.root),
            "settings_form": settings_form or SettingsForm(instance=plan, user=request.user),
            "adjust_form": adjust_form,
            "consistent": selectors.consistent(lines),
            "hand_set": sum(1 for line in lines if line.manual is not None),
            "versions": versions,
            "sets_root": services.may_set_root(request.user, plan.root),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _staff(request)
    plan = selectors.plan_for(request.user, pk)
    if request.method == "GET":
        return _page(request, plan)
    lines = list(plan.lines.select_related("territory", "rep").order_by("position"))
    rows = selectors.rows_of(plan, lines, request.user)
    form = AdjustForm(request.POST, lines=[r.line for r in rows if r.editable], step=plan.step)
    if not form.is_valid():
        messages.error(request, _("Some values are not numbers; nothing was changed."))
        return _page(request, plan, adjust_form=form, status=400)
    try:
        changed = services.adjust(plan=plan, values=form.changes(), actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error) + " " + _("Nothing was changed."))
        return _page(request, plan, adjust_form=form, status=400)
    if changed:
        messages.success(
            request,
            ngettext(
                "%(n)d value changed; the others were shared again.",
                "%(n)d values changed; the others were shared again.",
                changed,
            )
            % {"n": changed},
        )
    return redirect("quotas:detail", pk=plan.pk)


@login_required
@require_POST
def change_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    _staff(request)
    plan = selectors.plan_for(request.user, pk)
    form = SettingsForm(request.POST, instance=QuotaPlan.objects.get(pk=plan.pk), user=request.user)
    if not form.is_valid():
        return _page(request, plan, settings_form=form, status=400)
    values = {name: form.cleaned_data[name] for name in SETTING_FIELDS}
    try:
        services.change_settings(plan=plan, actor=request.user, **values)
    except ValidationError as error:
        plan.refresh_from_db()
        _add_errors(form, error)
        messages.error(request, _errors(error))
        return _page(request, plan, settings_form=form, status=400)
    messages.success(request, _("Settings saved; the plan was shared again."))
    return redirect("quotas:detail", pk=plan.pk)


def _action(
    request: AuthedRequest, pk: int, action: Any, done: str, then: Any = None
) -> HttpResponse:
    """Run a service on the plan; on success say `done` and go where `then(plan, result)`
    says (the plan's page by default), on a refusal stay on the plan's page with the reason."""
    _staff(request)
    plan = selectors.plan_for(request.user, pk)
    try:
        result = action(plan=plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("quotas:detail", pk=plan.pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return then(plan, result) if then else redirect("quotas:detail", pk=plan.pk)


@login_required
@require_POST
def refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.refresh_inputs,
                   _("The inputs were read again; values set by hand were kept."))  # fmt: skip


@login_required
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.publish,
                   _("Published: the plan's quotas are now the targets of the year."))  # fmt: skip


@login_required
@require_POST
def new_version(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.new_version,
                   _("A new draft, with the same settings and values set by hand."),
                   then=lambda _plan, copy: redirect("quotas:detail", pk=copy.pk))  # fmt: skip


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.delete_draft, _("Draft deleted."),
                   then=lambda _plan, _none: redirect("quotas:index"))  # fmt: skip


@login_required
@require_GET
def export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan as a spreadsheet: one row per territory or rep, proposal, value, months."""
    _staff(request)
    plan = selectors.plan_for(request.user, pk)
    book = Workbook()
    sheet = book.active
    sheet.title = str(plan.year)
    sheet.append([
        _("Territory or rep"), _("Level"), _("Method's proposal"), _("Quota"), _("Set by hand"),
        *(str(MONTHS_3[m]) for m in range(1, 13)),
    ])  # fmt: skip
    for line in plan.lines.select_related("territory", "rep").order_by("position"):
        name = "  " * line.depth + str(line.rep or line.territory)
        level = _("Rep") if line.rep else line.territory.get_level_display()
        sheet.append([
            name, str(level), float(line.proposal), float(line.value),
            None if line.manual is None else float(line.manual),
            *(float(Decimal(v)) for v in line.months),
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = f"quotas-{plan.root.code}-{plan.year}-{plan.measure}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
