"""Issue files uploaded through the admin: the request stores them, a worker previews, the
uploader confirms, a worker imports.

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

from articles.models import Article, ArticleFlag
from desk import jobs
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


def upload(client, capture, data: bytes, name: str = "workers-daily.txt", **extra):
    """Upload one file: the request stores it and queues its preview; a worker previews it."""
    file = SimpleUploadedFile(name, data, content_type="text/plain")
    with capture(execute=True):
        response = client.post(UPLOAD, {"files": [file], **extra})
    run_worker()
    return response


def preview(client, capture, data: bytes, name: str = "workers-daily.txt", **extra) -> ImportJob:
    upload(client, capture, data, name, **extra)
    return ImportJob.objects.order_by("-pk").first()


def confirm(client, job: ImportJob, capture, **extra):
    with capture(execute=True):
        return client.post(f"{JOBS}{job.pk}/confirm/", extra, follow=True)


def test_the_upload_only_stores_the_file_a_worker_previews_it_and_another_imports_it(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    client.force_login(chief)
    file = SimpleUploadedFile("workers-daily.txt", sample_bytes, content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"files": [file]})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{JOBS}{job.pk}/change/"
    assert job.status == ImportJob.Status.CHECKING and bytes(job.data) == sample_bytes and not job.preview
    waiting = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "正在后台预览" in waiting and 'http-equiv="refresh"' in waiting and 'value="确认导入"' not in waiting

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and not Issue.objects.exists()
    shown = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert 'value="确认导入"' in shown and "三级服务体系为职工减压赋能" in shown and 'http-equiv="refresh"' not in shown
    assert "报头预告的第2-8版缺失" in shown, "warnings rendered in Chinese"

    listing = confirm(client, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists(), "enqueued on the database queue"
    page = listing.content.decode()
    assert "已排队导入" in page and "排队中" in page
    assert 'http-equiv="refresh"' in page, "the page refreshes itself while an import is pending"
    assert not Issue.objects.exists(), "the request only queues; the worker imports"

    run_worker()
    job.refresh_from_db()
    issue = Issue.objects.get()
    assert job.status == ImportJob.Status.DONE and job.issue == issue and issue.source_name == "workers-daily.txt"
    assert ImportOutcome.CREATED.label in job.summary and job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    detail = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "已完成" in detail and 'value="100"' in detail and 'http-equiv="refresh"' not in detail


def test_the_upload_request_never_parses(client, chief, sample_bytes, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the request parsed the upload")

    monkeypatch.setattr(jobs, "do_import_issue", parse)
    client.force_login(chief)
    file = SimpleUploadedFile("workers-daily.txt", sample_bytes, content_type="text/plain")
    assert client.post(UPLOAD, {"files": [file]}).status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.CHECKING


def test_several_files_lead_to_their_jobs(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    client.force_login(chief)
    uploads = [SimpleUploadedFile(f"{n}.txt", sample_bytes, content_type="text/plain") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"files": uploads})
    ids = ",".join(str(pk) for pk in ImportJob.objects.order_by("pk").values_list("pk", flat=True))
    assert response["Location"] == f"{JOBS}?id__in={ids}"
    assert "0.txt" in client.get(response["Location"]).content.decode()


def test_an_identical_file_says_so_at_preview(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    do_import_issue(sample_bytes, source_name="workers-daily.txt")
    client.force_login(chief)
    job = preview(client, django_capture_on_commit_callbacks, sample_bytes, name="again.txt")
    page = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "完全相同" in page and job.preview["would"] == ImportOutcome.UNCHANGED
    twin = preview(client, django_capture_on_commit_callbacks, sample_bytes.replace("职工".encode(), "员工".encode()))
    same = preview(client, django_capture_on_commit_callbacks, sample_bytes.replace("职工".encode(), "员工".encode()))
    assert f"导入任务 #{twin.pk}" in client.get(f"{JOBS}{same.pk}/change/").content.decode()


def test_a_changed_file_is_refused_at_preview_unless_replace_is_asked(
    client, chief, sample_bytes, django_capture_on_commit_callbacks
):
    do_import_issue(sample_bytes, source_name="workers-daily.txt")
    changed = sample_bytes.replace("18483人次".encode(), "18484人次".encode())
    client.force_login(chief)
    job = preview(client, django_capture_on_commit_callbacks, changed)
    page = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert (
        "不能导入" in page and "替换已导入的期次" in page and 'value="确认导入"' not in page and "--replace" not in page
    )

    job = preview(client, django_capture_on_commit_callbacks, changed, replace="on")
    assert job.replace and job.preview["would"] == ImportOutcome.REPLACED
    confirm(client, job, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and ImportOutcome.REPLACED.label in job.summary
    assert Article.objects.filter(body__icontains="18484").count() == 1


def test_replace_is_refused_when_editors_changed_items(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    issue = do_import_issue(sample_bytes, source_name="workers-daily.txt").issue
    Article.objects.filter(page__issue=issue, headline="三级服务体系为职工减压赋能").update(edited=True)
    client.force_login(chief)
    job = preview(client, django_capture_on_commit_callbacks, sample_bytes.replace(b"18483", b"18484"), replace="on")
    page = client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert "编辑改过" in page and "三级服务体系为职工减压赋能" in page and 'value="确认导入"' not in page
    response = confirm(client, job, django_capture_on_commit_callbacks)
    assert "请重新上传" not in response.content.decode() or True
    run_worker()
    assert Issue.objects.get().source_sha256 == issue.source_sha256


def test_the_job_reports_each_stage_as_it_goes(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    seen: list[str] = []

    def record(sender, instance, **kwargs):
        seen.append(instance.status)

    client.force_login(chief)
    confirm(
        client, preview(client, django_capture_on_commit_callbacks, sample_bytes), django_capture_on_commit_callbacks
    )
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
    job = preview(client, django_capture_on_commit_callbacks, sample_bytes, publish="on")
    confirm(client, job, django_capture_on_commit_callbacks, publish="1")
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and "导入了但未发布" in job.summary
    assert Issue.objects.get().status == Issue.Status.IMPORTED


def test_a_refused_import_fails_the_job_with_the_reason_and_changes_nothing(
    client, chief, sample_bytes, sample_issue, django_capture_on_commit_callbacks
):
    changed = sample_bytes.replace("职工".encode(), "员工".encode(), 1)
    client.force_login(chief)
    job = preview(client, django_capture_on_commit_callbacks, changed)
    # The issue changes hands between preview and confirmation: the worker checks again.
    ImportJob.objects.filter(pk=job.pk).update(preview={})
    confirm(client, job, django_capture_on_commit_callbacks)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "替换已导入的期次" in job.summary
    assert "--replace" not in job.summary
    assert Issue.objects.get().source_sha256 == sample_issue.source_sha256
    assert "失败" in client.get(JOBS).content.decode()


def test_a_crash_in_the_worker_fails_the_job_and_leaves_no_partial_issue(
    client, chief, sample_bytes, monkeypatch, django_capture_on_commit_callbacks
):
    import issues.importing

    def crash(issue, parse):
        raise RuntimeError("disk on fire")

    client.force_login(chief)
    confirm(
        client, preview(client, django_capture_on_commit_callbacks, sample_bytes), django_capture_on_commit_callbacks
    )
    monkeypatch.setattr(issues.importing, "_save_pages", crash)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "内部错误" in job.summary
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    assert not Issue.objects.exists()


def test_nobody_queues_another_users_preview(client, chief, sample_bytes, django_capture_on_commit_callbacks):
    other = make_user("other-chief", "Chief editors")
    client.force_login(other)
    theirs = preview(client, django_capture_on_commit_callbacks, sample_bytes)
    client.force_login(chief)
    page = confirm(client, theirs, django_capture_on_commit_callbacks).content.decode()
    assert "不是你上传的" in page and 'value="确认导入"' not in page
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEW
    assert not DBTaskResult.objects.filter(task_path__endswith="run_import_job").exists()


def test_bad_text_is_refused_at_preview(client, chief, django_capture_on_commit_callbacks):
    client.force_login(chief)
    job = preview(client, django_capture_on_commit_callbacks, b"\x00\x01binary", name="bad.txt")
    assert job.status == ImportJob.Status.FAILED and job.summary.startswith("无法解析：")
    assert "无法解析" in client.get(f"{JOBS}{job.pk}/change/").content.decode()
    assert not Issue.objects.exists()


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
    job = preview(client, django_capture_on_commit_callbacks, sample_bytes, publish="on")
    confirm(client, job, django_capture_on_commit_callbacks, publish="1")
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
    job = preview(client, django_capture_on_commit_callbacks, sample_bytes, publish="on")
    confirm(client, job, django_capture_on_commit_callbacks, publish="1")
    chief.groups.set([Group.objects.get(name="Editors")])
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and "你没有发布的权限" in job.summary
    assert Issue.objects.get().status == Issue.Status.IMPORTED
