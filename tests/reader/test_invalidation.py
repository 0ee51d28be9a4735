"""The one invalidation path: a site revision in the database that moves with the change's
transaction, and stored and cached pages that follow every change, history restores included.
(Across real worker processes: tests/reader/test_workers.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import reversion
from django.db import connection, connections, transaction
from reversion.models import Version

from articles.models import Article
from desk.tools import do_reorder
from issues.models import PublicRevision
from reader import checks, edition, revision
from tests.conftest import ROOT

PAGE = "/issues/2022-03-25/pages/1/"


class Rollback(Exception):
    pass


def story(issue) -> Article:
    return Article.objects.get(page__issue=issue, page__number=1, position=2)


def revision_seen_elsewhere() -> int:
    """The revision as another connection (another worker) reads it."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(revision._CURRENT)
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_the_revision_moves_when_the_change_commits_and_never_for_a_rollback(
    transactional_db, workers_daily, sample_issue
):
    before = revision.current()
    with pytest.raises(Rollback), transaction.atomic():
        story(sample_issue).save()
        assert revision.current() > before, "the change's own transaction reads its new revision"
        if connection.vendor == "postgresql":
            assert revision_seen_elsewhere() == before, "no one else sees it before the commit"
        raise Rollback
    assert revision.current() == before
    with transaction.atomic():
        story(sample_issue).save()
    assert revision.current() > before
    if connection.vendor == "postgresql":
        assert revision_seen_elsewhere() == revision.current()


def test_folding_keeps_the_revision_and_leaves_one_row(transactional_db, workers_daily, sample_issue):
    for _ in range(3):
        PublicRevision.objects.create()
    before = revision.current()
    revision.fold()
    assert revision.current() == before and PublicRevision.objects.count() == 1
    story(sample_issue).save()  # autocommit: bumped, then folded on commit
    assert revision.current() > before and PublicRevision.objects.count() == 1


def test_a_desk_tool_moves_the_revision(db, sample_issue):
    before = revision.current()
    page = sample_issue.pages.get(number=1)
    do_reorder(page, list(reversed(list(page.articles.order_by("position").values_list("pk", flat=True)))))
    assert revision.current() > before


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_history_restore_reaches_stored_and_cached_pages(client, sample_issue, settings, fresh_cache, page_cache):
    """django-reversion restores with raw saves: they invalidate like any other save."""
    settings.PUBLIC_PAGE_CACHE = page_cache
    settings.EDITION_HOST = "testserver"
    article = story(sample_issue)
    with reversion.create_revision():
        reversion.add_to_revision(article)
    article.headline = "改错了的标题"
    article.save()
    edition.render_issues([sample_issue.pk])
    assert "改错了的标题" in client.get(PAGE).content.decode()
    Version.objects.get_for_object(article).first().revert()
    page = client.get(PAGE).content.decode()
    assert "改错了的标题" not in page and story(sample_issue).headline in page


def test_a_retraction_is_never_served_from_the_cache(client, sample_issue, fresh_cache):
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200  # now cached
    sample_issue.unpublish()
    assert client.get(PAGE).status_code == 404


def check(*overrides: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` on the production settings, with environment ``overrides``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    env.update(DEBUG="0", **dict(o.split("=", 1) for o in overrides))
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_manage_py_check_refuses_a_database_each_process_keeps_to_itself():
    assert check().returncode == 0
    refused = check("DATABASE_URL=sqlite://:memory:")
    assert refused.returncode != 0 and "reader.E001" in refused.stderr and "SQLite in memory" in refused.stderr


FILE_DB = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/newsroom/db.sqlite3"}
PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "newsroom"}


@pytest.mark.parametrize("database", [FILE_DB, PG])
def test_shared_databases_pass(database, settings):
    assert checks.problems(database, settings.MIDDLEWARE) == []


@pytest.mark.parametrize("name", [":memory:", "", "file:memorydb?mode=memory&cache=shared"])
def test_an_in_memory_database_is_refused(name, settings):
    errors = checks.problems({**FILE_DB, "NAME": name}, settings.MIDDLEWARE)
    assert [e.id for e in errors] == ["reader.E001"]


def test_a_site_wide_page_cache_no_change_reaches_is_refused(settings):
    middleware = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    assert [e.id for e in checks.problems(PG, middleware)] == ["reader.E002"]
