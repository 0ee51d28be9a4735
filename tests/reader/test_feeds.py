"""The RSS and Atom feeds, read by feedparser as a feed reader would."""

from __future__ import annotations

import datetime as dt
import time

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from desk.tools import do_add_correction
from tests.conftest import import_generated, retract

FEEDS = ["/feeds/rss/", "/feeds/atom/"]
ALL = [f"{url}{query}" for url in FEEDS for query in ("", "?variant=hant")]
PRINTED = dt.datetime(2022, 3, 25, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # Asia/Shanghai


def parse(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, f"{url}: {feed.get('bozo_exception')}"
    return feed


def entry(feed, position: int) -> feedparser.FeedParserDict:
    return next(e for e in feed.entries if e.link.split("?")[0].endswith(f"/pages/1/{position}/"))


def moment(parsed: time.struct_time) -> dt.datetime:
    return dt.datetime(*parsed[:6], tzinfo=dt.UTC)


@pytest.mark.parametrize("url", ALL)
def test_every_feed_parses_without_errors_and_lists_every_item(client, sample_issue, fresh_cache, url):
    feed = parse(client, url)
    assert len(feed.entries) == Article.objects.filter(page__issue=sample_issue).count() == 8
    assert feed.version in {"rss20", "atom10"}


@pytest.mark.parametrize("url", FEEDS)
def test_entries_are_dated_by_the_printed_issue(client, sample_issue, fresh_cache, url):
    feed = parse(client, url)
    for item in feed.entries:
        assert moment(item.published_parsed) == PRINTED, item.published
    if url.endswith("atom/"):
        assert all(moment(item.updated_parsed) == PRINTED for item in feed.entries)
        assert moment(feed.feed.updated_parsed) == PRINTED


def test_a_correction_moves_updated_and_leaves_published(client, sample_issue, fresh_cache):
    article = Article.objects.get(page__issue=sample_issue, position=2)
    before = timezone.now()
    do_add_correction(article, "第二段“6000余人次”应为“7000余人次”。")
    feed = parse(client, "/feeds/atom/")
    corrected = entry(feed, 2)
    assert moment(corrected.published_parsed) == PRINTED
    assert moment(corrected.updated_parsed) >= before.replace(microsecond=0)
    assert "更正" in corrected.summary and "7000余人次" in corrected.summary
    assert moment(entry(feed, 1).updated_parsed) == PRINTED, "the other items did not change"
    assert moment(feed.feed.updated_parsed) >= before.replace(microsecond=0)


def test_edits_before_publication_do_not_count_as_updates(client, sample_issue, fresh_cache):
    article = Article.objects.get(page__issue=sample_issue, position=1)
    Article.objects.filter(pk=article.pk).update(updated_at=sample_issue.published_at - dt.timedelta(minutes=5))
    assert moment(entry(parse(client, "/feeds/atom/"), 1).updated_parsed) == PRINTED


@pytest.mark.parametrize("url", FEEDS)
def test_authors_are_the_credited_people(client, sample_issue, fresh_cache, url):
    feed = parse(client, url)
    names = {position: [a.get("name") for a in entry(feed, position).get("authors", [])] for position in range(1, 9)}
    assert names[1] == ["毛浓曦"]
    assert names[3] == ["邹倜然", "祝琳"], "reporter and correspondent, each an author"
    assert names[4] == ["梁雪冰"] and names[7] == ["曹阳"], "photos are credited to their photographers"
    assert not any("本报" in name or "记者" in name for group in names.values() for name in group)


def test_items_credited_to_nobody_have_no_author_but_the_atom_feed_names_the_paper(client, sample_issue):
    Article.objects.get(page__issue=sample_issue, position=1).credits.all().delete()
    atom = parse(client, "/feeds/atom/")
    assert atom.feed.author == "工人日报"
    rss = client.get("/feeds/rss/").content.decode()
    assert rss.count("<dc:creator>") == 8  # nine credits less the one removed


def test_untitled_items_are_listed_under_display_title(client, sample_issue, fresh_cache):
    untitled = Article.objects.get(page__issue=sample_issue, position=3)
    assert untitled.is_untitled
    for url in FEEDS:
        assert (
            entry(parse(client, url), 3).title == untitled.display_title == "无标题：疫情就是命令，防控就是责任。3月…"
        )


@pytest.mark.parametrize("url", FEEDS)
def test_hostile_text_comes_out_as_text(client, sample_issue, fresh_cache, url):
    article = Article.objects.get(page__issue=sample_issue, position=2)
    article.headline = '<script>alert("x")</script>标题'
    article.body = [{"kind": "text", "text": "<script>alert(1)</script><img src=x onerror=alert(1)> & 正文"}]
    article.save()
    hostile = entry(parse(client, url), 2)
    assert hostile.title == '<script>alert("x")</script>标题', "the title is text"
    # feedparser would strip a live <script> or onerror: finding them escaped proves they were text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; 正文" in hostile.summary
    assert hostile.summary.startswith("<p>") and "<script" not in hostile.summary
    assert "<script" not in client.get(url).content.decode().replace("&lt;script", "")


def test_photo_items_carry_their_captions_and_image(client, sample_issue, fresh_cache, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = Article.objects.get(page__issue=sample_issue, position=7).photos.get()
    photo.caption = '乔琳在工作室 "<b>"'
    photo.image.save("fahua.jpg", ContentFile(b"not checked here"))
    photo.save()
    summary = entry(parse(client, "/feeds/atom/"), 7).summary
    assert f'<img alt="乔琳在工作室 &quot;&lt;b&gt;&quot;" src="{settings.SITE_URL}/media/photos/' in summary
    assert "<p>乔琳在工作室 &quot;&lt;b&gt;&quot;</p>" in summary


def test_the_traditional_feed_is_traditional(client, sample_issue, fresh_cache):
    for url in FEEDS:
        response = client.get(url + "?variant=hant")
        assert response["Content-Language"] == "zh-Hant"
        feed = parse(client, url + "?variant=hant")
        assert feed.feed.title == "工人日報 數字報 最新稿件"
        item = entry(feed, 2)
        assert item.title == "三級服務體系為職工減壓賦能", "Taiwan standard: 為, not 爲"
        assert item.link.endswith("/issues/2022-03-25/pages/1/2/?variant=hant")
        assert [a.name for a in entry(feed, 1).authors] == ["毛濃曦"]
        plain = parse(client, url)
        assert entry(plain, 2).title == "三级服务体系为职工减压赋能" and "?" not in entry(plain, 2).link


def test_the_variant_comes_from_the_url_not_the_cookie(client, sample_issue, fresh_cache):
    client.cookies["variant"] = "hant"
    assert parse(client, "/feeds/rss/").feed.title == "工人日报 数字报 最新稿件"


@pytest.mark.parametrize("value", ["x", "HANT", "hant<script>", ""])
def test_an_unknown_variant_is_a_400(client, sample_issue, value):
    response = client.get("/feeds/atom/", {"variant": value})
    assert response.status_code == 400 and "variant" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_feeds_are_cached_until_a_retraction(client, sample_issue, fresh_cache):
    parse(client, "/feeds/rss/")
    with CaptureQueriesContext(connection) as kept:
        assert len(parse(client, "/feeds/rss/").entries) == 8
    assert len(kept) == 1, "the site revision only"
    retract(sample_issue)
    assert parse(client, "/feeds/rss/").entries == []


def test_the_feed_costs_the_same_queries_whatever_the_archive(client, sample_issue, fresh_cache, tmp_path, settings):
    settings.PUBLIC_PAGE_CACHE = False

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            parse(client, "/feeds/atom/")
        return len(queries)

    small = count()
    import_generated(tmp_path / "gen")
    assert count() == small <= 4
