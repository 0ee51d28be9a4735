"""Sitemaps: the protocol's shape at any size, what is listed, lastmod, cost and caching."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from desk.tools import do_add_correction
from issues.importing import do_import_issue
from reader import sitemaps
from tests.conftest import import_generated, import_published, publish, retract, write_archive

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URLSET, INDEX = (f"{{{NS['sm']}}}{name}" for name in ("urlset", "sitemapindex"))
PRINTED = "2022-03-25T00:00:00+08:00"


def fetch(client, location: str, settings) -> ET.Element:
    """A sitemap document named by its absolute location, parsed; it must be on SITE_URL."""
    assert location.startswith(settings.SITE_URL + "/"), location
    response = client.get(location.removeprefix(settings.SITE_URL))
    assert response.status_code == 200, location
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag in {URLSET, INDEX}
    return root


def index(client, settings) -> dict[str, str]:
    """The index: each file's location and lastmod."""
    root = fetch(client, settings.SITE_URL + "/sitemap.xml", settings)
    assert root.tag == INDEX
    return {e.findtext("sm:loc", namespaces=NS): e.findtext("sm:lastmod", namespaces=NS) for e in root}


def urls(client, settings, location: str) -> dict[str, str]:
    root = fetch(client, location, settings)
    assert root.tag == URLSET
    found = [(e.findtext("sm:loc", namespaces=NS), e.findtext("sm:lastmod", namespaces=NS)) for e in root]
    assert all(loc and lastmod for loc, lastmod in found), "every URL has its location and lastmod"
    assert len(found) == len(dict(found)), "no URL twice"
    return dict(found)


def everything(client, settings) -> dict[str, str]:
    listed: dict[str, str] = {}
    for location in index(client, settings):
        part = urls(client, settings, location)
        assert not set(part) & set(listed), f"{location} repeats another file's URLs"
        listed.update(part)
    return listed


def test_the_index_names_the_site_file_and_each_month(client, sample_issue, settings, fresh_cache):
    files = index(client, settings)
    site = settings.SITE_URL
    assert list(files) == [f"{site}/sitemap-site.xml", f"{site}/sitemap-2022-03.xml"]
    assert files[f"{site}/sitemap-2022-03.xml"] == PRINTED, "the month's latest change: its printed day"
    published = dt.datetime.fromisoformat(files[f"{site}/sitemap-site.xml"])
    assert abs(published - sample_issue.published_at) < dt.timedelta(seconds=1), "the site changed when it appeared"
    assert client.get("/sitemap.xml")["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_home_calendars_issues_pages_and_every_item_are_listed(client, sample_issue, settings, fresh_cache):
    listed = everything(client, settings)
    site = settings.SITE_URL
    items = Article.objects.filter(page__issue=sample_issue)
    expected = {f"{site}/", f"{site}/issues/", f"{site}/issues/2022-03-25/", f"{site}/issues/2022-03-25/pages/1/"}
    expected |= {site + item.get_absolute_url() for item in items}
    assert set(listed) == expected and len(expected) == 12
    assert any(item.is_untitled for item in items), "the untitled item is listed like the others"
    for location, lastmod in listed.items():
        assert client.get(location.removeprefix(site)).status_code == 200, location
        dt.datetime.fromisoformat(lastmod)  # W3C datetime with its offset
    assert listed[f"{site}/issues/2022-03-25/pages/1/3/"] == PRINTED


def test_months_and_years_each_get_their_files(client, sample_issue, settings, fresh_cache, tmp_path):
    write_archive(tmp_path / "apr", 1, "--start", "2022-04-02", "--serial", "21063", "--items", "3")
    write_archive(tmp_path / "old", 1, "--start", "2021-12-31", "--serial", "20700", "--items", "3")
    for path in [*(tmp_path / "apr").glob("*.txt"), *(tmp_path / "old").glob("*.txt")]:
        import_published(path.read_bytes(), path.name)
    site = settings.SITE_URL
    assert list(index(client, settings)) == [
        f"{site}/sitemap-site.xml",
        f"{site}/sitemap-2022-04.xml",
        f"{site}/sitemap-2022-03.xml",
        f"{site}/sitemap-2021-12.xml",
    ]
    site_urls = urls(client, settings, f"{site}/sitemap-site.xml")
    assert set(site_urls) == {f"{site}/", f"{site}/issues/", f"{site}/issues/?year=2021"}
    december = urls(client, settings, f"{site}/sitemap-2021-12.xml")
    assert f"{site}/issues/2021-12-31/" in december and all("/2021-12-31/" in url for url in december)
    assert f"{site}/issues/2022-03-25/" not in december


def test_no_file_lists_more_than_the_limit(client, sample_issue, settings, fresh_cache, monkeypatch):
    monkeypatch.setattr(sitemaps, "LIMIT", 4)
    site = settings.SITE_URL
    month = f"{site}/sitemap-2022-03.xml"
    files = index(client, settings)
    assert [f for f in files if f.startswith(month)] == [month, f"{month}?p=2", f"{month}?p=3"]  # 1 + 1 + 8 URLs
    parts = [urls(client, settings, location) for location in files]
    assert all(len(part) <= 4 for part in parts)
    assert sum(len(part) for part in parts) == len(set().union(*parts)) == 12
    assert client.get("/sitemap-2022-03.xml?p=4").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-2022-03.xml?p=0",
        "/sitemap-2022-03.xml?p=abc",
        "/sitemap-2022-03.xml?p=2",
        "/sitemap-2022-03.xml?p=99999999999999999999999",
        "/sitemap-2022-03.xml?p=%00",
        "/sitemap-2022-04.xml",
        "/sitemap-2022-13.xml",
        "/sitemap-0000-01.xml",
        "/sitemap-articles.xml",
    ],
)
def test_a_file_that_does_not_exist_is_a_404(client, sample_issue, fresh_cache, path):
    assert client.get(path).status_code == 404


