"""Search through the public page and the service, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection

from articles import search
from articles.models import Article, Person
from tests.conftest import import_generated, import_published, retract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def titles(query: str, **kwargs) -> list[str]:
    results = search.search(search.Query(query, **kwargs))
    return list(Article.objects.filter(pk__in=results.ids).values_list("headline", flat=True))


def test_a_two_character_word(sample_issue):
    found = titles("珐华")
    assert found == ["重焕光彩的珐华技艺"]


def test_a_persons_name(sample_issue):
    assert titles("陈昌云") == ["三级服务体系为职工减压赋能"]


def test_a_quoted_phrase_matches_that_string_only(sample_issue):
    # both words occur in several items, the exact string in one
    assert len(titles("职工 服务")) > 1
    exact = titles('"服务职工6000余人次"')
    assert exact == ["三级服务体系为职工减压赋能"]
    assert titles('"职工6000服务余人次"') == []


def test_traditional_input_finds_simplified_text(sample_issue):
    assert titles("琺華") == titles("珐华") == ["重焕光彩的珐华技艺"]


def test_title_only_search(sample_issue):
    assert "十项暖心行动专解新就业形态劳动者“烦心事”" in titles("烦心事", title_only=True)
    assert titles("抢单", title_only=True) == []
    assert titles("抢单") == [""]  # in the body of the untitled item


def test_filters_by_date_page_and_person(sample_issue):
    day = dt.date(2022, 3, 25)
    assert titles("职工", date_from=day, date_to=day)
    assert titles("职工", date_from=day + dt.timedelta(days=1)) == []
    assert titles("职工", page_number=2) == []
    person = Person.objects.get(name="康劲")
    assert titles("司机", person_id=person.pk) == ["十项暖心行动专解新就业形态劳动者“烦心事”"]
    assert titles("珐华", person_id=person.pk) == []


def test_relevance_order_and_facets(sample_issue):
    results = search.search(search.Query("司机", order="relevance"))
    assert results.total >= 1 and not results.capped
    assert results.facets["pages"] == [(1, results.total)]
    assert results.facets["years"] == [(2022, results.total)]
    assert any(name == "康劲" for _, name, _ in results.facets["people"])


def test_unpublished_items_are_not_found(sample_issue):
    retract(sample_issue)
    assert titles("珐华") == []


def test_search_page_highlights_escapes_and_paginates(client, sample_issue):
    page = client.get("/search/", {"q": "职工"}).content.decode()
    assert "<mark>职工</mark>" in page and "找到" in page
    page = client.get("/search/", {"q": "<b>职工</b>"}).content.decode()
    assert "<b>职工</b>" not in page.split("<main", 1)[1]
    empty = client.get("/search/", {"q": "量子计算"}).content.decode()
    assert "没有找到与“量子计算”相关的稿件" in empty
    assert "输入关键词" in client.get("/search/").content.decode()


def test_search_results_are_newest_first(client, sample_issue, tmp_path):
    from tests.conftest import SAMPLE

    text = SAMPLE.read_text("utf-8").replace(
        "2022年3月25日 星期五 壬寅年二月廿三 第21054期", "2022年3月26日 星期六 壬寅年二月廿四 第21055期"
    )
    import_published(text.encode(), "next-day.txt")
    results = search.search(search.Query("珐华"))
    dates = list(Article.objects.filter(pk__in=results.ids).values_list("issue_date", flat=True))
    assert sorted(dates, reverse=True) == [Article.objects.get(pk=pk).issue_date for pk in results.ids]
    assert results.total == 2


def untitled_item(issue) -> Article:
    return Article.objects.get(page__issue=issue, kicker="", headline="", subheadline="")


def test_an_untitled_item_is_labelled_by_its_first_words(sample_issue):
    item = untitled_item(sample_issue)
    assert item.is_untitled
    assert item.display_title == "无标题：疫情就是命令，防控就是责任。3月…"
    assert str(item) == item.display_title
    titled = Article.objects.get(page__issue=sample_issue, headline="重焕光彩的珐华技艺")
    assert not titled.is_untitled and titled.display_title == "重焕光彩的珐华技艺"
    # lists that load the title columns only get the words from the annotation
    listed = Article.objects.with_lead().only("kicker", "headline", "subheadline").get(pk=item.pk)
    assert listed.display_title == item.display_title
    assert Article.objects.with_lead().get(pk=titled.pk).lead is None, "a titled item's body is not read for it"


def test_untitled_items_show_their_label_apart_from_headlines(client, sample_issue):
    label = untitled_item(sample_issue).display_title
    item = untitled_item(sample_issue)
    pages = {
        "search": client.get("/search/", {"q": "抢单"}).content.decode(),
        "article": client.get(item.get_absolute_url()).content.decode(),
        "page": client.get(item.page.get_absolute_url()).content.decode(),
        "issue": client.get(item.page.issue.get_absolute_url()).content.decode(),
    }
    for name, html in pages.items():
        assert "（无标题" not in html and ">无标题<" not in html, name
        assert 'class="untitled"' in html, name
        assert label in html, name
    assert f'<h1 class="untitled">{label}</h1>' in pages["article"]
    following = Article.objects.filter(page=item.page, position__gt=item.position).order_by("position").first()
    assert f"上一篇：{label}" in client.get(following.get_absolute_url()).content.decode(), "the reading order's link"
    assert f"<title>{label} ·" in pages["article"]


def test_title_matches_come_before_passing_mentions(sample_issue):
    titled = Article.objects.get(page__issue=sample_issue, kicker__contains="心理")
    passing = untitled_item(sample_issue)
    passing.body = [*passing.body, {"kind": "text", "text": "志愿者也为居民提供心理疏导。"}]
    passing.save()
    assert passing.issue_date == titled.issue_date and passing.pk > titled.pk  # newer by the tie-break
    for order in ("newest", "relevance"):
        ids = search.search(search.Query("心理", order=order)).ids
        assert set(ids) >= {titled.pk, passing.pk}
        assert ids[0] == titled.pk, order
        in_titles = [Article.objects.get(pk=pk).title.count("心理") > 0 for pk in ids]
        assert in_titles == sorted(in_titles, reverse=True), order


@pytest.mark.parametrize(
    "params, name",
    [
        ({"q": "职工\x00"}, "q"),
        ({"q": "职工", "person": "99999999999999999999999"}, "person"),
        ({"q": "职工", "person": "abc"}, "person"),
        ({"q": "职工", "page_number": "²"}, "page_number"),
        ({"q": "职工", "from": "bad"}, "from"),
        ({"q": "职工", "to": "2022-02-30"}, "to"),
        ({"q": "职工", "p": "abc"}, "p"),
        ({"q": "职工", "p": "0"}, "p"),
        ({"q": "职工", "order": "oldest"}, "order"),
    ],
)
def test_bad_search_parameters_answer_400_naming_them(client, sample_issue, params, name):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert f"参数 {name}：" in response.content.decode()


def test_good_search_parameters_still_work(client, sample_issue):
    person = Person.objects.get(name="康劲")
    response = client.get(
        "/search/",
        {"q": "司机", "person": person.pk, "from": "2022-03-25", "to": "2022-03-25", "p": "1", "order": "relevance"},
    )
    assert response.status_code == 200
    assert "十项暖心行动" in response.content.decode()
    assert client.get("/search/", {"q": "职工", "p": "99"}).status_code == 200  # past the end: the last page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool bounds PostgreSQL's phrase check")
def test_a_phrase_is_checked_within_a_bounded_pool(sample_issue, monkeypatch):
    everything = search.search(search.Query('"职工"'))
    assert everything.total > 2 and not everything.capped
    monkeypatch.setattr(search, "POOL", 2)
    bounded = search.search(search.Query('"职工"'))
    assert bounded.total == 2 and bounded.capped and bounded.total_display == "2+"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool bounds PostgreSQL's phrase check")
def test_a_full_pool_that_the_phrase_check_empties_still_counts_as_capped(sample_issue, monkeypatch):
    monkeypatch.setattr(search, "POOL", 2)
    results = search.search(search.Query('"服务 职工"'))  # both words often, never with a space between
    assert results.total == 0 and results.capped and results.total_display == "0+"


STRATEGY_QUERIES = [
    {"text": "职工"},
    {"text": '"服务职工"'},
    {"text": "工会 服务"},
    {"text": "职工", "order": "relevance"},
    {"text": "职工", "title_only": True},
    {"text": "职工", "page_number": 1},
    {"text": "职工", "date_from": dt.date(2022, 3, 26)},
]


def outcome(results: search.Results) -> tuple:
    return results.ids, results.capped, results.total_display, results.facets


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the strategies are PostgreSQL's")
@pytest.mark.parametrize("margin", [0.001, 4])
@pytest.mark.parametrize("cap", [3, 1000])
def test_every_strategy_finds_the_same_newest_matches(sample_issue, tmp_path, monkeypatch, margin, cap):
    """The walk, the GIN bitmap and the window give the same results (ids, counts, facets),
    also when the window holds fewer than the limit (a tiny margin) and has to fall back."""
    import_generated(tmp_path / "gen")
    monkeypatch.setattr(search, "CAP", cap)
    monkeypatch.setattr(search, "POOL", 2 * cap)
    monkeypatch.setattr(search, "WINDOW_MARGIN", margin)
    for asked in STRATEGY_QUERIES:
        found = {}
        for strategy in search.Strategy:
            monkeypatch.setattr(search.PostgresBackend, "strategy", lambda self, query, s=strategy: s)
            cache.clear()
            found[strategy] = outcome(search.search(search.Query(**asked)))
        assert found[search.Strategy.GIN][0], asked
        assert all(result == found[search.Strategy.GIN] for result in found.values()), (asked, found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the strategies are PostgreSQL's")
def test_a_window_that_holds_the_limit_runs_once_on_an_index(sample_issue, tmp_path, monkeypatch):
    """Which index the window takes follows the statistics (bench/search_bench.py prints it on
    real archives: article_search_date); here, that it uses one and needs no second run."""
    import_generated(tmp_path / "gen")
    monkeypatch.setattr(search, "CAP", 3)
    monkeypatch.setattr(search.PostgresBackend, "strategy", lambda self, query: search.Strategy.WINDOW)
    # The newest 16 items, whatever the statistics left by earlier tests say (they size windows).
    monkeypatch.setattr(search.PostgresBackend, "window_rows", lambda self, query: 16)
    backend = search.PostgresBackend()
    plan = backend.plan(search.Query("职工"))
    assert plan.strategy is search.Strategy.WINDOW and "a.issue_date >= %s" in plan.sql
    with search._planner(plan.settings) as cursor:
        cursor.execute("EXPLAIN " + plan.sql, plan.params)
        explained = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan" in explained and "Seq Scan on articles_article" not in explained
    uses_words = any(index in explained for index in search.WORD_INDEXES)
    assert backend._window_uses_words(search.Query("职工")) is uses_words, "the check reads the plan"
    rows, pooled = backend._run(plan)
    assert pooled == search.CAP + 1 and len(rows) == search.CAP + 1  # held: no second run
