"""Title lines by role: kicker (引题), headline (主题), subheadline (副题).

Two title lines are weighed as competing hypotheses, kicker + headline against headline +
subheadline, each piece of evidence adding to one side. Strong evidence decides alone;
weaker evidence decides but leaves a flag for the desk, naming what it was.
"""

from __future__ import annotations

import re

from .flags import Flag
from .notes import Note, NoteCode

# Labels that open a short boxed item in place of a kicker; a title may follow them.
LABELS = frozenset(
    {
        "编者按",
        "编后",
        "编后语",
        "短评",
        "快评",
        "时评",
        "链接",
        "相关链接",
        "新闻链接",
        "背景链接",
        "图片新闻",
        "新闻图片",
        "记者手记",
        "延伸阅读",
        "小资料",
    }
)
STRONG = 3  # evidence this heavy decides without a flag
CLAUSE_MARKS = "，,：:；;"
# A figure: Arabic digits, or a Chinese numeral with a measure word (四成, 百余家, 两万名).
DIGIT = re.compile(r"\d|[一二两三四五六七八九十百千万]+余?[成个家名位项条座所倍]")
# The headline is set largest, so it is often the shortest line: a second line this much
# longer than a first line of at least KICKER_MIN characters leans to a subheadline. Only
# leans: a kicker can be shorter than its headline (记者走访多个城市发现 / a 13-character
# headline), and a short first line may be a column name used as a kicker (新春走基层).
LONGER_SECOND = 5
KICKER_MIN = 7


def is_label(text: str) -> bool:
    """A box label such as ``编者按`` or ``链接:``, alone on its line."""
    return text.strip().rstrip(":：") in LABELS


def lacks_headline(kicker: str, headline: str) -> bool:
    """The missing-headline check: no headline, and no box label standing in for one."""
    return not headline and not is_label(kicker)


def split_roles(titles: list[str], known_headlines: set[str]) -> tuple[str, str, str, Note | None]:
    """Kicker, headline, subheadline, and the evidence when the split was not clear (None if it was)."""
    if not titles:
        return "", "", "", None
    if is_label(titles[0]):
        rest = titles[1:]
        return titles[0].strip().rstrip(":："), rest[0] if rest else "", " ".join(rest[1:]), None
    if len(titles) == 1:
        return "", titles[0], "", None
    if len(titles) >= 3:
        return titles[0], titles[1], " ".join(titles[2:]), None
    first, second = titles
    weight, evidence = two_line_evidence(first, second, known_headlines)
    reasons = evidence or [NoteCode.NO_ROLE_SIGN]
    doubt = (
        None
        if abs(weight) >= STRONG
        else Note.of(NoteCode.TITLE_ROLES_UNSURE, first=first, second=second, reasons=reasons)
    )
    if weight < 0:
        return "", first, second, doubt
    return first, second, "", doubt


def two_line_evidence(first: str, second: str, known_headlines: set[str]) -> tuple[int, list[NoteCode]]:
    """Positive weight: kicker + headline; negative: headline + subheadline."""
    weight = 0
    evidence: list[NoteCode] = []

    def add(points: int, why: NoteCode) -> None:
        nonlocal weight
        weight += points
        evidence.append(why)

    if second.startswith(("—", "-")):
        add(-STRONG, NoteCode.DASH_OPENS_SECOND)
    if second in known_headlines and first not in known_headlines:
        add(STRONG, NoteCode.SECOND_IS_HEADLINE_ELSEWHERE)
    if first in known_headlines and second not in known_headlines:
        add(-STRONG, NoteCode.FIRST_IS_HEADLINE_ELSEWHERE)
    if any(mark in first for mark in CLAUSE_MARKS):
        add(STRONG, NoteCode.FIRST_IS_CLAUSE)
    elif "、" in first:
        add(1, NoteCode.FIRST_LISTS)
    if len(first) >= len(second) + 8:
        add(2, NoteCode.FIRST_MUCH_LONGER)
    elif len(second) >= len(first) + LONGER_SECOND and len(first) >= KICKER_MIN:
        add(-1, NoteCode.SECOND_MUCH_LONGER)
    if DIGIT.search(second) and not DIGIT.search(first) and not second.startswith(("—", "-")):
        add(-1, NoteCode.ONLY_SECOND_HAS_FIGURE)
    return weight, evidence


def assign_titles(titles: list[str], known_headlines: set[str], flag) -> tuple[str, str, str]:
    """Kicker, headline and subheadline; ``flag(Flag, Note)`` records an unsure split."""
    kicker, headline, subheadline, doubt = split_roles(titles, known_headlines)
    if doubt:
        flag(Flag.UNCERTAIN_TITLE_SPLIT, doubt)
    return kicker, headline, subheadline
