"""Staff previews: an issue readers cannot see, at its own public address, marked, never kept.

Readers still get 404; search, feeds, sitemaps and the API never list it, whoever asks; the
page cache and the rendered edition never hold a preview.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.workflow import do_send_to_review
from issues.importing import do_import_issue
from issues.models import EditionPage, Issue, can_preview
from reader.cache import public_page
from tests.conftest import SAMPLE, make_user, publish, retract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "cache_and_store_on")]

ISSUE = "/issues/2022-03-25/"
PAGE = "/issues/2022-03-25/pages/1/"
STATES = ("imported", "in_review", "scheduled", "retracted")


@pytest.fixture
def cache_and_store_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_PAGE_STORE = True


def issue_in(state: str) -> Issue:
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    if state == "in_review":
        do_send_to_review(issue, None, actor="测试")
    elif state == "scheduled":
        publish(issue, at=timezone.now() + dt.timedelta(days=2))
    elif state == "retracted":
        retract(publish(issue))
    issue.refresh_from_db()
    return issue


def story(issue: Issue) -> Article:
    return Article.objects.get(page__issue=issue, headline__startswith="三级服务体系")


def staff(role: str = "editor") -> Client:
    client = Client()
    if role == "superuser":
        client.force_login(User.objects.create_superuser("root", password="pw-root"))  # noqa: S106
    else:
        client.force_login(make_user(role, {"editor": "Editors", "chief": "Chief editors"}[role]))
    return client


def urls(issue: Issue) -> list[str]:
    article = story(issue)
    return ["/", ISSUE, PAGE, article.get_absolute_url(), article.get_absolute_url().rstrip("/") + ".txt"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["editor", "chief", "superuser"])
def test_staff_see_the_issue_at_its_address_marked_as_a_preview(state, role):
    issue = issue_in(state)
    client = staff(role)
    banner = "预览：本期已撤回" if state == "retracted" else "预览：本期尚未发布"
    for url in urls(issue):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
        if url.endswith(".txt"):
            continue
        page = response.content.decode()
        assert banner in page and '<meta name="robots" content="noindex">' in page, url
        assert "三级服务体系为职工减压赋能" in page or url == ISSUE, url
    assert EditionPage.objects.count() == 0, "a preview was kept in the rendered edition"
    for url in urls(issue)[1:]:
        assert Client().get(url).status_code == 404, f"{url}: a reader got the preview"
    assert "三级服务体系" not in Client().get("/").content.decode()


def test_a_scheduled_preview_says_when_it_appears():
    issue = issue_in("scheduled")
    page = staff().get(ISSUE).content.decode()
    assert f"定于 {timezone.localtime(issue.published_at):%Y-%m-%d %H:%M} 发布" in page


def test_readers_and_staff_see_a_published_issue_unmarked_and_readers_get_it_kept():
    issue = issue_in("imported")
    publish(issue)
    page = staff().get(story(issue).get_absolute_url())
    assert "预览" not in page.content.decode() and "no-store" not in page.get("Cache-Control", "")
    reader = Client().get(story(issue).get_absolute_url())
    assert reader.status_code == 200 and "预览" not in reader.content.decode()
    assert 'content="noindex"' not in reader.content.decode()
    assert EditionPage.objects.filter(path=story(issue).get_absolute_url()).exists()


def test_search_feeds_sitemaps_and_the_api_never_list_a_preview():
    issue = issue_in("in_review")
    article = story(issue)
    for client in (Client(), staff("chief")):
        for url in ("/search/?q=减压赋能", "/api/search/?q=减压赋能", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert article.get_absolute_url() not in response.content.decode(), url
        for url in ("/sitemap-site.xml", "/sitemap-2022-03.xml"):
            assert ISSUE not in client.get(url).content.decode(), url
        for url in ("/api/issues/2022-03-25/", "/api/issues/2022-03-25/pages/1/", f"/api{article.get_absolute_url()}"):
            assert client.get(url).status_code == 404, url
        assert client.get("/issues/?date=2022-03-25").status_code in {200, 302}
        assert ISSUE not in client.get("/issues/").content.decode()


def test_view_on_site_in_the_admin_leads_to_the_preview():
    issue = issue_in("imported")
    client = staff()
    for obj in (issue, issue.pages.get(number=1), story(issue)):
        content_type = ContentType.objects.get_for_model(obj)
        shortcut = reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
        change = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert shortcut in client.get(change).content.decode()
        response = client.get(shortcut, follow=True)
        assert response.status_code == 200 and "预览：本期尚未发布" in response.content.decode()


def test_who_may_preview():
    editor = make_user("editor", "Editors")
    plain = make_user("plain")
    gone = make_user("gone", "Editors")
    gone.is_active = False
    assert can_preview(editor) and not can_preview(plain) and not can_preview(gone)
    assert not can_preview(AnonymousUser()) and not can_preview(make_user("reader", staff=False))
    issue = issue_in("in_review")
    assert list(Issue.objects.viewable_by(editor)) == [issue]
    assert list(Issue.objects.viewable_by(AnonymousUser())) == []
    assert list(Issue.objects.viewable_by(plain)) == []


def test_anonymous_readers_pay_no_query_for_the_preview_rule(client, settings):
    settings.PUBLIC_PAGE_CACHE = False
    settings.PUBLIC_PAGE_STORE = False
    issue = issue_in("imported")
    publish(issue)
    for url in urls(issue):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in captured if "auth_" in q["sql"]], url


def test_a_private_response_is_never_kept_or_made_public_by_the_page_cache(rf):
    """Defence in depth: whatever a view marks private (a preview does) stays with its user."""
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        response = HttpResponse("只给这位用户")
        response["Cache-Control"] = "private, no-store"
        return response

    for _ in range(2):
        request = rf.get("/probe-private/")
        request.user = AnonymousUser()
        response = view(request)
        assert response["Cache-Control"] == "private, no-store"
    assert len(calls) == 2, "the second anonymous request was answered from the cache"
