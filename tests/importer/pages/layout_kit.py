"""A small kit to lay out practice pages: the gold item first, then its raw text as extraction leaves it.

Each page script declares its items (what a reader would say the page holds) and then the
blocks of the page in printed order. A block feeds one field of one item and renders into
raw text: body and caption blocks wrap at a column width with a space at every wrap (a
closing punctuation mark never opens a printed line, as typesetters keep it on the line
above), full-width punctuation is turned into the ASCII forms extraction gives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ASCII = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "；": ";"})
NO_LINE_START = "，。、；：？！）”’》…,.;:?!)\"'"
REGION = object()  # three blank lines: a new layout region


def ascii_punct(text: str) -> str:
    return text.translate(ASCII)


def wrap(text: str, widths: list[int]) -> str:
    """Printed lines of ``text`` joined by the space extraction leaves at each column wrap."""
    lines, pos, k = [], 0, 0
    while pos < len(text):
        width = widths[k % len(widths)]
        end = min(pos + width, len(text))
        while end < len(text) and text[end] in NO_LINE_START:
            end += 1
        lines.append(text[pos:end])
        pos, k = end, k + 1
    return " ".join(lines)


@dataclass
class Item:
    kind: str = "article"
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    byline: str = ""
    authors: list[str] = field(default_factory=list)
    source: str = "本报"
    dateline: dict | None = None
    continued_to: int | None = None
    continued_from: int | None = None
    flags: list[str] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    credit: str = ""
    photographers: list[str] = field(default_factory=list)

    def gold(self) -> dict:
        photos = [
            {"caption": p["caption"], "credit": self.credit, "photographers": list(self.photographers)}
            for p in self.photos
        ]
        return {
            "kind": self.kind,
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "byline": self.byline,
            "authors": list(self.authors) if self.kind == "article" else list(self.photographers),
            "source": self.source,
            "dateline": self.dateline,
            "paragraphs": self.paragraphs,
            "photos": photos,
            "continued_to": self.continued_to,
            "continued_from": self.continued_from,
            "flags": self.flags,
        }


class Page:
    """One printed page: a header (or none), its items and its raw blocks."""

    def __init__(self, number: int, header: str = "", widths: tuple[int, ...] = (18, 17, 18, 19)) -> None:
        self.number = number
        self.header = header
        self.items: list[Item] = []
        self.blocks: list[object] = []
        self.widths = list(widths)

    def item(self, **fields) -> Item:
        item = Item(**fields)
        self.items.append(item)
        return item

    def raw(self, text: str) -> None:
        """A verbatim line: a title, a byline alone, furniture, a jump marker, a credit."""
        self.blocks.append(text)

    def region(self) -> None:
        self.blocks.append(REGION)

    def body(self, item: Item, text: str, *, lead: str = "", tail: str = "", cont: bool = False, widths=None) -> None:
        """A body block: ``lead`` (a byline) printed before it, ``tail`` (a jump) after it;
        ``cont`` when it continues the paragraph the previous block cut."""
        if cont and item.paragraphs:
            item.paragraphs[-1]["text"] += text
        else:
            item.paragraphs.append({"kind": "text", "text": text})
        rendered = wrap(ascii_punct(lead + text), widths or self.widths)
        self.blocks.append(rendered + (" " + tail if tail else ""))

    def subhead(self, item: Item, text: str) -> None:
        item.paragraphs.append({"kind": "subhead", "text": text})
        self.blocks.append(ascii_punct(text))

    def caption(self, item: Item, text: str, *, new: bool = True, title: str = "", widths=None) -> None:
        """A caption block; ``new`` starts a photo of its own, ``title`` is glued before it."""
        if new or not item.photos:
            item.photos.append({"caption": text})
        else:
            item.photos[-1]["caption"] += text
        rendered = wrap(ascii_punct(text), widths or self.widths)
        self.blocks.append((ascii_punct(title) + " " if title else "") + rendered)

    def render(self) -> list[str]:
        out: list[str] = []
        if self.header:
            out += [self.header, "", "", ""]
        for block in self.blocks:
            if block is REGION:
                out += ["", ""]
                continue
            out += [block, ""]
        return out


def write_pair(
    path: Path, pages: list[Page], issue: dict, masthead: list[str], *, encoding="utf-8", newline="\n", ff=False
) -> None:
    """``path`` (raw) and its ``.expected.json`` gold."""
    lines = [*masthead]
    for n, page in enumerate(pages):
        rendered = page.render()
        if n and ff:
            rendered[0] = "\f" + rendered[0]
        lines += rendered
    text = newline.join(lines).rstrip() + newline
    path.write_bytes(text.encode(encoding))
    gold = {
        "issue": issue,
        "pages": [{"number": p.number, "items": [i.gold() for i in p.items]} for p in pages],
    }
    path.with_name(path.stem + ".expected.json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
