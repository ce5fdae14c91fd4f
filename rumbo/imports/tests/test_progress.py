"""The job page must see an import's progress while its transaction is still open (PostgreSQL)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from rumbo.browser import BROWSER_APPS
from rumbo.core.models import Job, Role
from rumbo.imports.services import JobProgress
from rumbo.testing import OrganisationFactory, person


def done_seen_by_another_connection(job_id: int) -> int:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT done FROM {Job._meta.db_table} WHERE id = %s", [job_id])
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True, available_apps=BROWSER_APPS)
def test_progress_is_visible_while_the_import_still_writes():
    org = OrganisationFactory.create(slug="progress")
    admin = person("p", "P", org, Role.ADMIN)
    job = Job.objects.create(organisation=org, user=admin, kind="import", label="x")
    progress = JobProgress(job.pk)
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).exists()
            progress(40, 100)
            assert done_seen_by_another_connection(job.pk) == 40
    finally:
        progress.close()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the test above covers PostgreSQL")
@pytest.mark.django_db
def test_on_sqlite_progress_lands_on_the_job_in_the_same_transaction(cast):
    job = Job.objects.create(organisation=cast.org, user=cast.admin, kind="import", label="x")
    progress = JobProgress(job.pk)
    progress(3, 7)
    progress.close()
    job.refresh_from_db()
    assert (job.done, job.total) == (3, 7)
