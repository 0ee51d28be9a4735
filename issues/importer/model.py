"""What a parse is made of: frozen dataclasses, no Django.

Every block of the input ends up in exactly one place: the masthead, a page header, page
furniture, an item (title lines, byline, body, captions, credits, jump markers) or the
issue's ``unassigned`` list. ``IssueParse.assigned_text()`` lists them all so that a test can
prove nothing was lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .notes import Note


class ParseError(ValueError):
    """Input the importer refuses, with a one-line reason for the user."""


@dataclass(frozen=True)
class Credit:
    name: str
    role: str  # reporter, correspondent, intern, photographer, commentator


@dataclass(frozen=True)
class Paragraph:
    kind: str  # "text" or "subhead"
    text: str


@dataclass(frozen=True)
class Photo:
    caption: str
    credit: str
    photographers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A proposed fix: in ``field`` (number ``index``), replace ``original`` by ``replacement``.

    ``original`` carries enough context to occur in that field only at the suspect spot (or
    at each copy of the same misspelling), so ``str.replace`` on it is an exact fix.
    """

    field: str  # kicker, headline, subheadline, paragraph (subheads included) or caption
    index: int  # the paragraph's or photo's index in the item; 0 for a title line
    original: str
    replacement: str
    evidence: str  # "issue" (spelled otherwise in the same issue) or "dictionary"


@dataclass(frozen=True)
class Item:
    kind: str  # "article" or "photo"
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    byline: str = ""
    source: str = ""
    dateline_place: str = ""
    dateline_date: str = ""
    credits: tuple[Credit, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    photos: tuple[Photo, ...] = ()
    continued_to: int | None = None
    continued_from: int | None = None
    flags: tuple[str, ...] = ()
    notes: tuple[tuple[str, tuple[Note, ...]], ...] = ()  # (flag, its evidence) for the review screen
    suggestions: tuple[Suggestion, ...] = ()  # fixes proposed with the flags, for one-click apply
    raw_text: str = ""  # the item's blocks exactly as extracted, blank-line separated
    joins: tuple[tuple[int, int], ...] = ()  # (paragraph index, character offset) where blocks were joined

    @property
    def authors(self) -> list[str]:
        return [c.name for c in self.credits]

    @property
    def dateline(self) -> dict | None:
        if not (self.dateline_place or self.dateline_date):
            return None
        return {"place": self.dateline_place, "date": self.dateline_date}


@dataclass(frozen=True)
class Page:
    number: int
    name: str = ""
    header: str = ""
    furniture: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class IssueParse:
    publication: str
    date: dt.date
    lunar_date: str = ""
    number: int | None = None
    page_count: int | None = None
    masthead: tuple[str, ...] = ()
    pages: tuple[Page, ...] = ()
    warnings: tuple[Note, ...] = ()
    unassigned: tuple[str, ...] = ()
    encoding: str = "utf-8"
    text: str = ""  # the decoded input, verbatim

    @property
    def weekday(self) -> int:
        return self.date.isoweekday()

    def items(self):
        for page in self.pages:
            for item in page.items:
                yield page, item
