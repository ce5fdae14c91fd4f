"""The coverage pages: segments and strategies, the value × effort matrix, migration, workload
and an account's own plan. Reads go through rumbo.coverage.selectors (scoped by role); writes
through rumbo.coverage.services, for admins and managers only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.jobs import start_job
from rumbo.coverage import selectors, services
from rumbo.coverage.forms import AccountPlanForm, SettingsForm, StrategyForm
from rumbo.coverage.models import SEGMENT_ORDER, Quadrant
from rumbo.coverage.tasks import recompute_segments


def _shaper(request: AuthedRequest) -> None:
    """Pages that change the coverage model do not exist for reps and viewers."""
    if not services.may_shape(request.user):
        raise Http404


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    month = selectors.pick_month(request.user, request.GET.get("month"))
    context: dict[str, object] = {
        "month": month,
        "months": selectors.months(request.user),
        "may_shape": services.may_shape(request.user),
    }
    if month is not None:
        context["segments"] = selectors.segment_table(request.user, month)
        if request.user.sees_amounts:
            context["chart"] = selectors.matrix(request.user, month)
            context["best"] = selectors.quadrant_accounts(request.user, month, Quadrant.BEST)
            context["costly"] = selectors.quadrant_accounts(request.user, month, Quadrant.COSTLY)
    return render(request, "coverage/overview.html", context)


@login_required
@require_POST
def recompute(request: AuthedRequest) -> HttpResponse:
    _shaper(request)
    month = timezone.localdate().replace(day=1)
    with transaction.atomic():
        job = start_job(
            user=request.user,
            kind="segments",
            label=_("Segments"),
            task=recompute_segments,
            organisation_id=request.user.organisation_id,
            month=month.isoformat(),
        )
    return redirect("core:job", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def strategies(request: AuthedRequest) -> HttpResponse:
    _shaper(request)
    org = request.user.organisation
    current = services.strategies_for(org)
    data = request.POST if request.method == "POST" else None
    settings_form = SettingsForm(data, instance=services.settings_for(org), prefix="settings")
    rows = [StrategyForm(data, instance=current[s], prefix=s) for s in SEGMENT_ORDER]
    if request.method == "POST" and settings_form.is_valid() and all(f.is_valid() for f in rows):
        try:
            with transaction.atomic():
                services.update_settings(
                    organisation=org, actor=request.user, **settings_form.cleaned_data
                )
                services.update_strategies(
                    organisation=org,
                    actor=request.user,
                    rows={f.prefix or "": f.cleaned_data for f in rows},
                )
        except ValidationError as error:
            settings_form.add_error(None, error)
        else:
            messages.success(
                request, _("Saved. Recompute the segments to apply the new rules to every account.")
            )
            return redirect("coverage:strategies")
    return render(
        request, "coverage/strategies.html", {"settings_form": settings_form, "rows": rows}
    )


@login_required
def migration(request: AuthedRequest) -> HttpResponse:
    month = selectors.pick_month(request.user, request.GET.get("month"))
    by = "rep" if request.GET.get("by") == "rep" else "territory"
    data = selectors.migration(request.user, month, by) if month else None
    return render(
        request,
        "coverage/migration.html",
        {"month": month, "months": selectors.months(request.user), "by": by, "data": data},
    )


@login_required
def workload(request: AuthedRequest) -> HttpResponse:
    month = selectors.pick_month(request.user, request.GET.get("month"))
    rows = selectors.workload(request.user, month) if month else []
    return render(
        request,
        "coverage/workload.html",
        {"month": month, "months": selectors.months(request.user), "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_plan(request: AuthedRequest, account_id: int) -> HttpResponse:
    coverage = selectors.account_coverage(request.user, account_id)
    may_shape = services.may_shape(request.user)
    if request.method == "POST" and not may_shape:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = AccountPlanForm(
        data, instance=coverage.plan, organisation_id=request.user.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "introduce"}
        try:
            services.save_account_plan(
                account=coverage.account,
                actor=request.user,
                products=form.cleaned_data["introduce"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account's coverage plan was saved."))
            return redirect("customers:account_detail", pk=coverage.account.pk)
    return render(
        request,
        "coverage/account_plan.html",
        {"coverage": coverage, "form": form, "may_shape": may_shape},
    )
