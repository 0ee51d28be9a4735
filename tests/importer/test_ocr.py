"""OCR confusions: issue evidence, dictionary evidence, every field checked, exact suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from issues.importer import NoteCode, Suggestion, parse_issue, to_json
from issues.importer.flags import Flag
from issues.importer.ocr import IssueSpellings, find_confusions

PUBS = {"WORKERS' DAILY": "工人日报"}
MASTHEAD = "WORKERS' DAILY\n\n2022年3月25日 星期五 壬寅年二月廿三 第21054期 今日八版\n\n\n\n"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "workers-daily-2022-03-25.txt"
NO_ISSUE = IssueSpellings.of([])


def story(title: str, body: str) -> str:
    return f"{title}\n\n本报讯 {body}"


def parse(*stories: str):
    return parse_issue((MASTHEAD + "\n\n\n\n".join(stories)).encode("utf-8"), publications=PUBS)


def items(*stories: str):
    return [item for _, item in parse(*stories).items()]


def findings(text: str) -> list[tuple[str, str, str]]:
    """What the checks find in one text on its own, as (printed, replacement, evidence)."""
    return [(text[f.start : f.end], f.replacement, f.evidence) for f in find_confusions(text, NO_ISSUE)]


def field_text(item, suggestion: Suggestion) -> str:
    if suggestion.field == "paragraph":
        return item.paragraphs[suggestion.index].text
    if suggestion.field == "caption":
        return item.photos[suggestion.index].caption
    return getattr(item, suggestion.field)


# --- issue evidence ---------------------------------------------------------------------


def test_a_spelling_the_issue_spells_otherwise_more_often_is_flagged():
    first = story("班组安全讲评会", "工作要从细节入手，服务也要从细节入手。")
    second = story("车间开展隐患排查", "安全管理必须从细节人手，不留死角。")
    plain, suspect = items(first, second)
    assert Flag.POSSIBLE_OCR_ERROR not in plain.flags
    assert suspect.flags == (Flag.POSSIBLE_OCR_ERROR,)
    assert suspect.suggestions == (Suggestion("paragraph", 0, "细节人手", "细节入手", "issue"),)
    (note,) = dict(suspect.notes)[Flag.POSSIBLE_OCR_ERROR]
    assert note.code == NoteCode.OCR_ISSUE_SPELLING and "细节人手 → 细节入手" in note.english()
    assert note.chinese() == "正文“细节人手” → “细节入手”：本期别处写作“细节入手”2次，写作“细节人手”1次"


def test_without_the_issue_both_spellings_are_words_and_nothing_is_flagged():
    """人手 and 入手 are both common words: only the issue's other spelling tells."""
    assert findings("安全管理必须从细节人手，不留死角。") == []


def test_a_tie_in_the_issue_goes_to_the_commoner_word():
    first = story("班组安全讲评会", "工作要从细节入手，不留死角。")
    second = story("车间开展隐患排查", "安全管理必须从细节人手，不留死角。")
    plain, suspect = items(first, second)
    assert Flag.POSSIBLE_OCR_ERROR not in plain.flags
    assert [s.replacement for s in suspect.suggestions] == ["细节入手"]


# --- dictionary evidence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, printed, word",
    [
        ("展望末来，职工们充满信心。", "末来", "未来"),
        ("新建的职工书屋己经向大家开放。", "己经", "已经"),
        ("他把自已的经验讲给新职工听。", "自已", "自己"),
    ],
    ids=["末来", "己经", "自已"],
)
def test_a_common_word_with_the_look_alike_is_suggested(text, printed, word):
    assert findings(text) == [(printed, word, "dictionary")]


def test_dictionary_evidence_flags_an_item_with_no_help_from_the_issue():
    (item,) = items(story("书屋迎来读者", "新建的职工书屋己经向大家开放。"))
    (suggestion,) = item.suggestions
    assert suggestion.evidence == "dictionary" and suggestion.field == "paragraph"
    assert "己经" in suggestion.original and suggestion.replacement == suggestion.original.replace("己", "已")
    (note,) = dict(item.notes)[Flag.POSSIBLE_OCR_ERROR]
    assert note.code == NoteCode.OCR_DICTIONARY and "“已经”是常用词" in note.chinese()
    assert "已经 is a common word" in note.english()


