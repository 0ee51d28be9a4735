"""Grouping a page's classified lines into drafts of items.

Evidence, in order: photo credits anchor photo items (see ``photos``); bylines and
datelines start articles; runs of title-like lines start items where a byline, a jump
marker, a box label or a region start goes with them, and are subheads inside a story
otherwise. A byline with nothing after it in its region closes the story above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import credits
from .flags import Flag
from .layout import JUMP_FROM, JUMP_TO, Line, classify
from .notes import Note, NoteCode
from .photos import MAX_TITLE_LINES, PhotoSpan, find_photos
from .text import ends_sentence, strip_wrap_spaces
from .titles import is_label

ARTICLE_OPENERS = {"byline", "dateline", "jump_from"}
NEXT_ITEM_ROLES = {"short", "byline", "dateline", "jump_from", "credit"}


@dataclass
class Draft:
    """An item being assembled from lines."""

    kind: str = "article"
    titles: list[str] = field(default_factory=list)
    byline: credits.Byline | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)  # (kind, raw text): text, subhead, caption
    credit: credits.Byline | None = None
    lines: list[str] = field(default_factory=list)  # verbatim lines, in order
    continued_to: int | None = None
    continued_from: int | None = None
    flags: dict[str, list[Note]] = field(default_factory=dict)
    first_line: int = 0

    def flag(self, code: Flag, evidence: Note | None = None) -> None:
        notes = self.flags.setdefault(code, [])
        if evidence and evidence not in notes:
            notes.append(evidence)


def group_page(lines: list[Line]) -> list[Draft]:
    """Items of one page, in reading order."""
    for line in lines:
        line.role = classify(line)
    return _Grouper(lines).run()


class _Grouper:
    """One pass over a page's lines; ``current`` is the item that body text joins."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.photos = find_photos(lines)
        self.drafts: list[Draft] = []
        self.current: Draft | None = None

    def run(self) -> list[Draft]:
        i = 0
        while i < len(self.lines):
            if i in self.photos:
                span = self.photos[i]
                self.drafts.append(photo_draft(self.lines, span))
                i = span.last + 1
                continue
            handler = getattr(self, "_" + self.lines[i].role, self._body)
            i = handler(i)
        return self.drafts

    def _new(self, line: Line, lines: Sequence[Line] = ()) -> Draft:
        self.current = Draft(lines=[x.text for x in lines], first_line=line.number)
        self.drafts.append(self.current)
        return self.current

    def _next(self, i: int) -> Line | None:
        """The line after ``i`` when it is in the same region and not a photo's."""
        if i + 1 >= len(self.lines) or i + 1 in self.photos or self.lines[i + 1].region_start:
            return None
        return self.lines[i + 1]

    def _short(self, i: int) -> int:
        run = [self.lines[i]]
        while len(run) < MAX_TITLE_LINES and (nxt := self._next(i + len(run) - 1)) is not None and nxt.role == "short":
            run.append(nxt)
        after = self._next(i + len(run) - 1)
        next_role = after.role if after is not None else None
        line, current = run[0], self.current
        if line.region_start and _titles_only(current) and len(current.titles) + len(run) <= MAX_TITLE_LINES:
            current.titles += [r.clean for r in run]
            current.lines += [r.text for r in run]
            titles = " / ".join(current.titles)
            current.flag(Flag.UNCERTAIN_TITLE_SPLIT, Note.of(NoteCode.TITLES_ACROSS_REGIONS, titles=titles))
        elif (
            current is None
            or line.region_start
            or next_role in ARTICLE_OPENERS
            or len(run) >= 2
            or is_label(line.clean)
        ):
            draft = self._new(line, run)
            draft.titles = [r.clean for r in run]
        elif next_role is None:
            current.parts.append(("text", line.clean))  # a short line ending a region: body that lost its tail
            current.lines.append(line.text)
        else:
            current.parts.append(("subhead", line.clean))
            current.lines.append(line.text)
        return i + len(run)

    def _byline(self, i: int) -> int:
        line = self.lines[i]
        byline = credits.match_byline_line(line.clean)
        current = self.current
        if closes_story(current, self._next(i)):
            current.byline = byline  # a commentary signed at its end
        else:
            current = self._article_for_byline(line)
            current.byline = byline
        current.lines.append(line.text)
        return i + 1

    def _dateline(self, i: int) -> int:
        line = self.lines[i]
        current = self._article_for_byline(line)
        current.lines.append(line.text)
        match = credits.match_dateline(line.clean)
        assert match is not None  # noqa: S101 - classified as a dateline
        current.byline, rest = match
        add_body(current, rest)
        return i + 1

    def _article_for_byline(self, line: Line) -> Draft:
        current = self.current
        if current is None or current.byline or current.parts or current.kind != "article":
            current = self._new(line)
        return current

    def _jump_from(self, i: int) -> int:
        line = self.lines[i]
        current = self.current
        if current is None or current.parts or current.byline:
            current = self._new(line)
        current.lines.append(line.text)
        match = JUMP_FROM.match(line.clean)
        current.continued_from = int(match["n"])
        add_body(current, line.clean[match.end() :])
        return i + 1

    def _jump_to(self, i: int) -> int:
        line = self.lines[i]
        target = self.current or (self.drafts[-1] if self.drafts else None)
        if target is None:
            target = self._new(line)
        target.lines.append(line.text)
        target.continued_to = int(JUMP_TO.search(line.clean)["n"])
        self.current = None
        return i + 1

    def _body(self, i: int) -> int:
        """Body text (and any credit the photo pass left alone)."""
        line = self.lines[i]
        current = self.current
        if current is None or (line.region_start and _ends_cleanly(current)):
            current = self._new(line)
        elif line.region_start:
            current.flag(Flag.UNCERTAIN_SEGMENTATION, Note.of(NoteCode.REGION_CONTINUES_STORY, start=line.clean[:8]))
        current.lines.append(line.text)
        add_body(current, line.clean)
        return i + 1


