"""Photo items: a credit line anchors each one; its title and captions are found around it.

Evidence, walking back from the credit: caption blocks up to a title line, a region start
or another item's anchor. A title glued to the caption's first block counts only where no
title line stands above it. A credit with no caption above it is printed before its
captions (credit first), so the captions follow it. A photo group's captions each open
with a marker (图①, 上图): every one becomes a photo of its own, sharing the credit.
"""

from __future__ import annotations

import re

from . import credits
from .layout import Line, split_glued_title
from .model import Photo
from .text import ends_sentence, strip_wrap_spaces

MAX_CAPTION_LINES = 6
MAX_TITLE_LINES = 3
BOUNDARY_ROLES = {"credit", "jump_to", "byline", "dateline", "jump_from"}
ARTICLE_ROLES = {"byline", "dateline", "jump_from"}
# 图① / 图1: / 图一: / 上图: / 左下图: — one caption of a photo group
GROUP_MARKER = re.compile(
    r"^\s*(?:图\s*[①-⑳]|图\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[:：]|[上下左右中]{1,2}图\s*[:：])"
)


def opens_group_caption(text: str) -> bool:
    return bool(GROUP_MARKER.match(text))


class PhotoSpan:
    """One photo item's lines: title lines, caption lines, the credit, and a glued title."""

    def __init__(self, credit: int) -> None:
        self.credit = credit
        self.titles: list[int] = []
        self.captions: list[int] = []
        self.glued: tuple[str, str] | None = None

    @property
    def first(self) -> int:
        return min([*self.titles, *self.captions, self.credit])

    @property
    def last(self) -> int:
        return max([*self.captions, self.credit])


def find_photos(lines: list[Line]) -> dict[int, PhotoSpan]:
    """Photo spans keyed by their first line; no line belongs to two of them."""
    photos: dict[int, PhotoSpan] = {}
    taken: set[int] = set()
    for c, line in enumerate(lines):
        if line.role != "credit" or c in taken:
            continue
        span = PhotoSpan(c)
        _walk_back(lines, span, taken)
        if not span.captions:
            span.captions = _captions_below(lines, c)
        photos[span.first] = span
        taken.update(range(span.first, span.last + 1))
    return photos


def _walk_back(lines: list[Line], span: PhotoSpan, taken: set[int]) -> None:
    """Caption lines above the credit, then the title run or glued title above them."""
    j = span.credit - 1
    reached_article = False
    while j >= 0 and j not in taken and len(span.captions) < MAX_CAPTION_LINES:
        prev = lines[j]
        if prev.role in BOUNDARY_ROLES:
            reached_article = prev.role in ARTICLE_ROLES
            break
        if prev.role == "short":
            span.titles = _title_run(lines, j)
            return
        span.captions.insert(0, j)
        if not _title_above(lines, j):
            span.glued = split_glued_title(prev.clean)
            if span.glued:
                return
        if prev.region_start:
            break
        j -= 1
    else:
        reached_article = j >= 0 and j in taken
    if reached_article or (j >= 0 and not lines[j].region_start):
        span.captions = _own_caption(lines, span.captions)


def _title_above(lines: list[Line], j: int) -> bool:
    """A title line stands right above line ``j`` in the same region."""
    return j > 0 and not lines[j].region_start and lines[j - 1].role == "short"


def _title_run(lines: list[Line], j: int) -> list[int]:
    """Up to three title lines ending at ``j``, within one region."""
    k = j
    while k > 0 and lines[k - 1].role == "short" and not lines[k].region_start and j - k + 1 < MAX_TITLE_LINES:
        k -= 1
    return list(range(k, j + 1))


def _own_caption(lines: list[Line], caption: list[int]) -> list[int]:
    """No title of its own: the story's text above stays the story's, only the caption is taken."""
    group = [k for k in caption if opens_group_caption(lines[k].clean)]
    starts = group[:1] or [k for k in caption if lines[k].clean.startswith("图为")][-1:]
    return caption[caption.index(starts[0]) :] if starts else caption[-1:]


def _captions_below(lines: list[Line], c: int) -> list[int]:
    """Captions printed after their credit: body blocks of the same region.

    A group's captions run on while blocks open with a marker; any caption runs on while
    a block ends mid-sentence (a column break cut it).
    """
    taken: list[int] = []
    k = c + 1
    while k < len(lines) and len(taken) < MAX_CAPTION_LINES:
        line = lines[k]
        if line.role != "body" or line.region_start:
            break
        if taken and not opens_group_caption(line.clean) and ends_sentence(strip_wrap_spaces(lines[k - 1].clean)):
            break
        taken.append(k)
        k += 1
    return taken


def photo_entries(captions: list[str], credit: credits.Byline | None) -> tuple[Photo, ...]:
    """One photo per group caption (a block opening with a marker); other blocks continue one."""
    groups: list[list[str]] = []
    for text in captions:
        if not groups or opens_group_caption(text):
            groups.append([])
        groups[-1].append(text)
    names = tuple(c.name for c in credit.credits) if credit else ()
    text = credit.text if credit else ""
    return tuple(Photo(caption="".join(g), credit=text, photographers=names) for g in groups or [[]])