def test_a_correction_moves_lastmod_up_to_the_index(client, sample_issue, settings, fresh_cache):
    site = settings.SITE_URL
    month = f"{site}/sitemap-2022-03.xml"
    urls(client, settings, month)  # cached now
    article = Article.objects.get(page__issue=sample_issue, position=2)
    do_add_correction(article, "更正内容")
    article.refresh_from_db()
    changed = dt.datetime.fromisoformat(urls(client, settings, month)[site + article.get_absolute_url()])
    assert abs(changed - article.updated_at) < dt.timedelta(seconds=1)
    listed = urls(client, settings, month)
    for location in (f"{site}/issues/2022-03-25/", f"{site}/issues/2022-03-25/pages/1/"):
        assert listed[location] == listed[site + article.get_absolute_url()], "the issue and page changed with it"
    assert listed[f"{site}/issues/2022-03-25/pages/1/1/"] == PRINTED
    assert index(client, settings)[month] == listed[site + article.get_absolute_url()]


def test_a_retraction_drops_the_urls_at_once(client, sample_issue, settings, fresh_cache, tmp_path):
    (later,) = [issue for issue in import_generated(tmp_path / "gen") if issue.date == dt.date(2022, 3, 26)][:1]
    before = everything(client, settings)  # every file cached
    assert f"{settings.SITE_URL}/issues/2022-03-26/" in before
    retract(later)
    after = everything(client, settings)
    assert not [url for url in after if "2022-03-26" in url]
    assert f"{settings.SITE_URL}/issues/2022-03-25/pages/1/1/" in after
    retract(sample_issue)
    assert all("2022-03-25" not in url for url in everything(client, settings))


def test_unpublished_and_scheduled_issues_are_not_listed(client, sample_issue, settings, fresh_cache, tmp_path):
    write_archive(tmp_path / "gen", 2, "--start", "2022-03-26", "--serial", "21055", "--items", "3")
    first, second = sorted((tmp_path / "gen").glob("*.txt"))
    scheduled = do_import_issue(first.read_bytes(), source_name=first.name).issue
    publish(scheduled, at=timezone.now() + dt.timedelta(days=30))
    do_import_issue(second.read_bytes(), source_name=second.name)  # imported, not published
    listed = everything(client, settings)
    assert [url for url in listed if "2022-03-25" in url]
    assert not [url for url in listed if "2022-03-26" in url or "2022-03-27" in url]


def test_kept_files_cost_one_query(client, sample_issue, fresh_cache):
    for path in ("/sitemap.xml", "/sitemap-site.xml", "/sitemap-2022-03.xml"):
        client.get(path)
        with CaptureQueriesContext(connection) as kept:
            assert client.get(path).status_code == 200
        assert len(kept) == 1, f"{path}: the site revision only"


def queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return [q["sql"] for q in captured]


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-site.xml", "/sitemap-2022-03.xml"])
def test_queries_do_not_grow_with_the_archive_nor_load_text(client, sample_issue, settings, tmp_path, path):
    settings.PUBLIC_PAGE_CACHE = False
    small = queries(client, path)
    import_generated(tmp_path / "gen")  # two more issues in March 2022, one of them large
    large = queries(client, path)
    assert len(large) == len(small) <= 5
    for column in ("raw_text", "plain_text", "search_text", "body", "caption", "masthead"):
        assert not [sql for sql in large if f'"{column}"' in sql], column


def test_the_limit_is_the_protocols():
    assert sitemaps.LIMIT == 50_000


def test_listed_urls_are_those_the_views_answer(client, sample_issue, settings, fresh_cache, tmp_path: Path):
    import_generated(tmp_path / "gen")
    for location in everything(client, settings):
        assert client.get(location.removeprefix(settings.SITE_URL)).status_code == 200, location
