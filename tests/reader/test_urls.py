"""Canonical URLs: one spelling per page, redirects for plain variants, 404 for the rest, and
absolute links from settings.SITE_URL whatever Host the request named."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from issues.models import EditionPage
from newsroom.settings import site_url
from reader import edition
from reader.views import issues as issue_views

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings, fresh_cache):
    settings.SITE_URL = SITE
    settings.PUBLIC_PAGE_STORE = True


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("/issues/20220325/", "/issues/2022-03-25/"),
        ("/issues/2022-3-25/", "/issues/2022-03-25/"),
        ("/issues/2022-03-25", "/issues/2022-03-25/"),
        ("/issues/2022-03-25/pages/01/", "/issues/2022-03-25/pages/1/"),
        ("/issues/2022-03-25/pages/01/02/", "/issues/2022-03-25/pages/1/2/"),
        ("/issues/20220325/pages/1/2/", "/issues/2022-03-25/pages/1/2/"),
        ("/issues/2022-03-25/pages/1/002.txt", "/issues/2022-03-25/pages/1/2.txt"),
        ("/issues/20220325/?variant=hant", "/issues/2022-03-25/?variant=hant"),
        ("/people/007/", "/people/7/"),
        ("/api/issues/20220325/", "/api/issues/2022-03-25/"),
        ("/api/issues/2022-03-25/pages/1/02/", "/api/issues/2022-03-25/pages/1/2/"),
    ],
)
def test_plain_variants_redirect_permanently_to_the_canonical_path(client, sample_issue, spelling, canonical):
    response = client.get(spelling)
    assert response.status_code == 301 and response["Location"] == canonical


@pytest.mark.parametrize(
    "path",
    [
        "/issues/2022-W12-5/",
        "/issues/2022-084/",
        "/issues/2022-02-30/",
        "/issues/20220230/",
        "/issues/0000-01-01/",
        "/issues/2022-03-25T00:00/",
        "/issues/+2022-03-25/",
        "/issues/２０２２-03-25/",
        "/issues/2022-03-25/pages/0/",
        "/issues/2022-03-25/pages/00/",
        "/issues/2022-03-25/pages/-1/",
        "/issues/2022-03-25/pages/1.0/",
        "/issues/2022-03-25/pages/999999999999999999/",
        "/issues/2022-03-25/pages/1/999999999999999999/",
        "/issues/2022-03-25/pages/1/99999999999999999999999999/",
        "/issues/2022-03-25%00/",
        "/issues/2022-03-25/pages/1%00/",
        "/issues/%00/",
        "/people/999999999999999999/",
        "/people/99999999999999999999999/",
        "/people/1%00/",
        "/people/0/",
    ],
)
def test_anything_else_is_404(client, sample_issue, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/issues/2022-02-30/",
        "/api/issues/2022-W12-5/",
        "/api/issues/2022-03-25%00/",
        "/api/issues/2022-03-25/pages/999999999999999999/",
        "/api/issues/2022-03-25/pages/1/0/",
        "/api/nothing/",
    ],
)
def test_the_apis_404s_are_json(client, sample_issue, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["error"]


def odd_spellings() -> list[str]:
    """A hundred spellings of the sample's pages that are not their canonical paths."""
    dates = ["2022-03-25", "20220325", "2022-3-25"]
    paths = [f"/issues/{date}/" for date in dates[1:]]
    paths += [f"/issues/{date}/pages/{page}/" for date in dates for page in ("01", "001")]
    for position in range(1, 9):
        for date in dates:
            for page, at in [("1", f"0{position}"), ("01", str(position)), ("001", f"00{position}")]:
                paths += [f"/issues/{date}/pages/{page}/{at}/", f"/issues/{date}/pages/{page}/{at}.txt"]
    return paths[:100]


def test_odd_spellings_add_no_stored_pages(client, sample_issue, settings):
    settings.PUBLIC_PAGE_CACHE = False
    spellings = odd_spellings()
    assert len(set(spellings)) == 100
    targets = set()
    for path in spellings:
        response = client.get(path)
        assert response.status_code == 301 and response["Location"] != path, path
        targets.add(response["Location"])
    assert not EditionPage.objects.exists()
    for path in targets:
        assert client.get(path).status_code == 200, path
    stored = {path for path in targets if not path.endswith(".txt")}
    assert {"/issues/2022-03-25/", "/issues/2022-03-25/pages/1/", "/issues/2022-03-25/pages/1/5/"} <= stored
    assert set(EditionPage.objects.values_list("path", flat=True)) == stored


def anonymous_get(path: str):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_the_store_keeps_a_rendering_only_under_its_canonical_path(sample_issue, settings):
    # The routes cannot reach a view with another spelling; the store refuses one anyway.
    settings.PUBLIC_PAGE_CACHE = False
    day = dt.date(2022, 3, 25)
    assert issue_views.page_detail(anonymous_get("/issues/2022-03-25/pages/01/"), date=day, number=1).status_code == 200
    assert not EditionPage.objects.exists()
    issue_views.page_detail(anonymous_get("/issues/2022-03-25/pages/1/"), date=day, number=1)
    assert list(EditionPage.objects.values_list("path", flat=True)) == ["/issues/2022-03-25/pages/1/"]


