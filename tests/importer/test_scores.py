"""Pooled scores on the shared raw+gold fixtures may not fall: floors pinned at today's figures.

The figures are pooled over every page (bench/score_fixtures.py), never per page, so that one
rule can trade a page for another but the whole cannot slip. Raise a floor when the parser
improves; never lower one without saying why in the commit.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "score_fixtures.py"

FLOORS = {
    "seg_f1": 1.0,
    "text_recall": 1.0,
    "headline_acc": 0.986,
    "title_lines_acc": 1.0,
    "authors_acc": 1.0,
}
MIN_PAGES = 9


def load_bench():
    """bench/score_fixtures.py, a script outside any package, imported from its file."""
    spec = importlib.util.spec_from_file_location("bench_score_fixtures", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


bench = load_bench()


@pytest.fixture(scope="module")
def pooled() -> dict[str, float]:
    if not bench.FIXTURES.is_dir() or not bench.SCORER.is_file():
        pytest.skip(f"no shared fixtures and scorer beside the project ({bench.FIXTURES.parent})")
    return bench.pool(bench.score_all())


def test_every_fixture_page_is_scored(pooled):
    assert pooled["pages"] >= MIN_PAGES


@pytest.mark.parametrize("metric", FLOORS)
def test_pooled_figure_does_not_fall(pooled, metric):
    assert pooled[metric] >= FLOORS[metric] - 1e-3, f"pooled {metric} {pooled[metric]:.3f} < {FLOORS[metric]}"


def page(name: str, matched: int, gold: int, pred: int, grams: int, **metrics: float):
    base = {"items_matched": matched, "items_gold": gold, "items_pred": pred, "text_recall": 1.0}
    base |= {key: 1.0 for key in bench.ITEM_WEIGHTED}
    return bench.PageScore(name, base | metrics, grams)


def test_pool_counts_items_not_pages():
    small = page("small", matched=1, gold=1, pred=3, grams=10, headline_acc=0.0, text_recall=0.5)
    large = page("large", matched=9, gold=9, pred=9, grams=90)
    pooled = bench.pool([small, large])
    assert pooled["seg_f1"] == pytest.approx(2 * 10 / (10 + 12))
    assert pooled["headline_acc"] == pytest.approx(9 / 10)
    assert pooled["text_recall"] == pytest.approx((5 + 90) / 100)
    assert (pooled["items_gold"], pooled["items_pred"], pooled["pages"]) == (10, 12, 2)


def test_a_refused_page_scores_as_empty(tmp_path):
    gold = bench.FIXTURES / "workers-daily-2022-03-25.expected.json"
    if not gold.is_file():
        pytest.skip("no shared sample gold")
    (tmp_path / "broken.txt").write_bytes(b"")
    (tmp_path / "broken.expected.json").write_bytes(gold.read_bytes())
    pairs = bench.find_pairs([tmp_path])
    assert [raw.name for raw, _ in pairs] == ["broken.txt"]
    score = bench.score_pair(*pairs[0], bench.load_scorer())
    assert score.error and score.metrics["items_matched"] == 0 and score.metrics["items_gold"] == 8
