"""HTTP details of the public site: Last-Modified, cache lifetime, JSON errors, feed query
counts, person visibility and links that keep the reader's state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Credit, Person
from reader import cache as page_cache
from reader import revision
from tests.conftest import import_generated, publish, retract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_last_modified_follows_the_rows_shown_and_answers_304(client, sample_issue):
    url = "/issues/2022-03-25/pages/1/"
    first = client.get(url)
    assert first.has_header("Last-Modified")
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    article = Article.objects.get(page__issue=sample_issue, position=2)
    article.headline = "改过的标题"
    article.save()
    changed = client.get(
        url, HTTP_IF_MODIFIED_SINCE=http_date((article.updated_at - dt.timedelta(seconds=5)).timestamp())
    )
    assert changed.status_code == 200 and "改过的标题" in changed.content.decode()


@pytest.mark.parametrize("url", ["/issues/2022-03-25/", "/issues/2022-03-25/pages/1/2/", "/"])
def test_every_issue_view_sends_last_modified(client, sample_issue, url):
    assert client.get(url).has_header("Last-Modified")


def test_cached_pages_expire_when_a_scheduled_issue_appears(sample_issue):
    assert page_cache.lifetime(revision.current()) == page_cache.TIMEOUT
    retract(sample_issue)
    publish(sample_issue, at=timezone.now() + dt.timedelta(seconds=90))
    assert 0 < page_cache.lifetime(revision.current()) <= 90


def test_api_errors_are_json(client, sample_issue):
    for url in ["/api/issues/2022-03-26/", "/api/issues/2022-03-25/pages/9/", "/api/issues/2022-03-25/pages/1/99/"]:
        response = client.get(url)
        assert response.status_code == 404 and "error" in response.json(), url
    assert client.post("/api/search/?q=职工").status_code == 405


def test_api_search_applies_filters(client, sample_issue):
    assert client.get("/api/search/", {"q": "职工", "from": "2022-03-26"}).json()["total"] == 0
    assert client.get("/api/search/", {"q": "职工", "page_number": 1}).json()["total"] > 0


def test_a_person_credited_only_in_unpublished_issues_is_not_public(client, sample_issue):
    person = Person.objects.get(name="康劲")
    assert client.get(person.get_absolute_url()).status_code == 200
    retract(sample_issue)
    assert client.get(person.get_absolute_url()).status_code == 404


def test_person_page_paginates(client, sample_issue):
    person = Person.objects.get(name="康劲")
    page = Article.objects.get(page__issue=sample_issue, position=1).page
    for n in range(25):
        extra = Article.objects.create(page=page, position=100 + n, headline=f"第{n}篇加稿", body=[])
        Credit.objects.create(article=extra, person=person, role=Credit.Role.REPORTER)
    sample_issue.sync_articles()
    first = client.get(person.get_absolute_url()).content.decode()
    assert "第 1 / 2 页" in first and 'href="?page=2"' in first
    assert "第 2 / 2 页" in client.get(person.get_absolute_url() + "?page=2").content.decode()


def test_search_for_a_name_offers_the_persons_page(client, sample_issue):
    person = Person.objects.get(name="康劲")
    page = client.get("/search/", {"q": "康劲"}).content.decode()
    assert f'href="{person.get_absolute_url()}"' in page and "<mark>康劲</mark>" in page


def test_traditional_switch_keeps_the_query(client, sample_issue):
    page = client.get("/search/", {"q": "珐华"}).content.decode()
    assert 'href="?q=%E7%8F%90%E5%8D%8E&amp;variant=hant"' in page
    hant = client.get("/search/", {"q": "珐华", "variant": "hant"}).content.decode()
    assert "琺華" in hant and "variant=hans" in hant


def test_canonical_url_drops_the_query_string(client, sample_issue, settings):
    page = client.get("/issues/2022-03-25/?variant=hant").content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}/issues/2022-03-25/">' in page


def test_hostile_query_is_escaped_in_the_search_box_and_snippets(client, sample_issue):
    page = client.get("/search/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "url",
    ["/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/sitemap-2022-03.xml", "/api/search/?q=职工", "/robots.txt"],
)
def test_feeds_sitemap_and_api_search_do_not_grow_with_the_archive(client, sample_issue, tmp_path, url):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    import_generated(tmp_path / "gen")
    assert count() == small


def test_photo_with_renditions_gets_a_srcset_and_a_pdf_page_a_link(client, sample_issue, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from articles.images import make_renditions

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), "#a31515").save(out, "JPEG")
    item = Article.objects.get(page__issue=sample_issue, kind="photo", headline="重焕光彩的珐华技艺")
    photo = item.photos.get()
    photo.image.save("fahua.jpg", ContentFile(out.getvalue()))
    make_renditions(photo.image)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'srcset="/media/photos/' in page and "-480w.jpg 480w" in page and "-960w.jpg 960w" in page
    assert 'width="1200" height="800"' in page and ".jpg 1200w" in page

    front = item.page
    front.image.save("page1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    page = client.get(front.get_absolute_url()).content.decode()
    assert "查看第1版版面（PDF）" in page and '<img src="/media/pages/' not in page


def test_facet_links_keep_the_other_filters_and_can_be_removed(client, sample_issue):
    person = Person.objects.get(name="康劲")
    page = client.get("/search/", {"q": "司机", "from": "2022-03-01", "order": "relevance"}).content.decode()
    assert f'href="?q=%E5%8F%B8%E6%9C%BA&amp;from=2022-03-01&amp;order=relevance&amp;person={person.pk}"' in page
    assert 'href="?q=%E5%8F%B8%E6%9C%BA&amp;from=2022-01-01&amp;order=relevance&amp;to=2022-12-31"' in page
    filtered = client.get("/search/", {"q": "司机", "person": person.pk, "page_number": 1}).content.decode()
    assert "当前筛选" in filtered and 'href="?q=%E5%8F%B8%E6%9C%BA&amp;page_number=1"' in filtered
    none = client.get("/search/", {"q": "司机", "page_number": 5}).content.decode()
    assert "无结果" in none and "已应用筛选条件" in none


def test_healthz_is_trivial(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
