"""From text to pages of classified lines: page breaks, headers, regions, line roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from . import credits
from .joins import tail_lost
from .text import ends_with_punctuation, han_count
from .titles import is_label

PAGE_HEADER = re.compile(
    r"^\s*(?:第\s*0*(?P<a>\d{1,3})\s*版|0*(?P<b>\d{1,3})\s*版(?=\s*[:：]))\s*[:：]?\s*(?P<name>[^\s\d(（][^\s]{0,15})?\s*$"
)
FURNITURE = re.compile(
    r"^\s*(?:本版|责任|美术|图片|文字|版式|视觉)?\s*(?:编辑|责编|美编|主编|校对|设计|统筹|制图|版式设计)\s*[:：\s]"
)
# Telephone and QR-code lines the page prints for its readers (电话:010-…, 扫码看更多).
# One or more fields on a line: 电话:010-84151313 传真:010-84151314.
PHONE_FIELD = r"[\u4e00-\u9fff]{0,6}(?:电话|热线|传真)\s*[:：]?\s*[\d(（][\d\-()（）/、,，]{6,}"
PHONE = re.compile(rf"^\s*{PHONE_FIELD}(?:\s+{PHONE_FIELD})*\s*$")
QR_NOTE = re.compile(r"^\s*(?:扫码|扫描|扫一扫|扫二维码|长按二维码)[^，,、。；;]{0,18}$")
JUMP_TO = re.compile(r"[(（]\s*(?:下)?转\s*第?\s*(?P<n>\d{1,3})\s*版\s*[)）]\s*$")
JUMP_FROM = re.compile(r"^\s*[(（]\s*(?:上)?接\s*第?\s*(?P<n>\d{1,3})\s*版\s*[)）]")
GROUP_TAG = re.compile(r"\s*[(（]\s*组图\s*[)）]$")  # 春耕正当时(组图): a photo group's title
REGION_GAP = 3  # blank lines that separate layout regions


@dataclass
class Line:
    """One non-empty line of a page, with where it stood."""

    text: str  # verbatim
    number: int  # 1-based line number in the file
    gap: int  # blank lines before it
    region_start: bool = False
    role: str = "body"

    @property
    def clean(self) -> str:
        return self.text.strip()


@dataclass
class RawPage:
    number: int | None
    name: str
    header: str
    lines: list[Line]


def split_pages(text: str) -> list[RawPage]:
    """Pages by form feed or by a page header line; blank lines counted before each line."""
    pages: list[RawPage] = [RawPage(None, "", "", [])]
    gap = 0
    for number, physical in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        parts = physical.split("\f")
        for k, part in enumerate(parts):
            if k > 0:
                pages.append(RawPage(None, "", "", []))
                gap = 0
            if not part.strip():
                if k == len(parts) - 1:
                    gap += 1
                continue
            header = PAGE_HEADER.match(part)
            if header and len(part.strip()) <= 24:
                page = pages[-1]
                if page.lines or page.header:
                    page = RawPage(None, "", "", [])
                    pages.append(page)
                page.number = int(header["a"] or header["b"])
                page.name = header["name"] or ""
                page.header = part.strip()
                gap = REGION_GAP
                continue
            pages[-1].lines.append(Line(part, number, gap))
            gap = 0
    return [p for p in pages if p.lines or p.header]


def is_furniture(text: str) -> bool:
    """Page furniture: the page's editors, telephone lines, QR-code notes; never an article."""
    text = text.strip()
    if len(text) > 60:
        return False
    return bool(FURNITURE.match(text) or PHONE.match(text) or QR_NOTE.match(text))


def split_furniture(lines: list[Line]) -> tuple[list[str], list[Line]]:
    """Furniture lines out of a page; the line after one inherits its gap (a region edge stays)."""
    furniture: list[str] = []
    kept: list[Line] = []
    carried = 0
    for line in lines:
        if is_furniture(line.clean):
            furniture.append(line.clean)
            carried = max(carried, line.gap)
            continue
        line.gap = max(line.gap, carried)
        carried = 0
        kept.append(line)
    return furniture, kept


def mark_regions(lines: list[Line]) -> None:
    for k, line in enumerate(lines):
        line.region_start = k == 0 or line.gap >= REGION_GAP


ASKS = "？?！!"
CLAUSE = "，,。；;：:、"


def is_title_like(text: str) -> bool:
    """A title line or subhead: short, one printed line, no sentence-final punctuation
    (but a title may ask or exclaim: ``食堂为啥天天排长队?`` with no clause before it)."""
    text = text.strip()
    if len(text) > 60:
        return False
    text = GROUP_TAG.sub("", text)
    bare = text.rstrip("\"'”’")
    asks = bool(bare) and bare[-1] in ASKS and not any(mark in bare for mark in CLAUSE)
    return (
        2 <= len(text) <= 40
        and " " not in text
        and "\u3000" not in text
        and han_count(text) >= 2
        and (asks or not ends_with_punctuation(bare))
        and text[0] not in "(（,，。、;；:：)）"
        and not JUMP_TO.search(text)
        and not JUMP_FROM.match(text)
    )


def classify(line: Line) -> str:
    text = line.clean
    if JUMP_TO.fullmatch(text):
        return "jump_to"
    if credits.match_photo_credit(text):
        return "credit"
    if is_label(text):
        return "short"  # 记者手记 reads as a role and a name: a box label comes first
    if credits.match_byline_line(text):
        return "byline"
    if credits.match_dateline(text):
        return "dateline"
    if JUMP_FROM.match(text):
        return "jump_from"
    if is_title_like(text) or is_label(text):
        return "short"
    return "body"


DATE_START = re.compile(r"^(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|^\d{4}\s*年")
CAPTION_START = ("图为", "图①", "上图", "下图", "左图", "右图")


def reads_as_caption_start(segment: str) -> bool:
    """A segment that opens a caption, not a title: a clause (comma), a date, a caption marker."""
    return (
        any(mark in segment for mark in ",，、;；")
        or bool(DATE_START.match(segment))
        or segment.startswith(CAPTION_START)
    )


def split_glued_title(text: str) -> tuple[str, str] | None:
    """``煤炭大港由"黑"变"绿" 人们对煤港…``: a photo title glued to its caption by a real space.

    The title is the first segment when it reads as a title, is shorter than the column
    the caption wraps at, and no word runs across the space.
    """
    text = text.strip()
    if " " not in text:
        return None
    first, rest = text.split(" ", 1)
    if not is_title_like(first) or len(first) < 4 or reads_as_caption_start(first):
        return None
    if rest.startswith("图为"):
        return first, rest
    others = [len(s) for s in rest.split(" ")]
    width = median(others[:-1] or others)
    # A wrap can fall inside a word (维修人 员); a title ends where a word ends.
    return (first, rest) if len(first) <= 0.85 * width and tail_lost(first, rest) else None
