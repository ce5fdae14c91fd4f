"""The background task that recomputes an organisation's segments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from rumbo.core.jobs import report_progress, run_job
from rumbo.core.models import Organisation
from rumbo.coverage.adapters import HISTORY_MONTHS, compute_segments


@task()
def recompute_segments(job_id: int, organisation_id: int, month: str) -> dict[str, Any]:
    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        organisation = Organisation.objects.get(pk=organisation_id)
        rows = compute_segments(
            organisation=organisation, month=dt.date.fromisoformat(month), progress=progress
        )
        message = _("%(rows)d account-months classified.") % {"rows": rows}
        report_progress(job_id, HISTORY_MONTHS, message=message)
        return {"rows": rows, "url": reverse("coverage:overview")}

    return run_job(job_id, work)
