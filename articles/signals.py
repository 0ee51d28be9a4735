"""Keep search's copies of the issue's date and visibility (``Article.issue_date`` and
``issue_published_at``) true on every path that writes an item or an issue.

Both receivers also take raw saves: django-reversion restores versions with raw saves, and a
version keeps the copies of the moment it was recorded, not those of today's issue.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from articles.models import Article
from issues.models import Issue


def _copy_from_issue(sender, instance: Article, **kwargs) -> None:
    issue = Issue.objects.filter(pages=instance.page_id).only("date", "status", "published_at").first()
    if issue is not None:
        instance.issue_date = issue.date
        instance.issue_published_at = issue.items_published_at


def _sync_items(sender, instance: Issue, **kwargs) -> None:
    instance.sync_articles()


def connect() -> None:
    pre_save.connect(_copy_from_issue, sender=Article, dispatch_uid="article-copies-its-issue")
    post_save.connect(_sync_items, sender=Issue, dispatch_uid="issue-syncs-its-items")
