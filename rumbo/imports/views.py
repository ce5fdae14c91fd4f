"""Import pages: upload a file, map its columns, preview the first rows, import; and the report.

Only administrators and managers import; to anyone else every page answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.imports import services
from rumbo.imports.forms import MappingForm, UploadForm
from rumbo.imports.kinds import get_kind
from rumbo.imports.mapping import Mapping, MappingError
from rumbo.imports.models import ImportBatch, MappingPreset
from rumbo.imports.readers import UnreadableFile

EDITABLE = (ImportBatch.Status.UPLOADED, ImportBatch.Status.INVALID, ImportBatch.Status.CHECKED)


def _check_role(request: AuthedRequest) -> None:
    if request.user.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404


def _batch(request: AuthedRequest, pk: int) -> ImportBatch:
    _check_role(request)
    return get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)


@login_required
def batch_list(request: AuthedRequest) -> HttpResponse:
    _check_role(request)
    user = request.user
    form = UploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preset: MappingPreset | None = form.cleaned_data["preset"]
        try:
            batch = services.create_batch(
                organisation=user.organisation, user=user, kind=form.cleaned_data["kind"],
                file_name=upload.name or "file", content=upload.read(),
                mapping=preset.mapping if preset else None,
                language=translation.get_language() or "es",
            )  # fmt: skip
        except (UnreadableFile, MappingError) as exc:
            form.add_error("file", str(exc))
        except PermissionDenied:
            form.add_error("kind", _("You may not import this kind of data."))
        else:
            return redirect("imports:mapping", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(user).defer("content").select_related("user")[:50]
    presets = MappingPreset.objects.visible_to(user)
    return render(
        request, "imports/list.html", {"form": form, "batches": batches, "presets": presets}
    )


@login_required
def batch_mapping(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if batch.status not in EDITABLE:
        return redirect("imports:detail", pk=batch.pk)
    kind = get_kind(batch.kind)
    table = services.read(batch)
    try:
        mapping = Mapping.from_json(batch.mapping)
    except MappingError:
        mapping = kind.suggest(table)
    form = MappingForm(request.POST or None, kind=kind, table=table, mapping=mapping)
    if request.method == "POST" and form.is_valid():
        services.set_mapping(batch=batch, mapping=form.mapping)
        name = form.cleaned_data["save_as"].strip()
        if name:
            services.save_preset(
                organisation=request.user.organisation, user=request.user, name=name,
                kind=batch.kind, mapping=form.mapping,
            )  # fmt: skip
            messages.success(request, _("Mapping saved as “%(name)s”.") % {"name": name})
        return redirect("imports:preview", pk=batch.pk)
    context = {"batch": batch, "kind": kind, "form": form, "table": table}
    return render(request, "imports/mapping.html", context)


@login_required
def batch_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if request.method == "POST":
        if batch.status not in EDITABLE:
            return redirect("imports:detail", pk=batch.pk)
        dry_run = request.POST.get("action") != "import"
        job = services.start_import(batch=batch, user=request.user, dry_run=dry_run)
        return redirect("core:job", pk=job.pk)
    shown = services.preview(batch)
    context = {
        "batch": batch,
        "kind": get_kind(batch.kind),
        "preview": shown,
        "cells": _cells(shown),
        "earlier": services.earlier_imports(batch),
        "editable": batch.status in EDITABLE,
    }
    return render(request, "imports/preview.html", context)


def _cells(shown: services.Preview) -> list[tuple[int, list[tuple[object, str]]]]:
    """Rows of (value, problem) pairs in the order of the preview's fields."""
    problems = {(p.row, p.column): p.message for p in shown.problems}
    rows = []
    for record in shown.records:
        cells = []
        for f in shown.fields:
            column = record.columns.get(f.name, str(f.label))
            value = record.values.get(f.name, "")
            if isinstance(value, tuple):  # (RUC or DNI, number)
                value = value[1]
            cells.append((value, problems.get((record.row, column), "")))
        rows.append((record.row, cells))
    return rows


@login_required
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    context = {"batch": batch, "kind": get_kind(batch.kind), "report": batch.report}
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def preset_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _check_role(request)
    presets = MappingPreset.objects.visible_to(request.user)
    if request.user.role != Role.ADMIN:
        presets = presets.filter(created_by=request.user)
    preset = get_object_or_404(presets, pk=pk)
    services.delete_preset(preset=preset)
    messages.success(request, _("Mapping “%(name)s” deleted.") % {"name": preset.name})
    return redirect("imports:list")
