"""Background jobs: a Job row the user can watch, run by a Django task on the worker.

    job = start_job(user=user, kind="import", label="Import", task=run_import, batch_id=7)

The task receives `job_id` and reports with `report_progress(job_id, done, total)`; `run_job`
marks the job finished or failed, so a crash never leaves a job 'running' for ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from rumbo.core.models import Job, User

log = logging.getLogger(__name__)


def start_job(
    *, user: User, kind: str, label: str, task: Any, total: int = 0, **kwargs: Any
) -> Job:
    """Create the job and enqueue `task(job_id=..., **kwargs)` once the transaction commits."""
    assert user.organisation_id is not None
    job = Job.objects.create(
        organisation_id=user.organisation_id, user=user, kind=kind, label=label, total=total
    )

    def enqueue() -> None:
        result = task.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def report_progress(job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    fields: dict[str, Any] = {"done": done, "status": Job.Status.RUNNING}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job_id).update(**fields)


def run_job(
    job_id: int, work: Callable[[Callable[[int, int], None]], dict[str, Any]]
) -> dict[str, Any]:
    """Run `work(progress)` for a job and record how it ended. Returns the job's result."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        report_progress(job_id, done, total)

    try:
        result = work(progress)
    except Exception as exc:
        log.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result, finished_at=timezone.now()
    )
    return result


class JobClock:
    """A stopping criterion for the engine's searches that stops after `seconds` and reports
    each whole second done as the job's progress (done / seconds)."""

    def __init__(self, seconds: float, progress: Callable[[int, int], None]) -> None:
        self.seconds = seconds
        self.progress = progress
        self.started: float | None = None
        self.reported = -1

    def __call__(self, best_cost: float) -> bool:
        now = time.perf_counter()
        if self.started is None:
            self.started = now
        elapsed = now - self.started
        done = int(min(elapsed, self.seconds))
        if done > self.reported:
            self.reported = done
            self.progress(done, int(self.seconds))
        return elapsed >= self.seconds
