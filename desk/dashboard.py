"""The desk's start page: the latest issues, the review queue, one's own recent edits and
the imports that are running or failed. A constant number of queries whatever the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from reversion.models import Revision, Version

from articles.flags import Flag
from articles.models import Article, ArticleFlag
from issues.models import ImportJob, Issue, Page

LATEST_ISSUES = 6
RECENT_EDITS = 10
JOBS_SHOWN = 10
RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.PARSING, ImportJob.Status.SAVING)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0


def items_url(**params: object) -> str:
    """The item list filtered by ``params`` (the changelist's own filter parameters)."""
    return reverse("admin:articles_article_changelist") + "?" + urlencode(params)


def latest_issues() -> list[Issue]:
    """The newest issues with their pages, each page annotated with its flagged items."""
    pages = Page.objects.annotate(flagged=Article.objects.flagged_count("page")).order_by("number")
    issues = list(
        Issue.objects.for_reading()
        .select_related("publication")
        .prefetch_related(Prefetch("pages", queryset=pages))
        .order_by("-date")[:LATEST_ISSUES]
    )
    for issue in issues:
        for page in issue.pages.all():
            page.flagged_url = items_url(page__issue__id__exact=issue.pk, page__number__exact=page.number, flag="any")
    return issues


def review_queue() -> list[Link]:
    """Unreviewed flags per kind, each a link to the items carrying it."""
    counts = ArticleFlag.objects.unreviewed().counts_by_code()
    return [Link(flag.label, items_url(flag=flag.value), counts[flag]) for flag in Flag if counts.get(flag)]


def recent_edits(user: AbstractBaseUser) -> list[dict]:
    """The user's latest recorded edits, each with the items it touched (links)."""
    versions = Version.objects.select_related("content_type").only(
        "object_id", "object_repr", "revision_id", "content_type__app_label", "content_type__model"
    )
    revisions = (
        Revision.objects.filter(user=user)
        .order_by("-date_created")
        .prefetch_related(Prefetch("version_set", queryset=versions))[:RECENT_EDITS]
    )
    return [{"revision": revision, "items": _items(revision)} for revision in revisions]


def _items(revision: Revision) -> list[Link]:
    links = []
    for version in revision.version_set.all():
        if version.content_type.app_label == "articles" and version.content_type.model == "article":
            url = reverse("admin:articles_article_change", args=[version.object_id])
            links.append(Link(version.object_repr, url))
    return links


def import_jobs(user: AbstractBaseUser) -> tuple[list[ImportJob], list[ImportJob]]:
    """Imports under way and those that failed, for whoever may upload."""
    if not user.has_perm("issues.add_issue"):
        return [], []
    jobs = ImportJob.objects.select_related("created_by").defer("data").order_by("-created_at")
    running = list(jobs.filter(status__in=RUNNING)[:JOBS_SHOWN])
    failed = list(jobs.filter(status=ImportJob.Status.FAILED)[:JOBS_SHOWN])
    return running, failed


def start_page(user: AbstractBaseUser) -> dict:
    """The start page's context."""
    running, failed = import_jobs(user)
    return {
        "latest_issues": latest_issues(),
        "review_queue": review_queue(),
        "review_url": reverse("admin:articles_article_review"),
        "recent_edits": recent_edits(user),
        "running_jobs": running,
        "failed_jobs": failed,
        "may_upload": user.has_perm("issues.add_issue"),
    }
