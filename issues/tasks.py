"""Background tasks (Django's tasks API, django-tasks backport, database-backed queue).

Any app server enqueues; any ``manage.py db_worker`` process runs them.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Import one uploaded issue file; the job row records progress and the outcome."""
    from issues import jobs
    from issues.models import ImportJob

    return jobs.run(ImportJob.objects.get(pk=job_id)).status


@task()
def render_edition(issue_ids: list[int]) -> int:
    """Render the public pages of these issues into the rendered edition; returns how many."""
    from issues import edition

    return edition.render_issues(issue_ids)
