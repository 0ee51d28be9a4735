"""Admin imports as jobs: preview now, import later in a worker, progress on the job row.

The upload view makes a PREVIEW job per file (a dry-run parse shown to the editor); the
confirmation queues the jobs; a worker runs ``run`` for each. Every status change is its
own committed write, so any app server can show how far an import has got.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from desk.workflow import TransitionRefused, publish_imported
from issues.importer import ParseError
from issues.importing import ImportRefused, ImportResult, do_import_issue
from issues.models import ImportJob, ImportStage, Issue
from newsroom.request_limits import mib

# Previews nobody confirmed are dropped after this long.
PREVIEW_LIFETIME = dt.timedelta(days=1)


def upload_refusal(sizes: list[int]) -> str | None:
    """Why an upload of files of these sizes is refused before anything is parsed, or None."""
    most, total = settings.NEWSROOM_UPLOAD_MAX_FILES, settings.NEWSROOM_UPLOAD_MAX_BYTES
    if len(sizes) > most:
        return f"一次最多上传 {most} 个文件，这次选了 {len(sizes)} 个；请分批上传。"
    if sum(sizes) > total:
        return f"一次上传的文件合计 {mib(sum(sizes))}，超过上限 {mib(total)}；请分批上传。"
    return None


def create_preview(data: bytes, *, source_name: str, user: User, publish: bool) -> tuple[ImportJob, ImportResult]:
    """Parse without saving (raises ParseError/ImportRefused) and keep the file for confirmation."""
    result = do_import_issue(data, source_name=source_name, dry_run=True)
    ImportJob.objects.filter(status=ImportJob.Status.PREVIEW, created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
    job = ImportJob.objects.create(
        source_name=source_name,
        data=data,
        created_by=user,
        publish=publish,
    )
    return job, result


def queue(job_ids: list[int], *, user: User, publish: bool) -> list[ImportJob]:
    """Queue the user's own previews; the worker is told once the rows are committed."""
    queued = []
    with transaction.atomic():
        jobs = ImportJob.objects.select_for_update().filter(
            pk__in=job_ids, created_by=user, status=ImportJob.Status.PREVIEW
        )
        for job in jobs:
            job.status = ImportJob.Status.QUEUED
            job.publish = publish
            job.save(update_fields=["status", "publish"])
            transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
            queued.append(job)
    return queued


def _enqueue(job_id: int) -> None:
    result = run_import_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def run(job: ImportJob) -> ImportJob:
    """Import the job's file; never raises for a refused file, the job says why."""
    if job.finished:
        return job
    job.started_at = timezone.now()
    try:
        result = do_import_issue(
            bytes(job.data), source_name=job.source_name, progress=lambda stage: _stage(job, stage)
        )
    except (ParseError, ImportRefused) as exc:
        return _fail(job, str(exc))
    except Exception:
        # The task fails too (and logs the traceback); the editor sees that it stopped.
        _fail(job, "导入时出现内部错误，数据库未作改动；请联系技术人员。")
        raise
    lines = [result.summary()]
    if job.publish and result.issue is not None:
        lines.append(_publish(job, result.issue))
    job.issue = result.issue
    job.summary = "\n".join(lines)
    job.finished_at = timezone.now()
    _set(job, ImportJob.Status.DONE, "issue", "summary", "finished_at")
    return job


def _publish(job: ImportJob, issue: Issue) -> str:
    """Publish as the uploader, who must still be allowed to; the import stays either way."""
    if job.created_by is None:
        return "导入了但未发布：上传人的账号已不存在。"
    try:
        published = publish_imported(issue, job.created_by, override=False, reason="", actor=f"后台导入任务 #{job.pk}")
    except TransitionRefused as exc:
        return f"导入了但未发布：{exc}"
    return "已发布。" if published else "读者已能看到这一期，未重新发布。"


def _fail(job: ImportJob, reason: str) -> ImportJob:
    job.summary = reason
    job.finished_at = timezone.now()
    _set(job, ImportJob.Status.FAILED, "summary", "finished_at")
    return job


def _stage(job: ImportJob, stage: ImportStage) -> None:
    """The job's status follows the import's stages (each stage is also a job status)."""
    _set(job, ImportJob.Status(stage.value), "started_at")


def _set(job: ImportJob, status: ImportJob.Status, *fields: str) -> None:
    job.status = status
    job.save(update_fields=["status", *fields])


@task()
def run_import_job(job_id: int) -> str:
    """Background task: import one uploaded issue file; the job row records the outcome."""
    return run(ImportJob.objects.get(pk=job_id)).status
