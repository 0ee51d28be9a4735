"""Traditional Chinese: OpenCC's Taiwan standard, characters only, and search takes it back."""

from __future__ import annotations

import pytest

from articles.search import Query
from reader.cache import to_traditional


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("为职工减压", "為職工減壓"),  # 為, not 爲
        ("这里面", "這裡面"),  # 裡, not 裏
        ("台湾同胞走上讲台", "臺灣同胞走上講臺"),  # 臺 for 台
        ("台风", "颱風"),
        ("明确要着力抓", "明確要著力抓"),
    ],
)
def test_the_taiwan_standard_forms(simplified, traditional):
    converted = to_traditional(simplified)
    assert converted == traditional
    assert not {"爲", "裏"} & set(converted)


def test_the_papers_words_are_kept_not_localised():
    # s2twp would print 社群 (a social group), 釋出, 資料 and 資訊: not what the paper said.
    assert to_traditional("社区发布数据信息") == "社區發佈數據信息"


def test_search_folds_the_traditional_page_back_to_what_was_printed():
    text = "明确要着力抓好产业工人队伍建设"
    assert Query(text=to_traditional(text)).simplified == text


def test_a_word_copied_from_the_traditional_page_finds_the_item(client, sample_issue):
    assert "规定动作" in client.get("/search/", {"q": "著力抓好"}).content.decode()


def test_pages_in_traditional_use_the_standard(client, sample_issue, fresh_cache):
    page = client.get("/issues/2022-03-25/pages/1/?variant=hant").content.decode()
    assert "三級服務體系為職工減壓賦能" in page and "爲" not in page
