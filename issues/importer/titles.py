"""Title lines by role: kicker (引题), headline (主题), subheadline (副题).

Two title lines are weighed as competing hypotheses, kicker + headline against headline +
subheadline, each piece of evidence adding to one side. Strong evidence decides alone;
weaker evidence decides but leaves a flag for the desk, naming what it was.
"""

from __future__ import annotations

import re

from .flags import Flag

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


def split_roles(titles: list[str], known_headlines: set[str]) -> tuple[str, str, str, str]:
    """Kicker, headline, subheadline, and the evidence when the split was not clear ("" if it was)."""
    if not titles:
        return "", "", "", ""
    if is_label(titles[0]):
        rest = titles[1:]
        return titles[0].strip().rstrip(":："), rest[0] if rest else "", " ".join(rest[1:]), ""
    if len(titles) == 1:
        return "", titles[0], "", ""
    if len(titles) >= 3:
        return titles[0], titles[1], " ".join(titles[2:]), ""
    first, second = titles
    weight, evidence = two_line_evidence(first, second, known_headlines)
    doubt = "" if abs(weight) >= STRONG else f"{first} / {second}: " + ("; ".join(evidence) or "no sign of their roles")
    if weight < 0:
        return "", first, second, doubt
    return first, second, "", doubt


def two_line_evidence(first: str, second: str, known_headlines: set[str]) -> tuple[int, list[str]]:
    """Positive weight: kicker + headline; negative: headline + subheadline."""
    weight = 0
    evidence: list[str] = []

    def add(points: int, why: str) -> None:
        nonlocal weight
        weight += points
        evidence.append(why)

    if second.startswith(("—", "-")):
        add(-STRONG, "the second line opens with a dash")
    if second in known_headlines and first not in known_headlines:
        add(STRONG, "the second line is a headline elsewhere in the issue")
    if first in known_headlines and second not in known_headlines:
        add(-STRONG, "the first line is a headline elsewhere in the issue")
    if any(mark in first for mark in CLAUSE_MARKS):
        add(STRONG, "the first line is a clause with a comma")
    elif "、" in first:
        add(1, "the first line lists with 、")
    if len(first) >= len(second) + 8:
        add(2, "the first line is much longer")
    elif len(second) >= len(first) + LONGER_SECOND and len(first) >= KICKER_MIN:
        add(-1, "the second line is much longer")
    if DIGIT.search(second) and not DIGIT.search(first) and not second.startswith(("—", "-")):
        add(-1, "only the second line gives a figure")
    return weight, evidence


def assign_titles(titles: list[str], known_headlines: set[str], flag) -> tuple[str, str, str]:
    """Kicker, headline and subheadline; ``flag(Flag, evidence)`` records an unsure split."""
    kicker, headline, subheadline, doubt = split_roles(titles, known_headlines)
    if doubt:
        flag(Flag.UNCERTAIN_TITLE_SPLIT, doubt)
    return kicker, headline, subheadline
