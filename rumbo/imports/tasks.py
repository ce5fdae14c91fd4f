"""The background task that runs an import started from the web pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_tasks import task

from rumbo.core.jobs import report_progress, run_job
from rumbo.imports.models import ImportBatch
from rumbo.imports.services import JobProgress, result_of, run_batch


@task()
def run_import(job_id: int, batch_id: int, dry_run: bool) -> dict[str, Any]:
    def work(_progress: Callable[[int, int], None]) -> dict[str, Any]:
        batch = ImportBatch.objects.select_related("organisation", "user").get(pk=batch_id)
        progress = JobProgress(job_id)
        try:
            run_batch(batch=batch, dry_run=dry_run, progress=progress)
        finally:
            progress.close()
        result = result_of(batch)
        report_progress(job_id, 2 * batch.row_count, message=result["message"])
        return result

    return run_job(job_id, work)
