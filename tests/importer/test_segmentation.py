"""Both segmentation engines give identical tokens on every fixture's item text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jieba
import pytest

from articles import segmentation
from issues.importer import parse_issue

FIXTURES = sorted((Path(__file__).resolve().parents[3] / "shared" / "fixtures").rglob("*.txt"))
FIXTURES = FIXTURES or [Path(__file__).resolve().parents[2] / "samples" / "workers-daily-2022-03-25.txt"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fast_engine_gives_jiebas_tokens(path):
    rjieba = pytest.importorskip("rjieba")
    parse = parse_issue(path.read_bytes(), publications={"WORKERS' DAILY": "工人日报"})
    texts = [p.text for _, item in parse.items() for p in item.paragraphs]
    assert texts
    for text in texts:
        assert segmentation.tokens(text, rjieba.cut_for_search) == segmentation.tokens(text, jieba.lcut_for_search)


def test_tokens_drop_punctuation_and_keep_words():
    found = segmentation.tokens("职工，心理服务“枢纽”。CN 11-0002")
    assert {"职工", "心理", "服务", "枢纽", "CN", "11", "0002"} <= set(found)
    assert all(tok.isalnum() for tok in found)


def test_keywords_rank_rare_words_over_common_ones():
    words = segmentation.tokens("劳模工匠劳模工匠劳模工匠，我们的工作。我们的工作。")
    assert segmentation.keywords(words, limit=2)[0] in {"劳模", "工匠"}


def reference_keywords(words: list[str], limit: int = 8) -> list[str]:
    """TF-IDF ranking as first written: every word counted, all sorted."""
    idf, median, stop = segmentation._idf_table()
    counts = Counter(w for w in words if len(w) >= 2 and not w.isdigit() and w.lower() not in stop)
    total = sum(counts.values()) or 1
    scored = sorted(counts.items(), key=lambda kv: (-(kv[1] / total) * idf.get(kv[0], median), kv[0]))
    return [word for word, _ in scored[:limit]]


@pytest.mark.parametrize("path", FIXTURES[:5], ids=lambda p: p.name)
def test_keywords_and_tokens_as_first_written(path):
    parse = parse_issue(path.read_bytes(), publications={"WORKERS' DAILY": "工人日报"})
    texts = ["\n".join(p.text for p in item.paragraphs) for _, item in parse.items()]
    texts += ["", "12 34 the The", "a-b c_d é٣ 工人日报，工人。"]
    for text in texts:
        cut = jieba.lcut_for_search(text)
        words = segmentation.tokens(text, jieba.lcut_for_search)
        assert words == [w for token in cut for w in segmentation.WORD.findall(token)]
        for limit in (1, 3, 8, 50):
            assert segmentation.keywords(words, limit) == reference_keywords(words, limit)
