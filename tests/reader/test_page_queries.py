"""What a live public page costs in statements, and that what an issue's pages share, kept per
process at the issue's edition revision (reader.edition.issue_memo), is never out of date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Credit
from issues.models import Issue
from reader import edition, signals
from tests.conftest import import_generated, publish, retract

VIEWS = {
    "home": "/",
    "issue": "/issues/{date}/",
    "page": "/issues/{date}/pages/1/",
    "article": "/issues/{date}/pages/1/2/",
}
# Statements for an issue's first reader in a process (the issue's row, its neighbours with
# the scheduled issue that would change them, and what the page shows: an item's credits,
# photos and parts only when it has them), and for every later one: the issue's row alone
# (reader/reading.py).
FIRST = {"home": 5, "issue": 4, "page": 5, "article": 7}
NEXT = 1
# Statements to render every stored page of an issue, whatever its size (one fewer without
# continued items).
RENDER_STATEMENTS = 21


@pytest.fixture(autouse=True)
def live(settings, fresh_cache):
    settings.PUBLIC_PAGE_CACHE = False
    settings.PUBLIC_PAGE_STORE = False  # the views themselves
    edition.forget_issues()
    yield
    edition.forget_issues()


@pytest.fixture
def generated(sample_issue, tmp_path):
    return import_generated(tmp_path / "gen")


def statements(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.mark.parametrize("view", VIEWS)
def test_statements_per_view_are_pinned_and_do_not_grow_with_the_issue_or_archive(client, generated, view):
    small = Issue.objects.order_by("date").first()
    big = max(generated, key=lambda i: Article.objects.filter(page__issue=i).count())
    assert Article.objects.filter(page__issue=big).count() > 3 * Article.objects.filter(page__issue=small).count()
    for issue in (small, big) if view != "home" else (Issue.objects.order_by("-date").first(),):
        url = VIEWS[view].format(date=issue.date.isoformat())
        edition.forget_issues()
        first, page = statements(client, url)
        assert first <= FIRST[view], (url, first)
        assert statements(client, url) == (NEXT, page), url  # the same page from one statement


def test_an_edit_shows_on_the_next_live_read(client, sample_issue):
    url = "/issues/2022-03-25/pages/1/2/"
    item = Article.objects.get(page__issue=sample_issue, page__number=1, position=2)
    statements(client, url)
    item.headline = "改过的标题"
    item.save()
    for path in (url, "/issues/2022-03-25/pages/1/", "/issues/2022-03-25/", "/"):
        assert "改过的标题" in statements(client, path)[1], path
    credit = Credit.objects.filter(article__page__issue=sample_issue).select_related("person").first()
    credit.person.name = "改名记者"
    credit.person.save()
    assert "改名记者" in statements(client, credit.article.get_absolute_url())[1]


def test_a_change_to_the_issue_row_shows_on_the_next_live_read(client, sample_issue):
    """The kept copy of the issue row (reader/reading.py) gives way to a save, and to an
    ``update()`` that tells the reader side (reader/signals.invalidate)."""
    for path in ("/issues/2022-03-25/pages/1/", "/"):
        statements(client, path)
        sample_issue.number = 20001
        sample_issue.save()
        assert "第20001期" in statements(client, path)[1], path
        Issue.objects.filter(pk=sample_issue.pk).update(number=20002)
        signals.invalidate([sample_issue.pk], home=True)
        assert "第20002期" in statements(client, path)[1], path


def test_a_renamed_paper_shows_on_the_next_live_read(client, sample_issue):
    statements(client, "/issues/2022-03-25/")
    sample_issue.publication.name = "改名日报"
    sample_issue.publication.save()
    assert "改名日报" in statements(client, "/issues/2022-03-25/")[1]


def test_a_retracted_issue_is_gone_from_the_next_live_read(client, sample_issue):
    url = "/issues/2022-03-25/pages/1/2/"
    statements(client, url)
    retract(sample_issue)
    assert client.get(url).status_code == 404


def test_kept_neighbours_give_way_to_a_scheduled_issue_when_it_comes_due(client, sample_issue, tmp_path, monkeypatch):
    newer = import_generated(tmp_path / "gen")[0]
    due = timezone.now() + dt.timedelta(hours=1)
    retract(newer)
    publish(newer, at=due)
    Issue.objects.filter(pk__gt=newer.pk).delete()
    url = "/issues/2022-03-25/pages/1/"
    assert newer.get_absolute_url() not in statements(client, url)[1]
    assert statements(client, url)[0] == NEXT  # kept, neighbours included
    later = due + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert newer.get_absolute_url() in statements(client, url)[1]


def test_a_row_created_again_under_the_same_id_never_meets_the_old_ones_memo(client, sample_issue, sample_bytes):
    url = "/issues/2022-03-25/pages/1/2/"
    statements(client, url)
    key = [k for k in edition._ISSUES.keys() if k[0] == sample_issue.pk]
    assert key, "the first read kept the issue's rows"
    # Same id and revision, another row: the memo's key tells them apart.
    Issue.objects.filter(pk=sample_issue.pk).update(imported_at=sample_issue.imported_at - dt.timedelta(days=1))
    Article.objects.filter(page__issue=sample_issue, page__number=1, position=2).update(headline="另一行")
    assert "另一行" in statements(client, url)[1]


def test_rendering_an_issue_costs_statements_per_issue_not_per_page(generated):
    counts = []
    newest = Issue.objects.visible().newest_pk()  # its render adds home's page
    for issue in Issue.objects.visible().exclude(pk=newest):
        with CaptureQueriesContext(connection) as captured:
            pages = edition.render_issues([issue.pk])
        counts.append((len(captured), pages))
    assert all(n <= RENDER_STATEMENTS for n, _ in counts), counts
    assert min(pages for _, pages in counts) * 3 < max(pages for _, pages in counts), counts
