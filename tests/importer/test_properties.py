"""Property tests: on generated issues the parser never loses a character and never crashes
with anything but its own ParseError."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issues.importer import ParseError, parse_issue

PUBS = {"WORKERS' DAILY": "工人日报"}
MASTHEAD = "WORKERS' DAILY\n\n2022年3月25日 星期五 壬寅年二月廿三 第21054期 今日八版\n\n\n\n"
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list(",。、:;\"'()!?…《》") + ["1", "2", "A", " "])
# bench/parser_fuzz.py runs these properties with many times the examples.
SCALE = int(os.environ.get("PARSER_FUZZ_SCALE", "1"))


def words(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(HAN, min_size=min_size, max_size=max_size)


@st.composite
def body_line(draw) -> str:
    chunks = draw(st.lists(st.text(st.one_of(HAN, PUNCT), min_size=5, max_size=20), min_size=1, max_size=6))
    return " ".join(chunks).strip() or "正文"


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["title", "body", "byline", "dateline", "credit", "jump", "furniture", "header"]))
    if kind == "title":
        return draw(words(2, 20))
    if kind == "byline":
        return f"本报记者 {draw(words(2, 3))}"
    if kind == "dateline":
        return f"本报讯(记者{draw(words(2, 3))} 通讯员 {draw(words(2, 3))}){draw(body_line())}"
    if kind == "credit":
        return f"新华社发({draw(words(2, 3))} 摄)"
    if kind == "jump":
        return f"(下转第{draw(st.integers(2, 9))}版)"
    if kind == "furniture":
        return f"本版编辑:{draw(words(2, 3))}"
    if kind == "header":
        return f"\f第{{page}}版 {draw(words(2, 4))}"  # numbered in order by issue_text
    return draw(body_line())


@st.composite
def issue_text(draw) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=25))
    pages = iter(range(2, 100))  # each page once: a repeated page is refused by design
    blocks = [b.replace("{page}", str(next(pages))) if b.startswith("\f") else b for b in blocks]
    gaps = draw(st.lists(st.integers(1, 4), min_size=len(blocks), max_size=len(blocks)))
    text = MASTHEAD + "".join(b + "\n" * (g + 1) for b, g in zip(blocks, gaps, strict=True))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def sinks(parse) -> list[str]:
    out = list(parse.masthead) + list(parse.unassigned)
    for page in parse.pages:
        out.append(page.header)
        out += page.furniture
        out += [item.raw_text for item in page.items]
    return out


def chars(texts) -> Counter:
    return Counter(ch for text in texts for ch in text if not ch.isspace())


def assert_nothing_lost(text: str) -> None:
    """Every input here carries a masthead, so the parser must accept it, and keep every character."""
    parse = parse_issue(text.encode("utf-8"), publications=PUBS)
    assert chars([text]) == chars(sinks(parse))


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(issue_text())
def test_generated_issues_lose_nothing(text):
    assert_nothing_lost(text)


# Any text but control characters (which mark a binary file, refused by design; the
# stray-byte test below covers them).
TEXT = st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from("\n\r\t\f "))


@settings(max_examples=100 * SCALE, deadline=None)
@given(st.text(TEXT, min_size=1, max_size=400))
def test_arbitrary_text_after_a_masthead_loses_nothing(tail):
    assert_nothing_lost(MASTHEAD + tail)


@settings(max_examples=50 * SCALE, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_parse_or_raise_parse_error(data):
    try:
        parse_issue(data, publications=PUBS)
    except ParseError as exc:
        assert "\n" not in str(exc)


def test_the_sample_loses_nothing(sample_bytes):
    assert_nothing_lost(sample_bytes.decode("utf-8"))


SAMPLE_TEXT = (Path(__file__).resolve().parents[2] / "samples" / "workers-daily-2022-03-25.txt").read_text("utf-8")
HEAD, BODY = SAMPLE_TEXT.split("\n\n\n\n", 1)
BLOCKS = BODY.split("\n\n")


@settings(max_examples=60 * SCALE, deadline=None)
@given(st.data())
def test_mutated_sample_loses_nothing(data):
    """Truncation, deleted and duplicated blocks, shuffled regions of the real sample."""
    blocks = list(BLOCKS)
    new_pages = iter(range(2, 100))  # each inserted page once: a repeated page is refused by design
    for _ in range(data.draw(st.integers(0, 6))):
        k = data.draw(st.integers(0, len(blocks) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "page"]))
        if action == "delete" and len(blocks) > 3:
            del blocks[k]
        elif action == "duplicate" and not blocks[k].startswith("\f"):
            blocks.insert(k, blocks[k])
        elif action == "swap":
            j = data.draw(st.integers(0, len(blocks) - 1))
            blocks[k], blocks[j] = blocks[j], blocks[k]
        else:
            blocks.insert(k, f"\f第{next(new_pages)}版 要闻")
    body = "\n\n".join(blocks)
    body = body[: data.draw(st.integers(len(body) // 3, len(body)))]
    assert_nothing_lost(HEAD + "\n\n\n\n" + body)


@settings(max_examples=40 * SCALE, deadline=None)
@given(st.integers(0, len(SAMPLE_TEXT.encode()) - 1), st.sampled_from([b"\x00", b"\x07", b"\x1b", b"\xff", b"\xc3"]))
def test_stray_bytes_are_refused_or_parsed(position, stray):
    raw = SAMPLE_TEXT.encode()
    data = raw[:position] + stray + raw[position:]
    try:
        parse = parse_issue(data, publications=PUBS)
    except ParseError as exc:
        assert "\n" not in str(exc)
        return
    assert chars([parse.text]) == chars(sinks(parse))


def test_mixed_encodings_are_refused_not_mojibaked():
    mixed = SAMPLE_TEXT[:200].encode("utf-8") + "本报讯 混合编码的段落。".encode("gbk") + SAMPLE_TEXT[200:].encode()
    try:
        parse_issue(mixed, publications=PUBS)
    except ParseError as exc:
        assert "GB18030" in str(exc) or "decode" in str(exc)
    else:
        pytest.fail("a file mixing UTF-8 and GBK must be refused")


def test_a_ten_megabyte_issue_and_a_huge_line_parse_whole():
    head, body = SAMPLE_TEXT.split("\n\n\n\n", 1)
    big = head + "\n\n\n\n" + ("\n\n\n\n".join([body] * 1000))[:10_000_000]
    assert len(big.encode()) >= 10_000_000 // 1.2
    assert_nothing_lost(big)
    assert_nothing_lost(head + "\n\n\n\n" + body.replace("\n", "") * 200)
