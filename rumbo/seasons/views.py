"""Seasons pages: what each kind of customer buys when (profiles as a heat map and a table),
the forecasts with their accuracy, the demand plan for inventory (also as XLSX), and the
calendar of holidays and selling seasons. Reads are scoped by role; computing is for staff."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from rumbo.catalog.models import Category
from rumbo.core.http import AuthedRequest
from rumbo.core.jobs import start_job
from rumbo.seasons import selectors, services
from rumbo.seasons.forms import EventForm
from rumbo.seasons.models import CalendarEvent, SeasonRun
from rumbo.seasons.tasks import compute_seasons
from rumbo.territories.models import Territory

# The engine's names of the hierarchy's levels, as the pages say them.
LEVEL_LABELS = {
    "Total": gettext_lazy("Company"), "category": gettext_lazy("Company × category"),
    "region": gettext_lazy("Region"), "region × category": gettext_lazy("Region × category"),
    "region × territory": gettext_lazy("Territory"),
    "region × territory × category": gettext_lazy("Territory × category"),
}  # fmt: skip


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _visible_territory(request: AuthedRequest, pk: int | None) -> Territory | None:
    if pk is None:
        return None
    found = Territory.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _base(request: AuthedRequest, run: SeasonRun | None) -> dict[str, Any]:
    return {"run": run, "may_compute": services.may_edit(request.user)}


@login_required
@require_GET
def profiles(request: AuthedRequest) -> HttpResponse:
    user = request.user
    run = selectors.latest_run(user)
    context = _base(request, run)
    services.calendar_for(user.organisation)
    if run is not None:
        measure = selectors.measure_of(user, request.GET.get("measure"))
        territories = selectors.territories_for(user, run)
        territory = _visible_territory(request, _int(request.GET.get("territory")))
        if territory is None and not selectors.sees_everything(user) and territories:
            territory = territories[0]
        channel = _int(request.GET.get("channel")) if selectors.sees_everything(user) else None
        rows = selectors.category_profiles(user, run, measure, territory, channel)
        context.update(
            measure=measure, territory=territory, channel=channel, rows=rows,
            territories=territories, everything=selectors.sees_everything(user),
            channels=selectors.channels(run) if selectors.sees_everything(user) else [],
            accounts=selectors.account_profiles(user, run, measure),
            months=selectors.month_columns(user, run),
            heat=json.dumps({
                "rows": [r.label for r in rows], "values": [r.index for r in rows],
                "months": [str(m).capitalize() for m in MONTHS_3.values()],
            }),
        )  # fmt: skip
    return render(request, "seasons/profiles.html", context)


@login_required
@require_POST
def recompute(request: AuthedRequest) -> HttpResponse:
    if not services.may_edit(request.user):
        raise Http404
    with transaction.atomic():
        run = SeasonRun.objects.create(organisation_id=request.user.organisation_id)
        job = start_job(user=request.user, kind="seasons", label=_("Seasons and forecasts"),
                        task=compute_seasons, total=5, run_id=run.pk)  # fmt: skip
        run.job = job
        run.save(update_fields=["job"])
    return redirect("core:job", pk=job.pk)


@login_required
@require_GET
def forecast(request: AuthedRequest) -> HttpResponse:
    user = request.user
    run = selectors.latest_run(user)
    context = _base(request, run)
    if run is not None and run.last_month is not None:
        measure = selectors.measure_of(user, request.GET.get("measure"))
        category = Category.objects.filter(
            organisation_id=user.organisation_id, pk=_int(request.GET.get("category")) or 0
        ).first()
        rows = selectors.forecast_series(user, run, measure, category)
        chosen = next((r for r in rows if r.pk == _int(request.GET.get("series"))), None)
        chosen = chosen or (rows[0] if rows else None)
        context.update(
            measure=measure, category=category, rows=rows, chosen=chosen,
            months=selectors.horizon_months(run),
            categories=Category.objects.filter(organisation_id=user.organisation_id,
                                               children__isnull=True).order_by("name"),
            chart=json.dumps(_chart(run, chosen)) if chosen else "",
            accuracy=_accuracy(run, measure),
        )  # fmt: skip
    return render(request, "seasons/forecast.html", context)


def _accuracy(run: SeasonRun, measure: str) -> list[tuple[Any, dict[str, Any]]]:
    return [(LEVEL_LABELS.get(k, k), a) for k, a in run.accuracy.get(measure, {}).items()]


def _chart(run: SeasonRun, s: Any) -> dict[str, Any]:
    months = selectors.horizon_months(run)
    past = [selectors.add_months(months[0], -len(s.history) + i) for i in range(len(s.history))]
    return {
        "months": [m.strftime("%Y-%m") for m in past + months],
        "history": s.history + [None] * len(months),
        "mean": [None] * (len(past) - 1) + [s.history[-1]] + s.mean if s.history else s.mean,
        "lower": [None] * len(past) + s.lower80,
        "upper": [None] * len(past) + s.upper80,
    }


@login_required
@require_GET
def demand(request: AuthedRequest) -> HttpResponse:
    user = request.user
    run = selectors.latest_run(user)
    context = _base(request, run)
    if run is not None and run.last_month is not None:
        nodes = selectors.demand_nodes(user, run)
        node = _visible_territory(request, _int(request.GET.get("node")))
        if node is None and not selectors.sees_everything(user):
            node = nodes[0] if nodes else None
        if node is None and not selectors.sees_everything(user):
            raise Http404
        months = min(max(_int(request.GET.get("months")) or 6, 3), run.horizon)
        rows = selectors.demand_plan(user, run, node, months)
        dates = selectors.horizon_months(run)[:months]
        if request.GET.get("format") == "xlsx":
            return _xlsx(rows, dates, node)
        context.update(rows=rows, months=dates, node=node, nodes=nodes, count=months,
                       everything=selectors.sees_everything(user))  # fmt: skip
    return render(request, "seasons/demand.html", context)


def _xlsx(rows: list[Any], months: list[Any], node: Territory | None) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Demand plan")[:31]
    bounds = [_("Low (80 %)"), _("High (80 %)"), _("Low (95 %)"), _("High (95 %)")]
    sheet.append([_("Where"), _("Category"), _("Month"), _("Expected units"), *bounds])
    where = node.name if node else _("Whole company")
    for row in rows:
        for i, month in enumerate(months):
            sheet.append([where, row.category.name, month.strftime("%Y-%m"),
                          *(round(getattr(row, k)[i] or 0, 1) for k in
                            ("mean", "lower80", "upper80", "lower95", "upper95"))])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="demand-plan.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: AuthedRequest) -> HttpResponse:
    user = request.user
    events = services.calendar_for(user.organisation)
    form = EventForm(request.POST or None)
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                found = CalendarEvent.objects.filter(
                    organisation_id=user.organisation_id, pk=_int(request.POST.get("delete")) or 0
                ).first()
                if found is None:
                    raise Http404
                services.delete_event(actor=user, event=found)
                messages.success(request, _("Removed from the calendar."))
                return redirect("seasons:calendar")
            if form.is_valid():
                services.add_event(actor=user, **form.cleaned_data)
                messages.success(request, _("Added to the calendar."))
                return redirect("seasons:calendar")
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "seasons/calendar.html",
        {"events": events, "form": form, "may_edit": services.may_edit(user)},
    )
