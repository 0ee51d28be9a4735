"""Issue files uploaded through the admin: preview in the request, import in a worker.

The real queue: the confirmation enqueues on django-tasks-db's database backend and
``manage.py db_worker --batch`` runs the tasks, in this process, against the test database.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models.signals import post_save
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from articles.models import ArticleFlag
from issues.importing import ImportOutcome, do_import_issue
from issues.models import ImportJob, Issue
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/issues/issue/upload/"
JOBS = "/admin/issues/importjob/"


@pytest.fixture
def chief(db, workers_daily):
    return make_user("chief", "Chief editors")


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """The worker drops connections outside autocommit, as the test's transaction is; keep
    it, as Django's test client does for requests."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def preview(client, data: bytes, name: str = "workers-daily.txt", **extra):
    upload = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(UPLOAD, {"files": [upload], **extra})


def confirm(client, response, capture, **extra):
    jobs = [p["job"].pk for p in response.context["previews"] if "job" in p]
    with capture(execute=True):
        return client.post(UPLOAD, {"confirm": "1", "job": jobs, **extra}, follow=True)


def test_preview_saves_nothing_then_a_worker_imports_and_the_admin_shows_it(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    client.force_login(chief)
    shown = preview(client, sample_bytes)
    assert "确认导入" in shown.content.decode() and not Issue.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEW
    assert "workers-daily.txt" not in client.get(JOBS).content.decode(), "unconfirmed previews are not jobs yet"

    listing = confirm(client, shown, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists(), "enqueued on the database queue"
    page = listing.content.decode()
    assert "已排队导入 1 个文件" in page and "排队中" in page
    assert 'http-equiv="refresh"' in page, "the list refreshes itself while an import is pending"
    assert not Issue.objects.exists(), "the request only queues; the worker imports"

    run_worker()
    job.refresh_from_db()
    issue = Issue.objects.get()
    assert job.status == ImportJob.Status.DONE and job.issue == issue and issue.source_name == "workers-daily.txt"
    assert ImportOutcome.CREATED.label in job.summary and job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    detail = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "已完成" in detail and 'value="100"' in detail and 'http-equiv="refresh"' not in detail


def test_the_job_reports_each_stage_as_it_goes(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    seen: list[str] = []

    def record(sender, instance, **kwargs):
        seen.append(instance.status)

    client.force_login(chief)
    confirm(client, preview(client, sample_bytes), django_capture_on_commit_callbacks)
    post_save.connect(record, sender=ImportJob)
    try:
        run_worker()
    finally:
        post_save.disconnect(record, sender=ImportJob)
    assert seen == [ImportJob.Status.PARSING, ImportJob.Status.SAVING, ImportJob.Status.DONE]


def test_publish_on_upload_still_respects_unreviewed_flags(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    client.force_login(chief)
    confirm(client, preview(client, sample_bytes, publish="on"), django_capture_on_commit_callbacks, publish="1")
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and "导入了但未发布" in job.summary
    assert Issue.objects.get().status == Issue.Status.IMPORTED


def test_a_refused_import_fails_the_job_with_the_reason_and_changes_nothing(
    client, chief, sample_bytes, sample_issue, django_capture_on_commit_callbacks
):
    changed = sample_bytes.replace("职工".encode(), "员工".encode(), 1)
    client.force_login(chief)
    confirm(client, preview(client, changed), django_capture_on_commit_callbacks)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "--replace" in job.summary
    assert Issue.objects.get().source_sha256 == sample_issue.source_sha256
    assert "失败" in client.get(JOBS).content.decode()


def test_a_crash_in_the_worker_fails_the_job_and_leaves_no_partial_issue(
    client, chief, sample_bytes, monkeypatch, django_capture_on_commit_callbacks
):
    import issues.importing

    def crash(issue, parse):
        raise RuntimeError("disk on fire")

    client.force_login(chief)
    confirm(client, preview(client, sample_bytes), django_capture_on_commit_callbacks)
    monkeypatch.setattr(issues.importing, "_save_pages", crash)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "内部错误" in job.summary
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    assert not Issue.objects.exists()


def test_nobody_queues_another_users_preview(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    other = make_user("other-chief", "Chief editors")
    client.force_login(other)
    theirs = preview(client, sample_bytes)
    client.force_login(chief)
    page = confirm(client, theirs, django_capture_on_commit_callbacks).content.decode()
    assert "预览已过期" in page
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEW and not DBTaskResult.objects.exists()


def test_bad_text_is_refused_at_preview(client, chief):
    client.force_login(chief)
    response = preview(client, b"\x00\x01binary", name="bad.txt")
    assert "binary" in response.content.decode()
    assert not ImportJob.objects.exists() and not Issue.objects.exists()


@pytest.mark.parametrize(("group", "status"), [(None, 403), ("Editors", 403), ("Chief editors", 200)])
def test_only_uploaders_see_import_jobs(client, workers_daily, group, status):
    client.force_login(make_user("someone", group))
    assert client.get(JOBS).status_code == status


def test_the_worker_publishes_through_the_workflow_as_the_uploader(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    issue = do_import_issue(sample_bytes, source_name="workers-daily.txt").issue
    ArticleFlag.objects.filter(article__page__issue=issue).mark_reviewed(None)  # reviewed since the import
    client.force_login(chief)
    confirm(client, preview(client, sample_bytes, publish="on"), django_capture_on_commit_callbacks, publish="1")
    run_worker()
    job = ImportJob.objects.get()
    issue.refresh_from_db()
    assert "已发布" in job.summary and issue.is_public
    revision = Version.objects.get_for_object(issue).first().revision
    assert revision.user == chief and revision.get_comment() == f"发布；执行者：后台导入任务 #{job.pk}"


def test_the_worker_does_not_publish_for_an_uploader_who_lost_the_right(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    client.force_login(chief)
    confirm(client, preview(client, sample_bytes, publish="on"), django_capture_on_commit_callbacks, publish="1")
    chief.groups.set([Group.objects.get(name="Editors")])
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and "你没有发布的权限" in job.summary
    assert Issue.objects.get().status == Issue.Status.IMPORTED
