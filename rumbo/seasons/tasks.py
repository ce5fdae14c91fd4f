"""The background task that computes an organisation's seasonal profiles and forecasts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from rumbo.core.jobs import report_progress, run_job
from rumbo.seasons import adapters
from rumbo.seasons.models import SeasonRun


@task()
def compute_seasons(job_id: int, run_id: int) -> dict[str, Any]:
    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        run = SeasonRun.objects.select_related("organisation").get(pk=run_id)
        adapters.compute(run=run, progress=progress)
        message = _("%(series)d forecasts and %(profiles)d profiles stored.") % {
            "series": run.series.count(),
            "profiles": run.profiles.count(),
        }
        report_progress(job_id, 5, 5, message=message)
        return {"url": reverse("seasons:profiles")}

    return run_job(job_id, work)