@pytest.mark.parametrize(
    "text",
    [
        "工人和个人的收入都进入了新阶段，人民群众已经感到自己的日子越过越好。",
        "周末，干部们走进千家万户，宣传关于土地和人口的政策，未来可期。",
        "博士生和退伍士兵一起在入口处登记，日前已有千余人报名。",
        "导入数据以后，系统会自动核对人数。",
        "这些年轻人手把手地教老工人使用智能手机。",
        "两人党龄都超过三十年。",
        "车间为新人入职准备了安全手册。",
    ],
    ids=["工人-收入-已经", "周末-干部-土地", "博士-入口-日前", "导入数据-人数", "年轻人-人手", "两人党龄", "新人入职"],
)
def test_frequent_words_with_a_confusable_character_are_left_alone(text):
    assert findings(text) == []
    (item,) = items(story("职工生活新变化", text))
    assert Flag.POSSIBLE_OCR_ERROR not in item.flags and item.suggestions == ()


# --- every field ------------------------------------------------------------------------


def test_titles_are_checked():
    kicker = "社区书屋己经开放，借阅免费"
    (item,) = items(story(f"{kicker}\n职工读书热情高", "记者走访发现，不少职工利用午休时间读书。"))
    assert item.kicker == kicker
    assert [(s.field, s.index) for s in item.suggestions] == [("kicker", 0)]
    assert "已经" in item.suggestions[0].replacement


def test_a_headline_is_checked_against_the_body():
    body = "今年起，三所中学试行细节入手的安全课，从细节入手培养习惯。"
    (item,) = items(story("三所中学从细节人手抓安全", body))
    assert [(s.field, s.original, s.evidence) for s in item.suggestions] == [("headline", "细节人手", "issue")]


def test_captions_are_checked():
    text = MASTHEAD + "书香进车间\n\n图为职工在己经建成的车间书屋里读书。\n\n本报记者 王晓 摄\n"
    (item,) = [item for _, item in parse_issue(text.encode(), publications=PUBS).items()]
    assert item.kind == "photo"
    assert [(s.field, s.index, s.evidence) for s in item.suggestions] == [("caption", 0, "dictionary")]
    assert "己经" in item.suggestions[0].original and "已经" in item.suggestions[0].replacement


# --- the suggestion ---------------------------------------------------------------------


def test_a_suggestion_names_a_spot_that_occurs_once_and_fixes_it():
    body = "展望末来，大家说：末来属于奋斗者，让我们一起奋斗。"
    (item,) = items(story("青年职工谈理想", body))
    assert len(item.suggestions) == 2
    for suggestion in item.suggestions:
        text = field_text(item, suggestion)
        assert text.count(suggestion.original) == 1
        fixed = text.replace(suggestion.original, suggestion.replacement)
        assert len(fixed) == len(text) and sum(a != b for a, b in zip(text, fixed, strict=True)) == 1


def test_one_suggestion_fixes_every_copy_of_the_same_misspelling():
    (item,) = items(story("书屋迎来读者", "书屋己经开放。大家都说，书屋己经开放真好。"))
    (suggestion,) = item.suggestions
    text = field_text(item, suggestion)
    assert "己" not in text.replace(suggestion.original, suggestion.replacement)


def test_to_json_lists_the_suggestions_as_dicts():
    parsed = parse(story("书屋迎来读者", "新建的职工书屋己经向大家开放。"))
    (item_json,) = to_json(parsed)["pages"][0]["items"]
    assert item_json["flags"] == ["possible_ocr_error"]
    (suggestion,) = item_json["suggestions"]
    assert set(suggestion) == {"field", "index", "original", "replacement", "evidence"}
    assert (suggestion["field"], suggestion["index"], suggestion["evidence"]) == ("paragraph", 0, "dictionary")


# --- the sample -------------------------------------------------------------------------


def test_the_sample_has_exactly_its_two_ocr_errors():
    parsed = parse_issue(SAMPLE.read_bytes(), publications=PUBS)
    found = [
        (s.field, s.original, s.replacement, s.evidence)
        for _, item in parsed.items()
        if Flag.POSSIBLE_OCR_ERROR in item.flags
        for s in item.suggestions
    ]
    assert sorted(found) == [
        ("headline", "登记人学", "登记入学", "issue"),
        ("paragraph", "人党积极", "入党积极", "dictionary"),
    ]
    flagged = [item for _, item in parsed.items() if Flag.POSSIBLE_OCR_ERROR in item.flags]
    assert all(item.suggestions for item in flagged) and len(flagged) == 2
