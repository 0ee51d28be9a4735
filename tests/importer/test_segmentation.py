"""Both segmentation engines give identical tokens on every fixture's item text."""

from __future__ import annotations

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