def closes_story(draft: Draft | None, after: Line | None) -> bool:
    """A byline line that signs the story above it: no body text of its own follows it in
    its region (nothing, or the next item's title or anchor), and that story has text but
    no byline yet."""
    opens_next = after is None or after.role in NEXT_ITEM_ROLES
    return opens_next and draft is not None and draft.kind == "article" and bool(draft.parts) and not draft.byline


def photo_draft(lines: list[Line], span: PhotoSpan) -> Draft:
    """The draft of one photo item: title lines, captions (a glued title split off), credit."""
    draft = Draft(kind="photo", first_line=lines[span.first].number)
    for k in span.titles:
        draft.titles.append(lines[k].clean)
    for k in range(span.first, span.last + 1):
        draft.lines.append(lines[k].text)
    for n, k in enumerate(span.captions):
        text = lines[k].clean
        if n == 0 and span.glued and not span.titles:
            title, text = span.glued
            draft.titles.append(title)
            if not text.startswith("图为"):
                draft.flag(Flag.UNCERTAIN_TITLE_SPLIT, Note.of(NoteCode.TITLE_FROM_CAPTION, title=title))
        draft.parts.append(("caption", text))
    draft.credit = credits.match_photo_credit(lines[span.credit].clean)
    return draft


def _titles_only(draft: Draft | None) -> bool:
    """A draft that has title lines and nothing else yet: its story has not started."""
    return draft is not None and draft.kind == "article" and bool(draft.titles) and not (draft.parts or draft.byline)


def _ends_cleanly(draft: Draft) -> bool:
    texts = [t for kind, t in draft.parts if kind == "text"]
    return bool(texts) and ends_sentence(strip_wrap_spaces(texts[-1]))


def add_body(draft: Draft, text: str) -> None:
    """Body text, with a trailing (下转第N版) taken off as the jump it is."""
    jump = JUMP_TO.search(text)
    if jump:
        draft.continued_to = int(jump["n"])
        text = text[: jump.start()]
    if text.strip():
        draft.parts.append(("text", text.strip()))
