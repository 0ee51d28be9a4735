"""The public digital edition through real HTTP (Django's test client) on the real database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Person
from reader import revision
from tests.conftest import import_generated, publish, retract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def generated(tmp_path):
    return import_generated(tmp_path / "gen")


def test_home_shows_the_latest_front_page(client, sample_issue):
    page = client.get("/").content.decode()
    assert "2022年3月25日" in page and "星期五" in page and "第21054期" in page and "农历壬寅年二月廿三" in page
    assert "三级服务体系为职工减压赋能" in page and "第1版" in page


def test_home_without_issues_says_so(client):
    response = client.get("/")
    assert response.status_code == 200 and "暂无已发布的报纸" in response.content.decode()


def test_issue_page_lists_pages_titles_and_missing_pages(client, sample_issue):
    page = client.get("/issues/2022-03-25/").content.decode()
    assert "版面导航" in page and "规定动作“不能少" in page
    for n in range(2, 9):
        assert f"第{n}版 <span>（本版缺失）</span>" in page


def test_page_view_lists_items_in_order_with_bylines(client, sample_issue):
    page = client.get("/issues/2022-03-25/pages/1/").content.decode()
    order = [page.index(t) for t in ("规定动作“不能少", "三级服务体系为职工减压赋能", "重焕光彩的珐华技艺")]
    assert order == sorted(order)
    assert "本报讯(记者毛浓曦)" in page and "新华社记者 曹阳 摄" in page


def test_article_view_has_titles_body_subheads_links_and_og(client, sample_issue):
    article = Article.objects.get(page__issue=sample_issue, headline__startswith="十项暖心行动")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="kicker">聚焦岗位' in page and '<h2 class="subhead">集体协商“破题”</h2>' in page
    assert "（下转第3版）" in page and 'property="og:title"' in page and 'rel="canonical"' in page
    assert f'href="{Person.objects.get(name="康劲").get_absolute_url()}"' in page
    assert "上一篇" in page and "返回本版" in page and "关键词" in page


def test_photo_item_shows_caption_and_credit(client, sample_issue):
    photo = Article.objects.get(page__issue=sample_issue, kind="photo", headline="重焕光彩的珐华技艺")
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "<figcaption>90后女孩乔琳" in page and "新华社记者 曹阳 摄" in page


def test_correction_note_is_shown_with_its_date(client, sample_issue):
    article = Article.objects.get(page__issue=sample_issue, position=1)
    article.correction = "本文第二段的日期应为3月24日。"
    article.corrected_at = dt.date(2022, 3, 26)
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "更正（2022年3月26日）" in page and "本文第二段的日期应为3月24日。" in page


def test_continued_story_is_stitched_in(client, generated):
    part = Article.objects.filter(continues__isnull=False).select_related("continues").first()
    assert part is not None, "the generated issue has a continued story"
    page = client.get(part.continues.get_absolute_url()).content.decode()
    assert f'href="{part.get_absolute_url()}"' in page and part.body[0]["text"][:20] in page


def test_person_page_lists_their_articles_newest_first(client, sample_issue, generated):
    person = Person.objects.get(name="康劲")
    count = Article.objects.visible().filter(credits__person=person).distinct().count()
    page = client.get(person.get_absolute_url()).content.decode()
    assert "十项暖心行动专解新就业形态劳动者" in page and f"共 {count} 篇" in page
    dates = [d for d in ("2022年3月27日", "2022年3月26日", "2022年3月25日") if d in page]
    assert [page.index(d) for d in dates] == sorted(page.index(d) for d in dates)


def test_plain_text_download(client, sample_issue):
    response = client.get("/issues/2022-03-25/pages/1/1.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain") and "attachment" in response["Content-Disposition"]
    assert "工人日报 2022年03月25日 第1版" in text and "规定动作“不能少" in text


@pytest.mark.parametrize(
    "url",
    [
        "/issues/2022-03-26/",
        "/issues/2022-02-30/",
        "/issues/not-a-date/",
        "/issues/2022-03-25/pages/2/",
        "/issues/2022-03-25/pages/1/99/",
        "/issues/2022-03-25/pages/1/99.txt",
        "/people/999999/",
        "/api/issues/2022-03-26/",
        "/api/issues/2022-03-25/pages/1/99/",
    ],
)
def test_missing_things_are_404(client, sample_issue, url):
    assert client.get(url).status_code == 404


def test_unpublished_and_scheduled_issues_are_invisible(client, sample_issue):
    article_url = Article.objects.filter(page__issue=sample_issue).first().get_absolute_url()
    retract(sample_issue)
    for url in ["/issues/2022-03-25/", "/issues/2022-03-25/pages/1/", article_url, "/api/issues/2022-03-25/"]:
        assert client.get(url).status_code == 404, url
    assert "暂无已发布的报纸" in client.get("/").content.decode()
    assert client.get("/search/?q=职工").content.decode().count('class="snippet"') == 0
    publish(sample_issue, at=timezone.now() + dt.timedelta(hours=1))
    assert client.get("/issues/2022-03-25/").status_code == 404
    publish(sample_issue)
    assert client.get("/issues/2022-03-25/").status_code == 200


def test_archive_calendar_links_dates_with_issues(client, sample_issue, generated):
    page = client.get("/issues/?year=2022").content.decode()
    assert "2022年3月" in page and 'href="/issues/2022-03-25/"' in page and 'href="/issues/2022-03-27/"' in page
    assert '<span class="no-issue">24</span>' in page
    assert client.get("/issues/?date=2022-03-26").url == "/issues/2022-03-26/"
    assert client.get("/issues/?date=2022-03-30").url == "/issues/2022-03-27/"
    assert client.get("/issues/?year=1999").status_code == 404


def test_previous_and_next_issue_and_page(client, sample_issue, generated):
    page = client.get("/issues/2022-03-26/").content.decode()
    assert 'rel="prev" href="/issues/2022-03-25/"' in page and 'rel="next" href="/issues/2022-03-27/"' in page
    second = client.get("/issues/2022-03-26/pages/2/").content.decode()
    assert 'href="/issues/2022-03-26/pages/1/">‹ 上一版' in second and "下一版 ›" in second


def test_feeds_sitemap_and_robots(client, sample_issue, settings):
    rss = client.get("/feeds/rss/").content.decode()
    atom = client.get("/feeds/atom/").content.decode()
    assert "<rss" in rss and "三级服务体系为职工减压赋能" in rss
    assert "<feed" in atom and "http://www.w3.org/2005/Atom" in atom
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index and "/sitemap-site.xml</loc>" in index and "/sitemap-2022-03.xml</loc>" in index
    assert "<lastmod>" in index
    sitemap = client.get("/sitemap-2022-03.xml").content.decode()
    assert "/issues/2022-03-25/</loc>" in sitemap and "/issues/2022-03-25/pages/1/1/</loc>" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_traditional_reading_option(client, sample_issue):
    response = client.get("/issues/2022-03-25/pages/1/?variant=hant")
    page = response.content.decode()
    assert "三級服務體系為職工減壓賦能" in page and 'lang="zh-Hant"' in page
    assert response.cookies["variant"].value == "hant"
    assert "工人日報" in client.get("/issues/2022-03-25/").content.decode()  # the cookie is remembered
    assert "工人日报" in client.get("/issues/2022-03-25/?variant=hans").content.decode()


def test_cache_serves_and_editorial_changes_show_at_once(client, sample_issue):
    url = "/issues/2022-03-25/pages/1/"
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    # One query: the shared site revision that keys the cache, read once per request.
    assert [q["sql"] for q in cached] == [revision._CURRENT], "a published page comes from the cache"
    article = Article.objects.get(page__issue=sample_issue, position=2)
    article.headline = "编辑改过的标题"
    article.save()
    assert "编辑改过的标题" in client.get(url).content.decode()


def test_conditional_get_answers_304(client, sample_issue):
    first = client.get("/issues/2022-03-25/")
    assert first.has_header("ETag")
    again = client.get("/issues/2022-03-25/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_hostile_text_is_escaped_everywhere(client, sample_issue):
    article = Article.objects.get(page__issue=sample_issue, position=2)
    article.headline = '<script>alert("x")</script>'
    article.body = [{"kind": "text", "text": "<img src=x onerror=alert(1)> javascript:alert(1) &amp; \u202e"}]
    article.save()
    for url in [
        "/issues/2022-03-25/pages/1/",
        article.get_absolute_url(),
        "/issues/2022-03-25/",
        "/feeds/rss/",
        "/search/?q=" + "<script>",
    ]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
    data = json.loads(client.get("/api/issues/2022-03-25/pages/1/2/").content)
    assert data["headline"] == '<script>alert("x")</script>'


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/issues/{date}/",
        "/issues/{date}/pages/1/",
        "/issues/{date}/pages/1/2/",
        "/people/{person}/",
        "/search/?q=职工",
        "/api/issues/{date}/",
        "/api/issues/{date}/pages/1/2/",
        "/issues/",
        "/issues/{date}/pages/1/2.txt",
        "/api/issues/{date}/pages/1/",
    ],
)
def test_query_counts_do_not_grow_with_the_issue(client, sample_issue, generated, url, settings):
    settings.PUBLIC_PAGE_STORE = False  # the views themselves, not the rendered edition
    big = max(generated, key=lambda i: Article.objects.filter(page__issue=i).count())
    small_count = Article.objects.filter(page__issue=sample_issue).count()
    assert Article.objects.filter(page__issue=big).count() > 3 * small_count
    counts = []
    for issue in (sample_issue, big):
        person = Person.objects.filter(credits__article__page__issue=issue).first()
        target = url.format(date=issue.date.isoformat(), person=person.pk)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200, target
        counts.append(len(queries))
    # Search on PostgreSQL also sets and restores its pinned plan's planner settings.
    assert counts[0] == counts[1] and counts[0] <= 14, counts
