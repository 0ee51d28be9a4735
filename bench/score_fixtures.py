#!/usr/bin/env python
"""Score the importer on every raw issue that has a gold annotation: one line each, one pooled.

    .venv/bin/python bench/score_fixtures.py [FOLDER ...]

Pairs are X.txt with X.expected.json beside it, found recursively under ../shared/fixtures and
under every FOLDER given. Each raw file is parsed in-process (no database: the masthead map is
``PUBLICATIONS``) and scored by ../shared/tools/score_import.py. The pooled line weighs each page
by what its figure counts: segmentation F1 from the summed matched/gold/predicted items, text
recall by gold trigrams, the title, headline and author accuracies by gold items. A page the
importer refuses scores as an empty parse. tests/importer/test_scores.py pins the pooled figures.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from issues.importer import ParseError, parse_issue, to_json  # noqa: E402
from issues.importer.flags import Flag  # noqa: E402

SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SCORER = SHARED / "tools" / "score_import.py"
PUBLICATIONS = {"WORKERS' DAILY": "工人日报"}
ITEM_WEIGHTED = ("headline_acc", "title_lines_acc", "authors_acc")
POOLED = ("seg_f1", "text_recall", *ITEM_WEIGHTED)


@dataclass(frozen=True)
class PageScore:
    """One raw file's scores, with the counts that weigh it in the pool."""

    name: str
    metrics: dict[str, float]
    gold_grams: int  # trigrams of the gold text: the weight of text_recall
    ocr_suggestions: list[str] = field(default_factory=list)
    error: str = ""


def find_pairs(folders: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(raw, gold) pairs under ``folders``, recursively, each once, in path order."""
    pairs: dict[Path, Path] = {}
    for folder in folders:
        for raw in sorted(folder.rglob("*.txt")):
            gold = raw.with_name(raw.stem + ".expected.json")
            if gold.is_file():
                pairs.setdefault(raw.resolve(), gold)
    return sorted(pairs.items())


def load_scorer(path: Path = SCORER) -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("score_import", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_pair(raw: Path, gold_path: Path, scorer: ModuleType) -> PageScore:
    """Parse ``raw`` and score it against ``gold_path``; a refused file scores as an empty parse."""
    gold = json.loads(gold_path.read_text("utf-8"))
    error = ""
    try:
        pred = to_json(parse_issue(raw.read_bytes(), publications=PUBLICATIONS))
    except ParseError as exc:
        pred, error = {"pages": []}, str(exc)
    gold_grams = sum(sum(scorer.grams(scorer.content(item)).values()) for _, item in scorer.items_of(gold))
    return PageScore(raw.stem, scorer.score(gold, pred), gold_grams, _ocr_suggestions(pred), error)


def _ocr_suggestions(pred: dict) -> list[str]:
    return [
        f"{s['original']}→{s['replacement']}"
        for page in pred["pages"]
        for item in page["items"]
        if Flag.POSSIBLE_OCR_ERROR in item["flags"]
        for s in item.get("suggestions", ())
    ]


def pool(scores: Sequence[PageScore]) -> dict[str, float]:
    """The pages' figures pooled as if they were one issue (see the module docstring)."""
    matched = sum(s.metrics["items_matched"] for s in scores)
    gold = sum(s.metrics["items_gold"] for s in scores)
    pred = sum(s.metrics["items_pred"] for s in scores)
    grams = sum(s.gold_grams for s in scores)
    pooled: dict[str, float] = {
        "pages": len(scores),
        "items_matched": matched,
        "items_gold": gold,
        "items_pred": pred,
        "seg_f1": 2 * matched / (gold + pred) if gold + pred else 0.0,
        "text_recall": sum(s.metrics["text_recall"] * s.gold_grams for s in scores) / grams if grams else 0.0,
    }
    for key in ITEM_WEIGHTED:
        pooled[key] = sum(s.metrics[key] * s.metrics["items_gold"] for s in scores) / gold if gold else 0.0
    return pooled


def score_all(folders: Sequence[Path] = ()) -> list[PageScore]:
    """Every pair under the shared fixtures and ``folders``, scored."""
    scorer = load_scorer()
    return [score_pair(raw, gold, scorer) for raw, gold in find_pairs([FIXTURES, *folders])]


def _line(name: str, m: dict[str, float]) -> str:
    counts = f"{m['items_matched']:>3}/{m['items_gold']:<3} pred {m['items_pred']:<3}"
    return f"{name:28} {counts} " + " ".join(f"{k}={m[k]:.3f}" for k in POOLED)


def main(argv: Sequence[str]) -> int:
    folders = [Path(arg) for arg in argv]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        print(f"not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    scores = score_all(folders)
    if not scores:
        print(f"no raw+gold pairs under {FIXTURES} or the folders given", file=sys.stderr)
        return 1
    for s in scores:
        extra = f" FAILED: {s.error}" if s.error else ""
        ocr = f" ocr={len(s.ocr_suggestions)} {' '.join(s.ocr_suggestions)}".rstrip()
        print(_line(s.name, s.metrics) + ocr + extra)
    print(_line(f"pooled ({len(scores)} pages)", pool(scores)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