def test_converters_reverse_only_canonical_values():
    assert reverse("reader:issue", kwargs={"date": dt.date(2022, 3, 5)}) == "/issues/2022-03-05/"
    assert reverse("reader:issue", kwargs={"date": "2022-03-05"}) == "/issues/2022-03-05/"
    assert reverse("reader:page", kwargs={"date": dt.date(2022, 3, 5), "number": 3}) == "/issues/2022-03-05/pages/3/"
    for bad in ({"date": "2022-02-30"}, {"date": dt.date(2022, 3, 5), "number": 0}):
        with pytest.raises((NoReverseMatch, ValueError)):
            reverse("reader:page" if "number" in bad else "reader:issue", kwargs=bad)


# The site's origin ---------------------------------------------------------------------------


def links(body: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"<>]+", body))


PUBLIC = [
    "/",
    "/issues/",
    "/issues/2022-03-25/",
    "/issues/2022-03-25/pages/1/",
    "/issues/2022-03-25/pages/1/4/",
    "/issues/2022-03-25/pages/1/1.txt",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-site.xml",
    "/sitemap-2022-03.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("cached", [False, True])
def test_pages_are_the_same_whichever_host_asked(client, sample_issue, settings, cached):
    settings.PUBLIC_PAGE_CACHE = cached
    for path in PUBLIC:
        first = client.get(path, HTTP_HOST="localhost")
        second = client.get(path, HTTP_HOST="testserver")
        assert first.status_code == second.status_code == 200, path
        assert first.content == second.content, path
        ours = {url for url in links(first.content.decode()) if "localhost" in url or "testserver" in url}
        assert not ours, f"{path} names the request's host: {ours}"


def test_absolute_links_are_on_the_site_url(client, sample_issue):
    article = client.get("/issues/2022-03-25/pages/1/1/").content.decode()
    assert f'<link rel="canonical" href="{SITE}/issues/2022-03-25/pages/1/1/">' in article
    assert f'<meta property="og:url" content="{SITE}/issues/2022-03-25/pages/1/1/">' in article
    page = client.get("/issues/2022-03-25/pages/1/").content.decode()
    assert f'<link rel="canonical" href="{SITE}/issues/2022-03-25/pages/1/">' in page
    assert (
        client.get("/issues/2022-03-25/pages/1/1.txt")
        .content.decode()
        .rstrip()
        .endswith(f"{SITE}/issues/2022-03-25/pages/1/1/")
    )
    rss = client.get("/feeds/rss/").content.decode()
    assert f"<link>{SITE}/</link>" in rss and f"<link>{SITE}/issues/2022-03-25/pages/1/1/</link>" in rss
    atom = client.get("/feeds/atom/").content.decode()
    assert f'href="{SITE}/feeds/atom/"' in atom and f'href="{SITE}/issues/2022-03-25/pages/1/1/"' in atom
    index = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{SITE}/sitemap-site.xml</loc>" in index and f"<loc>{SITE}/sitemap-2022-03.xml</loc>" in index
    assert f"<loc>{SITE}/issues/2022-03-25/</loc>" in client.get("/sitemap-2022-03.xml").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_error_pages_declare_no_canonical(client, sample_issue):
    response = client.get("/issues/2022-03-26/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    assert 'rel="canonical"' not in response.content.decode()
    assert 'rel="canonical"' in client.get("/issues/").content.decode()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"SITE_URL": "https://news.example.org/"}, "https://news.example.org"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "http://127.0.0.1:8000"),
        ({"EDITION_HOST": "news.example.org", "HTTPS": "1"}, "https://news.example.org"),
        ({"ALLOWED_HOSTS": ".example.org,news.example.org,example.org"}, "http://news.example.org"),
        ({"ALLOWED_HOSTS": "news.example.org", "HTTPS": "1"}, "https://news.example.org"),
        ({"ALLOWED_HOSTS": "*"}, "http://127.0.0.1:8000"),
    ],
)
def test_the_site_url_setting(monkeypatch, env, expected):
    for name in ("SITE_URL", "EDITION_HOST", "ALLOWED_HOSTS", "HTTPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert site_url() == expected


@pytest.mark.parametrize(
    "value", ["news.example.org", "ftp://news.example.org", "https://news.example.org/news", "//x"]
)
def test_a_site_url_that_is_not_an_origin_refuses_to_start(monkeypatch, value):
    monkeypatch.setenv("SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        site_url()


def test_render_path_ignores_other_spellings(sample_issue):
    assert edition.render_path("/issues/20220325/") is False
    assert edition.render_path("/issues/2022-03-25/") is True
    assert list(EditionPage.objects.values_list("path", flat=True)) == ["/issues/2022-03-25/"]
