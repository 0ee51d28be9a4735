"""Search through the public page and the service, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from articles import search
from articles.models import Article, Person
from tests.conftest import import_published, retract

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
