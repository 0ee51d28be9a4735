"""Admin imports as jobs: the upload stores the files, a worker previews each, the uploader
confirms, a worker imports. Progress and outcome live on the job row.

The upload view makes a CHECKING job per file and queues its preview; the worker parses it
without saving (``make_preview``) into the job's ``preview`` and leaves it PREVIEW, waiting
for the uploader's confirmation; the confirmation queues the job and a worker runs ``run``.
Every status change is its own committed write, so any app server can show how far a job
has got, and no request parses a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from desk.workflow import TransitionRefused, publish_imported
from issues.importer import ParseError
from issues.importing import ImportOutcome, ImportRefused, ImportResult, Refusal, do_import_issue
from issues.models import ImportJob, ImportStage, Issue
from newsroom.request_limits import mib

# Previews nobody confirmed are dropped after this long.
PREVIEW_LIFETIME = dt.timedelta(days=1)
# Jobs a worker has or will have, without anyone acting.
MOVING = (ImportJob.Status.CHECKING, ImportJob.Status.QUEUED, ImportJob.Status.PARSING, ImportJob.Status.SAVING)
# Jobs that hold a file not yet imported, or being imported.
UNFINISHED = (
    ImportJob.Status.CHECKING,
    ImportJob.Status.PREVIEW,
    ImportJob.Status.QUEUED,
    ImportJob.Status.PARSING,
    ImportJob.Status.SAVING,
)


def upload_refusal(sizes: list[int]) -> str | None:
    """Why an upload of files of these sizes is refused before anything is parsed, or None."""
    most, total = settings.NEWSROOM_UPLOAD_MAX_FILES, settings.NEWSROOM_UPLOAD_MAX_BYTES
    if len(sizes) > most:
        return f"一次最多上传 {most} 个文件，这次选了 {len(sizes)} 个；请分批上传。"
    if sum(sizes) > total:
        return f"一次上传的文件合计 {mib(sum(sizes))}，超过上限 {mib(total)}；请分批上传。"
    return None


def store_upload(files: list[tuple[str, bytes]], *, user: User, publish: bool, replace: bool) -> list[ImportJob]:
    """Keep the uploaded files as jobs and queue their previews (after commit); parse nothing."""
    ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.PREVIEW],
        created_at__lt=timezone.now() - PREVIEW_LIFETIME,
    ).delete()
    jobs = []
    with transaction.atomic():
        for name, data in files:
            job = ImportJob.objects.create(
                source_name=name,
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                status=ImportJob.Status.CHECKING,
                created_by=user,
                publish=publish,
                replace=replace,
            )
            transaction.on_commit(lambda pk=job.pk: preview_import_job.enqueue(pk))
            jobs.append(job)
    return jobs


def make_preview(job: ImportJob) -> ImportJob:
    """Parse the job's file without saving and keep what the uploader needs to decide."""
    if job.status != ImportJob.Status.CHECKING:
        return job
    try:
        result = do_import_issue(bytes(job.data), source_name=job.source_name, dry_run=True, replace=job.replace)
    except ParseError as exc:
        return _fail(job, f"无法解析：{exc}")
    job.preview = preview_of(result, twin=_twin(job))
    _set(job, ImportJob.Status.PREVIEW, "preview")
    return job


def _twin(job: ImportJob) -> ImportJob | None:
    """Another job holding the same file that is not imported yet."""
    return (
        ImportJob.objects.filter(sha256=job.sha256, status__in=UNFINISHED)
        .exclude(pk=job.pk)
        .only("pk", "source_name")
        .first()
    )


def preview_of(result: ImportResult, *, twin: ImportJob | None = None) -> dict:
    """The dry run as the job page shows it: summary, what the import would do, warnings
    (codes and parameters) and every item's title and flag codes."""
    notes = []
    if result.would == ImportOutcome.UNCHANGED:
        notes.append("这个文件与已导入的一期完全相同（同一文件）：导入不会有任何改动。")
    elif result.would == ImportOutcome.REPLACED:
        notes.append("这一期已经导入过：确认后将按新文件重建它的版面和稿件（期次的状态和发布时间不变）。")
    if twin is not None:
        notes.append(f"同一个文件已在导入任务 #{twin.pk}（{twin.source_name}）中，尚未导入完成。")
    return {
        "summary": result.summary(),
        "would": result.would.value if result.would else "",
        "refusal": str(result.refusal) if result.refusal else "",
        "changed_file": bool(result.refusal and result.refusal.reason == Refusal.CHANGED_FILE),
        "notes": notes,
        "warnings": [note.as_json() for note in result.parse.warnings],
        "pages": [
            {
                "number": page.number,
                "name": page.name,
                "items": [
                    {
                        "title": item.headline or item.kicker or item.subheadline,
                        "photo": item.kind == "photo",
                        "flags": list(dict.fromkeys(item.flags)),
                    }
                    for item in page.items
                ],
            }
            for page in result.parse.pages
        ],
    }


def may_confirm(job: ImportJob, user: User) -> bool:
    """The uploader may confirm a previewed job whose import would not be refused."""
    return job.status == ImportJob.Status.PREVIEW and job.created_by_id == user.pk and not job.preview.get("refusal")


def queue(job_ids: list[int], *, user: User, publish: bool) -> list[ImportJob]:
    """Queue the user's own previewed jobs; the worker is told once the rows are committed."""
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
            bytes(job.data),
            source_name=job.source_name,
            replace=job.replace,
            progress=lambda stage: _stage(job, stage),
        )
    except (ParseError, ImportRefused) as exc:
        return _fail(job, _refusal(exc))
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


def _refusal(exc: ParseError | ImportRefused) -> str:
    """The reason, with the desk's way to go on."""
    if isinstance(exc, ImportRefused) and exc.reason == Refusal.CHANGED_FILE:
        return f"{exc}：要用新文件替换，请重新上传并勾选“替换已导入的期次”。"
    return str(exc)


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
def preview_import_job(job_id: int) -> str:
    """Background task: parse one uploaded issue file for its preview; nothing is saved."""
    return make_preview(ImportJob.objects.get(pk=job_id)).status


@task()
def run_import_job(job_id: int) -> str:
    """Background task: import one uploaded issue file; the job row records the outcome."""
    return run(ImportJob.objects.get(pk=job_id)).status
