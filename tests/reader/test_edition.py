"""The rendered edition: published pages kept in the database, served while still true."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Credit, Photo
from desk.tools import do_reorder
from issues.models import EditionPage, Issue
from reader import edition, reading
from tests.conftest import import_generated, make_user, publish, retract

ISSUE = "/issues/2022-03-25/"
PAGE = "/issues/2022-03-25/pages/1/"
ITEM = "/issues/2022-03-25/pages/1/2/"


@pytest.fixture(autouse=True)
def edition_on(settings, fresh_cache):
    settings.PUBLIC_PAGE_CACHE = False  # the edition alone, under no page cache
    settings.PUBLIC_PAGE_STORE = True


def queries_for(client, url: str, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def test_rendering_an_issue_stores_every_page_and_serves_each_with_one_query(client, sample_issue, settings):
    rendered = edition.render_issues([sample_issue.pk])
    items = Article.objects.filter(page__issue=sample_issue).count()
    pages = sample_issue.pages.count()
    assert rendered == 1 + pages + items + 1  # issue page, pages, items, and home (the newest issue)
    for path in edition.issue_paths(sample_issue) + ["/"]:
        count, stored = queries_for(client, path)
        assert count == 1, path
        settings.PUBLIC_PAGE_STORE = False
        assert queries_for(client, path)[1] == stored, f"{path}: the stored page differs from the live one"
        settings.PUBLIC_PAGE_STORE = True


def test_a_live_rendering_is_kept_for_the_next_reader(client, sample_issue):
    first, _ = queries_for(client, ITEM)
    assert first > 1
    assert queries_for(client, ITEM)[0] == 1
    assert EditionPage.objects.filter(path=ITEM, variant="hans").exists()


def test_stored_pages_answer_conditional_gets(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    first = client.get(PAGE)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_edit_shows_at_once_and_is_kept_again(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    article = Article.objects.get(page__issue=sample_issue, page__number=1, position=2)
    article.headline = "编辑改过的标题"
    article.save()
    for url in (ISSUE, PAGE, ITEM, "/"):
        count, page = queries_for(client, url)
        assert "编辑改过的标题" in page and count > 1, url
        assert queries_for(client, url)[0] == 1, url


def test_desk_tools_that_renumber_with_update_retire_the_pages(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    page = sample_issue.pages.get(number=1)
    items = list(page.articles.order_by("position"))
    before = queries_for(client, PAGE)[1]
    do_reorder(page, [a.pk for a in reversed(items)])
    count, after = queries_for(client, PAGE)
    assert count > 1 and after != before
    assert after.index(items[-1].headline or items[-1].plain_text[:10]) < after.index(items[0].headline)


@pytest.mark.parametrize("change", ["credit", "person", "photo"])
def test_credits_people_and_photos_retire_the_pages_showing_them(client, sample_issue, change):
    credit = Credit.objects.filter(article__page__issue=sample_issue).select_related("article", "person").first()
    edition.render_issues([sample_issue.pk])
    url = credit.article.get_absolute_url()
    if change == "credit":
        credit.delete()
    elif change == "person":
        credit.person.name = "改名记者"
        credit.person.save()
    else:
        Photo.objects.create(article=credit.article, caption="新加的图片说明")
    count, page = queries_for(client, url)
    assert count > 1
    shown = {
        "credit": f"/people/{credit.person.pk}/" not in page,
        "person": "改名记者" in page,
        "photo": "新加的图片说明" in page,
    }
    assert shown[change]


def test_unpublished_issues_are_never_served_from_the_edition(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    Issue.objects.filter(pk=sample_issue.pk).update(status=Issue.Status.RETRACTED)  # not even a signal
    assert client.get(ITEM).status_code == 404
    assert client.get(ISSUE).status_code == 404


def test_publishing_a_newer_issue_updates_its_neighbours_and_home(client, sample_issue, tmp_path):
    edition.render_issues([sample_issue.pk])
    assert "2022-03-26" not in client.get(ISSUE).content.decode()
    newer = import_generated(tmp_path / "gen")[0]
    assert newer.get_absolute_url() in client.get(ISSUE).content.decode()
    assert newer.get_absolute_url() in client.get(ITEM).content.decode()
    assert newer.get_absolute_url() in client.get("/").content.decode()


def test_a_scheduled_issue_appears_in_its_neighbours_when_it_comes_due(client, sample_issue, tmp_path, monkeypatch):
    newer = import_generated(tmp_path / "gen")[0]
    due = timezone.now() + dt.timedelta(hours=1)
    retract(newer)  # back to the desk, then scheduled
    publish(newer, at=due)
    Issue.objects.filter(pk__gt=newer.pk).delete()
    edition.render_issues([sample_issue.pk])
    assert EditionPage.objects.get(path=ISSUE).expires_at == due
    assert newer.get_absolute_url() not in client.get(ISSUE).content.decode()
    later = due + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert newer.get_absolute_url() in client.get(ISSUE).content.decode()
    assert newer.get_absolute_url() in client.get("/").content.decode()


def test_a_rendering_whose_links_changed_while_it_rendered_is_not_kept(client, sample_issue, tmp_path, monkeypatch):
    newer = import_generated(tmp_path / "gen")[0]
    neighbours, newest = edition.neighbours, reading.newest
    asked = []

    def newest_then_another():  # home read the newest; by the time it was kept, another was
        asked.append(1)
        return newest() if len(asked) == 1 else newer

    # As if each page read its neighbours just before the next issue came due.
    monkeypatch.setattr(edition, "neighbours", lambda request, issue: (neighbours(request, issue)[0], None))
    monkeypatch.setattr(reading, "newest", newest_then_another)
    for path in (ISSUE, ITEM, "/"):
        assert client.get(path).status_code == 200
    assert not EditionPage.objects.exists()
    monkeypatch.undo()
    for path in (ISSUE, ITEM, "/"):
        assert client.get(path).status_code == 200
    assert EditionPage.objects.filter(path__in=[ISSUE, ITEM, "/"]).count() == 3


def test_a_new_deployment_never_serves_the_previous_ones_pages(client, sample_issue, monkeypatch):
    edition.render_issues([sample_issue.pk])
    assert queries_for(client, PAGE)[0] == 1
    monkeypatch.setattr(edition, "build_id", lambda: "another-build")
    assert queries_for(client, PAGE)[0] > 1
    assert EditionPage.objects.get(path=PAGE).build == "another-build"


def test_a_rendering_that_raced_an_edit_is_never_served(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    row = EditionPage.objects.get(path=PAGE)
    # An edit committing while a reader's rendering was in flight: the rendering carries the
    # revision it read before the edit, so it is retired by the edit's bump, whenever stored.
    edition.touch_issues([sample_issue.pk])
    row.save()
    assert queries_for(client, PAGE)[0] > 1


def test_signed_in_readers_and_other_queries_get_the_live_view(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    assert queries_for(client, PAGE + "?utm_source=feed")[0] > 1
    client.force_login(make_user("reader", staff=False))
    assert queries_for(client, PAGE)[0] > 1


def test_traditional_characters_are_kept_apart(client, sample_issue):
    edition.render_issues([sample_issue.pk])
    client.get(PAGE + "?variant=hant")
    count, page = queries_for(client, PAGE)  # the variant cookie is remembered
    assert count == 1 and "職工" in page and 'lang="zh-Hant"' in page
    client.cookies.pop("variant")
    assert "职工" in queries_for(client, PAGE)[1]


def test_render_edition_command(sample_issue, tmp_path, capsys):
    newer = import_generated(tmp_path / "gen")
    call_command("render_edition", "2022-03-25")
    assert set(edition.stale_issues()) == set(newer)
    call_command("render_edition", "--stale")
    assert not edition.stale_issues().exists()
    assert "rendered" in capsys.readouterr().out
    with pytest.raises(CommandError, match="give issue dates or --stale"):
        call_command("render_edition")
    with pytest.raises(CommandError, match="no published issue"):
        call_command("render_edition", "1999-01-01")


def test_changes_queue_a_rendering_that_a_worker_runs(
    client, sample_issue, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    article = Article.objects.get(page__issue=sample_issue, page__number=1, position=2)
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "改过的标题"
        article.save()
    assert not EditionPage.objects.filter(path=ITEM).exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert queries_for(client, ITEM)[0] == 1
    assert "改过的标题" in client.get(ITEM).content.decode()


def test_pages_that_are_never_stored_do_not_look_for_a_rendering(client, sample_issue):
    person = Credit.objects.filter(article__page__issue=sample_issue).first().person
    for url in ("/search/?q=职工", f"/people/{person.pk}/", "/issues/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not any("issues_editionpage" in q["sql"] for q in captured.captured_queries), url
    assert not EditionPage.objects.exists()


def test_stored_pages_name_the_site_url_as_live_ones_do(client, sample_issue, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    edition.render_issues([sample_issue.pk])
    stored = client.get(ISSUE).content.decode()
    assert '<link rel="canonical" href="https://news.example.org/issues/2022-03-25/">' in stored
    settings.PUBLIC_PAGE_STORE = False
    assert client.get(ISSUE, HTTP_HOST="localhost").content.decode() == stored
