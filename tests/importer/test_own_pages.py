"""Practice pages written for this importer (tests/importer/pages/), scored like the fixtures.

The pages are laid out by tests/importer/pages/make_pages.py from hand-written gold: new
prose in other variants of the spec's layout families (see each page script's docstring).
Their pooled figures are pinned, never per-page outputs. Each rule they made us change has
a tiny test of its own below.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from issues.importer import parse_issue, to_json
from issues.importer.credits import match_dateline
from issues.importer.layout import Line, classify, is_furniture, is_title_like
from issues.importer.notes import NoteCode
from issues.importer.titles import split_roles

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "pages"
SCORER = ROOT.parent / "shared" / "tools" / "score_import.py"
PUBS = {"WORKERS' DAILY": "工人日报"}
NO_MASTHEAD_DATE = {"own-d": dt.date(2022, 3, 26)}  # pages without a masthead import with --date
FLOORS = {"seg_f1": 1.0, "text_recall": 1.0, "headline_acc": 0.979, "title_lines_acc": 1.0, "authors_acc": 1.0}
MIN_PAGES = 6


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_import_own_pages", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pooled() -> dict[str, float]:
    if not SCORER.is_file():
        pytest.skip(f"no shared scorer beside the project ({SCORER})")
    scorer = load_scorer()
    totals = {"pages": 0, "matched": 0, "gold": 0, "pred": 0, "grams": 0, "recall": 0.0}
    weighted = dict.fromkeys(("headline_acc", "title_lines_acc", "authors_acc"), 0.0)
    for raw in sorted(PAGES.glob("own-*.txt")):
        gold = json.loads(raw.with_name(raw.stem + ".expected.json").read_text("utf-8"))
        parse = parse_issue(raw.read_bytes(), publications=PUBS, date=NO_MASTHEAD_DATE.get(raw.stem))
        m = scorer.score(gold, to_json(parse))
        grams = sum(sum(scorer.grams(scorer.content(i)).values()) for _, i in scorer.items_of(gold))
        totals["pages"] += 1
        totals["matched"] += m["items_matched"]
        totals["gold"] += m["items_gold"]
        totals["pred"] += m["items_pred"]
        totals["grams"] += grams
        totals["recall"] += m["text_recall"] * grams
        for key in weighted:
            weighted[key] += m[key] * m["items_gold"]
    out = {
        "pages": totals["pages"],
        "seg_f1": 2 * totals["matched"] / (totals["gold"] + totals["pred"]),
        "text_recall": totals["recall"] / totals["grams"],
    }
    return out | {key: value / totals["gold"] for key, value in weighted.items()}


def test_every_own_page_is_scored(pooled):
    assert pooled["pages"] >= MIN_PAGES


@pytest.mark.parametrize("metric", FLOORS)
def test_pooled_figure_on_own_pages_does_not_fall(pooled, metric):
    assert pooled[metric] >= FLOORS[metric] - 1e-3, f"pooled {metric} {pooled[metric]:.3f} < {FLOORS[metric]}"


# --- the rules these pages changed ------------------------------------------------------


def test_a_box_label_that_reads_as_a_role_and_a_name_is_a_label_not_a_byline():
    assert classify(Line("记者手记", 1, 0)) == "short"
    assert classify(Line("本报记者 何雨", 1, 0)) == "byline"


def test_a_line_of_several_telephone_fields_is_furniture():
    assert is_furniture("电话:010-84151666 传真:010-84151667")
    assert not is_furniture("电话:010-84151666 欢迎职工来电反映问题")


def test_a_dateline_credit_split_by_a_column_wrap_reads_its_names():
    byline, _ = match_dateline("新华社北京4月18日电(记者高远、于 洋)农业农村部18日发布消息")
    assert [c.name for c in byline.credits] == ["高远", "于洋"] and byline.parsed
    byline, _ = match_dateline("据新华社上海3月24日电(记者吴霞 李娜)集体协商")
    assert [c.name for c in byline.credits] == ["吴霞", "李娜"]


def test_a_chinese_numeral_figure_in_the_second_line_leans_to_a_subheadline():
    _, headline, sub, doubt = split_roles(["万里长江第一桥", "参赛选手中职工占四成"], set())
    assert (headline, sub) == ("万里长江第一桥", "参赛选手中职工占四成")
    assert NoteCode.ONLY_SECOND_HAS_FIGURE in dict(doubt.params)["reasons"]


def test_a_much_longer_second_line_leans_to_a_subheadline_and_is_flagged():
    _, headline, sub, doubt = split_roles(["高温天气户外作业有了新规", "用人单位须调整作息并发放防暑降温费"], set())
    assert (headline, sub) == ("高温天气户外作业有了新规", "用人单位须调整作息并发放防暑降温费") and doubt
    kicker, _, _, _ = split_roles(["记者走访多个城市发现", "产业工人队伍建设改革见实效"], set())
    assert kicker == "记者走访多个城市发现"  # three characters longer is not enough


def test_a_title_may_ask_a_question_but_a_sentence_that_asks_is_body():
    assert is_title_like("食堂为啥天天排长队?")
    assert is_title_like("你准备好了吗！")
    assert not is_title_like("他问,食堂为啥天天排长队?")
    assert not is_title_like("职工们都说好。")
