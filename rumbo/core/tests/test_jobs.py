import pytest
from django_tasks import task

from rumbo.core.jobs import run_job, start_job
from rumbo.core.models import Job

pytestmark = pytest.mark.django_db


@task()
def count_to(job_id: int, n: int) -> dict:
    def work(progress):
        for i in range(1, n + 1):
            progress(i, n)
        return {"counted": n}

    return run_job(job_id, work)


@task()
def explode(job_id: int) -> dict:
    def work(progress):
        raise ValueError("the file has no header row")

    return run_job(job_id, work)


def test_a_job_reports_progress_and_its_result(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(user=cast.admin, kind="test", label="Counting", task=count_to, n=7)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("succeeded", 7, 7, 100)
    assert job.result == {"counted": 7}
    assert job.task_id


def test_a_failed_job_says_why(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(user=cast.admin, kind="test", label="Boom", task=explode)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "no header row" in job.message
    assert job.finished_at is not None


def test_the_job_page_shows_progress_only_to_its_owner_and_admins(cast, client):
    job = Job.objects.create(
        organisation=cast.org, user=cast.maria, kind="t", label="Importing", done=3, total=4
    )
    client.force_login(cast.alicia)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(cast.maria)
    response = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'value="75"' in response.content and b"<html" not in response.content
    client.force_login(cast.otto)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
