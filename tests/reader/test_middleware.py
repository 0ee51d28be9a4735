"""reader.middleware.PublicPageMiddleware: an anonymous reader's cached or stored page answered
before the rest of the stack, with exactly what the whole stack would have answered."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsroom.routers import reading_from_replica
from reader import cache, edition, middleware
from tests.conftest import make_user, retract

PAGE = "/issues/2022-03-25/pages/1/"
ITEM = "/issues/2022-03-25/pages/1/2/"
STALE_SESSION = {django_settings.SESSION_COOKIE_NAME: "no-such-session"}


@pytest.fixture
def cached(settings, fresh_cache):
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_PAGE_STORE = False


@pytest.fixture
def stored(settings, fresh_cache):
    settings.PUBLIC_PAGE_CACHE = False
    settings.PUBLIC_PAGE_STORE = True


def get(client, url: str, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "Set-Cookie"}


def through_the_stack(url: str, **extra):
    """The same page asked by an anonymous reader whose stale session cookie sends the
    request through every middleware (``public_page`` then asks the session)."""
    client = Client()
    client.cookies.load(STALE_SESSION)
    return get(client, url, **extra)


def test_a_cache_hit_is_the_stacks_whole_answer_for_one_query(client, sample_issue, cached):
    first, _ = get(client, PAGE)
    hit, queries = get(client, PAGE)
    assert queries == 1, "the site revision, and nothing else"
    assert hit.content == first.content and headers(hit) == headers(first)
    assert hit["Content-Security-Policy"] and hit["X-Frame-Options"] == "DENY"
    assert hit["Cache-Control"] == "public, max-age=60"


def test_a_stored_page_answered_early_carries_the_stacks_headers(client, sample_issue, stored):
    edition.render_issues([sample_issue.pk])
    for url in (PAGE, ITEM, "/"):
        early, queries = get(client, url)
        assert queries == 1, f"{url}: the stored page's lookup, and nothing else"
        late, later_queries = through_the_stack(url)
        assert later_queries > 1, "the stack asked the session"
        assert early.content == late.content
        assert headers(early) == headers(late), url


def test_a_conditional_get_on_a_kept_page_is_304(client, sample_issue, cached):
    first = client.get(PAGE)
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(PAGE, HTTP_IF_NONE_MATCH='"another"').status_code == 200


@pytest.mark.parametrize("mode", ["cached", "stored"])
def test_a_retracted_page_is_never_answered_early(client, sample_issue, mode, request):
    request.getfixturevalue(mode)
    edition.render_issues([sample_issue.pk])
    for _ in range(2):
        assert client.get(PAGE).status_code == 200
    retract(sample_issue)
    assert client.get(PAGE).status_code == 404


def test_the_variant_cookie_is_each_readers_own(sample_issue, cached):
    url = PAGE + "?variant=hant"
    chosen = Client()
    chosen.cookies["variant"] = "hant"
    assert "variant" not in chosen.get(url).cookies, "already chosen: nothing to set"
    newcomer = Client()
    response = newcomer.get(url)  # a hit on the page the first reader left
    assert response.cookies["variant"].value == "hant", "a newcomer's choice is remembered"
    assert "variant" not in chosen.get(url).cookies, "the newcomer's cookie was not kept with the page"
    other = ITEM + "?variant=hant"
    assert Client().get(other).cookies["variant"].value == "hant"  # a newcomer asks first
    assert "variant" not in chosen.get(other).cookies, "the first reader's cookie was not kept with the page"


def test_a_response_setting_another_cookie_is_never_kept(fresh_cache):
    response = HttpResponse("page")
    response.set_cookie("csrftoken", "someone's token")
    cache.keep("public-page:test", 1, response)
    assert cache.kept("public-page:test") is None


def test_a_signed_in_reader_neither_gets_nor_leaves_a_kept_page(client, sample_issue, cached):
    editor = Client()
    editor.force_login(make_user("editor", "Editors"))
    _, first = get(editor, PAGE)
    _, again = get(editor, PAGE)
    assert again > 1, "a signed-in reader's request runs the view"
    _, anonymous = get(client, PAGE)
    assert anonymous > 1, "nothing the editor saw was kept for readers"
    _, hit = get(client, PAGE)
    assert hit == 1
    _, editor_again = get(editor, PAGE)
    assert editor_again > 1, "an editor never gets the readers' copy"


def test_other_paths_cost_no_revision_query(client, sample_issue, cached):
    for url in ("/healthz", "/robots.txt"):
        response, queries = get(client, url)
        assert response.status_code == 200 and queries == 0, url


def test_a_database_error_on_the_way_leaves_the_answer_to_the_stack(client, sample_issue, cached, monkeypatch):
    def fails() -> int:
        raise OperationalError("the revision could not be read")

    monkeypatch.setattr(cache.revision, "current", fails)
    response, queries = get(client, PAGE)
    assert response.status_code == 200 and queries > 1, "the view answered"
    monkeypatch.undo()
    _, queries = get(client, PAGE)
    assert queries > 1, "nothing was kept under a revision nobody read"


@pytest.mark.parametrize("mode", ["cached", "stored"])
def test_a_host_allowed_hosts_refuses_is_refused_early_too(client, sample_issue, mode, request):
    request.getfixturevalue(mode)
    edition.render_issues([sample_issue.pk])
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE, HTTP_HOST="evil.example").status_code == 400


def test_the_early_reads_go_where_the_stacks_would(client, sample_issue, cached, monkeypatch):
    seen = []
    real = cache.revision.current
    monkeypatch.setattr(cache.revision, "current", lambda: seen.append(reading_from_replica.get()) or real())
    client.get(PAGE)
    assert seen == [True], "an anonymous public read: the replica, when there is one"


def test_a_page_that_cannot_be_kept_is_still_answered(client, sample_issue, cached, monkeypatch):
    def fails(site_revision: int) -> int:
        raise OperationalError("the schedule could not be read")

    monkeypatch.setattr(cache, "lifetime", fails)
    response, _ = get(client, PAGE)
    assert response.status_code == 200
    _, queries = get(client, PAGE)
    assert queries > 1, "not kept"


def test_the_view_of_a_path_is_remembered_per_process(sample_issue):
    assert middleware.public_view(PAGE) == (True, True)
    assert middleware.public_view("/search/") == (True, False)
    assert middleware.public_view("/healthz") == (False, False)
    assert middleware.public_view("/no/such/page/") == (False, False)
