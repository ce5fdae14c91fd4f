"""The background task that plans a rep's visits over the coming weeks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from rumbo.core.jobs import report_progress, run_job
from rumbo.visits import services
from rumbo.visits.models import VisitPlan


@task()
def plan_rep_visits(job_id: int, plan_id: int) -> dict[str, Any]:
    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        plan = VisitPlan.objects.select_related("rep").get(pk=plan_id)
        services.make_plan(plan, progress)
        message = _("%(visits)d visits planned, %(dropped)d left out.") % {
            "visits": plan.summary.get("visits", 0),
            "dropped": len(plan.dropped),
        }
        report_progress(job_id, plan.time_limit_s, plan.time_limit_s, message=message)
        url = reverse("visits:week", args=[plan.rep_id]) + f"?start={plan.starts_on.isoformat()}"
        return {"url": url, "visits": plan.summary.get("visits", 0)}

    return run_job(job_id, work)
