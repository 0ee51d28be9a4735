"""An issue's way to readers: imported → in review → published (now or scheduled) → unpublished.

Publishing writes the issue and copies its time onto every article (search reads it there),
so each step is one atomic function, recorded as a django-reversion revision. The rule that
unreviewed flags block publication lives here, not in the admin: the admin only decides
whether the user may override it.
"""

from __future__ import annotations

import datetime as dt

import reversion
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from issues.models import Issue


class PublishRefused(Exception):
    """The issue cannot be published as asked; the message says why."""


def unreviewed_count(issue: Issue) -> int:
    return Article.objects.filter(page__issue=issue).flagged().count()


def _record(issue: Issue, user, comment: str) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        reversion.set_user(user)
    reversion.set_comment(comment)
    reversion.add_to_revision(issue)


@transaction.atomic
def do_send_to_review(issue: Issue, user=None) -> None:
    if issue.status == Issue.Status.PUBLISHED:
        raise PublishRefused(f"{issue} is published; unpublish it before sending it back to review")
    with reversion.create_revision():
        issue.status = Issue.Status.IN_REVIEW
        issue.save(update_fields=["status", "updated_at"])
        _record(issue, user, "送审")


@transaction.atomic
def do_publish_issue(issue: Issue, user=None, *, at: dt.datetime | None = None, override: bool = False) -> None:
    """Publish now, or at ``at`` when it lies ahead (scheduled).

    Refused while items still carry unreviewed flags, unless ``override`` (the chief
    editor's decision, which the revision comment records).
    """
    flagged = unreviewed_count(issue)
    if flagged and not override:
        raise PublishRefused(f"{issue}: {flagged} 篇稿件仍有未审标记")
    scheduled = at is not None and at > timezone.now()
    with reversion.create_revision():
        issue.publish(at=at if scheduled else None)
        comment = f"定时发布：{timezone.localtime(at):%Y-%m-%d %H:%M}" if scheduled else "发布"
        if flagged:
            comment += f"（总编辑忽略 {flagged} 篇未审标记）"
        _record(issue, user, comment)


@transaction.atomic
def do_unpublish_issue(issue: Issue, user=None) -> None:
    with reversion.create_revision():
        issue.unpublish()
        _record(issue, user, "撤回发布")
