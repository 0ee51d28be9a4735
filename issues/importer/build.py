"""From a draft to the finished Item: titles by role, paragraphs, credits and flags.

Blocks are column chunks, not paragraphs: a block that stops mid-sentence is joined to the
next one unless jieba says the text between them was lost. Every join is recorded on the
item (paragraph index, character offset) and flagged, so that the desk can undo it.
"""

from __future__ import annotations

from collections.abc import Callable

from .flags import Flag
from .items import Draft
from .model import Credit, Item, Paragraph, Photo
from .notes import Note, NoteCode
from .photos import photo_entries
from .text import QuoteFixer, clean, ends_sentence, ends_with_punctuation
from .titles import assign_titles, lacks_headline

JOIN_CONTEXT = 6  # characters either side of a join shown to the desk


class _Paragraphs:
    """Text blocks gathered into paragraphs, remembering where blocks were joined."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.paragraphs: list[Paragraph] = []
        self.pending: list[str] = []
        self.joins: list[tuple[int, int]] = []

    def add(self, kind: str, text: str) -> None:
        if kind == "subhead":
            self.flush()
        self.pending.append(text)
        if kind == "subhead":
            self.flush(kind)

    def flush(self, kind: str = "text") -> None:
        if not self.pending:
            return
        index = len(self.paragraphs)
        offset = 0
        for before, after in zip(self.pending, self.pending[1:], strict=False):
            offset += len(before)
            self.joins.append((index, offset))
            self.draft.flag(
                Flag.JOINED_PARAGRAPH,
                Note.of(
                    NoteCode.JOINED,
                    paragraph=index + 1,
                    offset=offset,
                    before=before[-JOIN_CONTEXT:],
                    after=after[:JOIN_CONTEXT],
                ),
            )
        self.paragraphs.append(Paragraph(kind, "".join(self.pending)))
        self.pending.clear()


def build_paragraphs(draft: Draft, quotes: QuoteFixer, lost_text: Callable[[str, str], bool]):
    """Paragraphs, captions and joins of a draft's parts."""
    out = _Paragraphs(draft)
    captions: list[str] = []
    parts = draft.parts
    for n, (kind, raw) in enumerate(parts):
        text = clean(raw, quotes)
        if kind == "caption":
            captions.append(text)
            continue
        out.add(kind, text)
        if kind == "subhead":
            continue
        nxt = parts[n + 1] if n + 1 < len(parts) else None
        if ends_with_punctuation(text) and ends_sentence(text):
            out.flush()
        elif nxt is None or nxt[0] != "text":
            if not ends_with_punctuation(text):
                draft.flag(Flag.POSSIBLE_LOST_TEXT, Note.of(NoteCode.NO_END_PUNCTUATION, tail=text[-12:]))
            out.flush()
        elif lost_text(text, clean(nxt[1], QuoteFixer())):
            draft.flag(Flag.POSSIBLE_LOST_TEXT, Note.of(NoteCode.ENDS_MID_SENTENCE, tail=text[-12:]))
            out.flush()
    out.flush()
    return out.paragraphs, captions, out.joins


def build_item(draft: Draft, known_headlines: set[str], lost_text: Callable[[str, str], bool]) -> Item:
    """The finished item: titles by role, cleaned text, credits and flags."""
    kicker, headline, subheadline = assign_titles(draft.titles, known_headlines, draft.flag)
    quotes = QuoteFixer()
    paragraphs, captions, joins = build_paragraphs(draft, quotes, lost_text)

    titles_fixer = QuoteFixer()
    kicker, headline, subheadline = (clean(t, titles_fixer) if t else "" for t in (kicker, headline, subheadline))
    if not quotes.balanced or not titles_fixer.balanced:
        draft.flag(Flag.UNBALANCED_QUOTES, Note.of(NoteCode.UNPAIRED_QUOTE))
    if lacks_headline(kicker, headline):
        draft.flag(Flag.MISSING_HEADLINE, Note.of(NoteCode.NO_TITLE_LINE))

    byline = draft.byline
    item_credits: tuple[Credit, ...] = ()
    source = ""
    photos: tuple[Photo, ...] = ()
    if draft.kind == "photo":
        credit = draft.credit
        photos = photo_entries(captions, credit)
        item_credits = credit.credits if credit else ()
        source = credit.source if credit else ""
    elif byline:
        item_credits = byline.credits
        source = byline.source
        if not byline.parsed:
            draft.flag(Flag.UNPARSED_BYLINE, Note.of(NoteCode.BYLINE_NAMES_UNREAD, byline=byline.text))
    return Item(
        kind=draft.kind,
        kicker=kicker,
        headline=headline,
        subheadline=subheadline,
        byline=byline.text if byline else "",
        source=source,
        dateline_place=byline.place if byline else "",
        dateline_date=byline.date if byline else "",
        credits=item_credits,
        paragraphs=tuple(paragraphs),
        photos=photos,
        continued_to=draft.continued_to,
        continued_from=draft.continued_from,
        flags=tuple(draft.flags),
        notes=tuple((code, tuple(evidence)) for code, evidence in draft.flags.items()),
        raw_text="\n\n".join(draft.lines),
        joins=tuple(joins),
    )
