"""Bylines, datelines and photo credits: who wrote or photographed an item, and where from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Credit

HAN = r"\u4e00-\u9fff"
AGENCY = rf"(?:本报|新华社|中新社|人民日报|[{HAN}]{{2,6}}?社)"
ROLES = {
    "记者": "reporter",
    "特约记者": "reporter",
    "见习记者": "reporter",
    "摄影记者": "photographer",
    "通讯员": "correspondent",
    "特约通讯员": "correspondent",
    "实习生": "intern",
    "评论员": "commentator",
    "特约评论员": "commentator",
    "摄影": "photographer",
    "摄": "photographer",
}
ROLE = "(?:" + "|".join(sorted(ROLES, key=len, reverse=True)) + ")"
# A person's name: two to four characters that do not start a role or an agency.
NAME = rf"(?:(?!{ROLE}|本报|新华社)[{HAN}·]){{2,4}}"
NAMES = rf"{NAME}(?:[\s、，,]+{NAME})*"

# 本报讯 / 本报北京3月24日电 / 据新华社北京3月24日电 / 新华社武汉3月24日电, then (记者…)
DATELINE = re.compile(
    rf"^(?P<ju>据)?\s*(?P<source>{AGENCY})\s*"
    rf"(?:(?P<xun>讯)|(?P<place>[{HAN}]{{1,10}}?)\s*(?P<date>\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)\s*电)"
    rf"(?:\s*[(（](?P<credit>[^()（）]{{1,60}})[)）])?"
)
# A byline alone on its line: 本报记者 康劲 / 本报记者 赵敏 本报通讯员 孙浩 / 本报评论员
BYLINE_PART = rf"(?:{AGENCY})?\s*{ROLE}\s*(?:{NAMES})?"
BYLINE_LINE = re.compile(rf"^\s*{BYLINE_PART}(?:\s+{BYLINE_PART})*\s*$")
ROLE_RUN = re.compile(rf"(?P<agency>{AGENCY})?\s*(?P<role>{ROLE})\s*(?P<names>(?:{NAMES})?)")
# 新华社发(梁雪冰 摄) / 新华社记者 曹阳 摄 / 本报通讯员 黄志强 摄 / (梁雪冰 摄) / 曹阳/摄
PHOTO_CREDIT = re.compile(
    rf"^\s*(?:(?P<sent>{AGENCY}|[{HAN}]{{2,8}}?)发\s*)?[(（]?\s*(?P<agency>{AGENCY})?\s*"
    rf"(?P<role>{ROLE})?\s*(?P<names>{NAMES})\s*/?\s*摄\s*[)）]?\s*$"
)


@dataclass(frozen=True)
class Byline:
    text: str  # as printed
    source: str
    place: str
    date: str
    credits: tuple[Credit, ...]
    parsed: bool  # False where a credit was present but no name could be read


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s、，,]+", text.strip()) if n]


def parse_credit_text(text: str, default_role: str = "reporter") -> tuple[list[Credit], bool]:
    """Names with roles from ``记者邹倜然 通讯员 祝琳`` or ``梁雪冰 摄``; False if unreadable."""
    text = text.strip()
    if re.fullmatch(rf"\s*{NAMES}\s*/?\s*摄\s*", text):
        return [Credit(n, "photographer") for n in _names(text.rstrip("摄/ "))], True
    credits: list[Credit] = []
    pos = 0
    for match in ROLE_RUN.finditer(text):
        if text[pos : match.start()].strip():
            return credits, False
        role = ROLES[match.group("role")]
        credits += [Credit(n, role) for n in _names(match.group("names"))]
        pos = match.end()
    if text[pos:].strip():
        rest = text[pos:].strip()
        if not credits and re.fullmatch(NAMES, rest):
            return [Credit(n, default_role) for n in _names(rest)], True
        return credits, False
    return credits, bool(credits) or bool(re.search(ROLE, text))


def read_credit(text: str) -> tuple[list[Credit], bool]:
    """Credits of a dateline's brackets, undoing a column wrap that split a name (记者高远、于 洋).

    Real spaces separate roles and whole names; when the credit does not read as names, a
    space whose removal makes it read was where the column wrapped inside a name.
    """
    credits, parsed = parse_credit_text(text)
    if parsed:
        return credits, parsed
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    for i in spaces:
        joined, ok = parse_credit_text(text[:i] + text[i + 1 :])
        if ok:
            return joined, ok
    return credits, parsed


def match_dateline(line: str) -> tuple[Byline, str] | None:
    """A byline at the start of a body line: the byline and the body text after it."""
    m = DATELINE.match(line)
    if not m:
        return None
    credits, parsed = read_credit(m.group("credit")) if m.group("credit") else ([], True)
    source = m.group("source")
    byline = Byline(
        text=m.group(0).strip(),
        source=source,
        place=m.group("place") or "",
        date=re.sub(r"\s+", "", m.group("date") or ""),
        credits=tuple(credits),
        parsed=parsed,
    )
    return byline, line[m.end() :]


def match_byline_line(line: str) -> Byline | None:
    """A line that is only a byline, such as ``本报记者 康劲``."""
    if len(line) > 60 or not BYLINE_LINE.match(line):
        return None
    credits, parsed = parse_credit_text(line)
    agency = re.match(rf"\s*({AGENCY})", line)
    return Byline(line.strip(), agency.group(1) if agency else "", "", "", tuple(credits), parsed)


def match_photo_credit(line: str) -> Byline | None:
    """A photo credit line; its credits are the photographers."""
    if len(line) > 50:
        return None
    m = PHOTO_CREDIT.match(line)
    if not m:
        return None
    source = m.group("sent") or m.group("agency") or ""
    names = _names(m.group("names"))
    return Byline(line.strip(), source, "", "", tuple(Credit(n, "photographer") for n in names), bool(names))
