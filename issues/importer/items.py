"""Grouping a page's classified lines into items, and building each item.

Evidence, in order: photo credits anchor photo items (walking back to their title);
bylines and datelines start articles; runs of title-like lines start items where a byline,
a jump marker or a region start follows them, and are subheads inside a story otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import credits
from .flags import Flag
from .layout import JUMP_FROM, JUMP_TO, Line, classify, split_glued_title
from .model import Credit, Item, Paragraph, Photo
from .text import QuoteFixer, clean, ends_sentence, ends_with_punctuation, strip_wrap_spaces

MAX_TITLE_LINES = 3
MAX_CAPTION_LINES = 6
BOUNDARY_ROLES = {"credit", "jump_to", "byline", "dateline", "jump_from"}


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
    flags: dict[str, list[str]] = field(default_factory=dict)
    first_line: int = 0

    def flag(self, code: Flag, evidence: str = "") -> None:
        notes = self.flags.setdefault(code, [])
        if evidence and evidence not in notes:
            notes.append(evidence)


def group_page(lines: list[Line]) -> list[Draft]:
    """Items of one page, in reading order."""
    for line in lines:
        line.role = classify(line)
    photos = _photo_items(lines)
    drafts: list[Draft] = []
    current: Draft | None = None
    i = 0
    while i < len(lines):
        if i in photos:
            draft, end = photos[i]
            drafts.append(draft)
            i = end + 1
            continue
        line = lines[i]
        role = line.role
        text = line.clean
        if role == "short":
            run = [line]
            while (
                len(run) < MAX_TITLE_LINES
                and i + len(run) < len(lines)
                and i + len(run) not in photos
                and lines[i + len(run)].role == "short"
                and not lines[i + len(run)].region_start
            ):
                run.append(lines[i + len(run)])
            after = i + len(run)
            nxt = lines[after] if after < len(lines) and after not in photos else None
            next_role = nxt.role if nxt is not None and not nxt.region_start else None
            starts_item = (
                current is None
                or line.region_start
                or next_role in {"byline", "dateline", "jump_from"}
                or len(run) >= 2
            )
            if starts_item:
                current = Draft(titles=[r.clean for r in run], lines=[r.text for r in run], first_line=line.number)
                drafts.append(current)
            elif next_role is None:
                current.parts.append(("text", text))  # a short line ending a region: body that lost its tail
                current.lines.append(line.text)
            else:
                current.parts.append(("subhead", text))
                current.lines.append(line.text)
            i = after
            continue
        if role in {"byline", "dateline"}:
            if current is None or current.byline or current.parts or current.kind != "article":
                current = Draft(lines=[], first_line=line.number)
                drafts.append(current)
            current.lines.append(line.text)
            if role == "byline":
                current.byline = credits.match_byline_line(text)
            else:
                match = credits.match_dateline(text)
                assert match is not None  # noqa: S101 - classified as a dateline
                current.byline, rest = match
                _add_body(current, rest)
            i += 1
            continue
        if role == "jump_from":
            if current is None or current.parts or current.byline:
                current = Draft(lines=[], first_line=line.number)
                drafts.append(current)
            current.lines.append(line.text)
            match = JUMP_FROM.match(text)
            current.continued_from = int(match["n"])
            _add_body(current, text[match.end() :])
            i += 1
            continue
        if role == "jump_to":
            target = current or (drafts[-1] if drafts else None)
            if target is None:
                target = Draft(lines=[], first_line=line.number)
                drafts.append(target)
            target.lines.append(line.text)
            target.continued_to = int(JUMP_TO.search(text)["n"])
            current = None
            i += 1
            continue
        # body text (and any credit the photo pass left alone)
        if current is None or (line.region_start and _ends_cleanly(current)):
            current = Draft(lines=[], first_line=line.number)
            drafts.append(current)
        current.lines.append(line.text)
        _add_body(current, text)
        i += 1
    return drafts


def _ends_cleanly(draft: Draft) -> bool:
    texts = [t for kind, t in draft.parts if kind == "text"]
    return bool(texts) and ends_sentence(strip_wrap_spaces(texts[-1]))


def _add_body(draft: Draft, text: str) -> None:
    """Body text, with a trailing (下转第N版) taken off as the jump it is."""
    jump = JUMP_TO.search(text)
    if jump:
        draft.continued_to = int(jump["n"])
        text = text[: jump.start()]
    if text.strip():
        draft.parts.append(("text", text.strip()))


def _photo_items(lines: list[Line]) -> dict[int, tuple[Draft, int]]:
    """Photo items keyed by their first line: title, caption lines, then the credit."""
    photos: dict[int, tuple[Draft, int]] = {}
    taken: set[int] = set()
    for c, line in enumerate(lines):
        if line.role != "credit":
            continue
        caption: list[int] = []
        titles: list[int] = []
        glued: tuple[str, str] | None = None
        j = c - 1
        reached_article = False
        while j >= 0 and j not in taken and len(caption) < MAX_CAPTION_LINES:
            prev = lines[j]
            if prev.role in BOUNDARY_ROLES:
                reached_article = prev.role in {"byline", "dateline", "jump_from"}
                break
            if prev.role == "short":
                k = j
                while k - 1 >= 0 and lines[k - 1].role == "short" and not lines[k].region_start and j - k + 1 < 3:
                    k -= 1
                titles = list(range(k, j + 1))
                break
            glued = split_glued_title(prev.clean)
            caption.insert(0, j)
            if glued or prev.region_start:
                break
            j -= 1
        else:
            reached_article = j >= 0 and j in taken
        if not titles and not glued and (reached_article or (j >= 0 and not lines[j].region_start)):
            # no title of its own: keep the story's text, take only the caption proper
            starts = [k for k in caption if lines[k].clean.startswith("图为")]
            caption = caption[caption.index(starts[-1]) :] if starts else caption[-1:]
        first = (titles or caption or [c])[0]
        draft = Draft(kind="photo", first_line=lines[first].number)
        for k in titles:
            draft.titles.append(lines[k].clean)
            draft.lines.append(lines[k].text)
        for n, k in enumerate(caption):
            draft.lines.append(lines[k].text)
            text = lines[k].clean
            if n == 0 and glued and not titles:
                draft.titles.append(glued[0])
                text = glued[1]
            draft.parts.append(("caption", text))
        draft.lines.append(line.text)
        draft.credit = credits.match_photo_credit(line.clean)
        photos[first] = (draft, c)
        taken.update(range(first, c + 1))
    return photos


def assign_titles(draft: Draft, known_headlines: set[str]) -> tuple[str, str, str]:
    """Kicker, headline and subheadline from up to three title lines.

    Two lines are a kicker and a headline unless evidence says headline and subheadline: the
    second line opens with a dash, or the first line is a headline elsewhere in the issue.
    """
    titles = draft.titles
    if not titles:
        return "", "", ""
    if len(titles) == 1:
        return "", titles[0], ""
    if len(titles) >= 3:
        return titles[0], titles[1], " ".join(titles[2:])
    first, second = titles
    if second in known_headlines and first not in known_headlines:
        return first, second, ""
    if first in known_headlines and second not in known_headlines:
        return "", first, second
    if second.startswith(("—", "-", "——")):
        return "", first, second
    if any(mark in first for mark in "，,、：:") or len(first) >= len(second) + 8:
        return first, second, ""
    draft.flag(Flag.UNCERTAIN_TITLE_SPLIT, f"two title lines without a sign of their roles: {first} / {second}")
    return first, second, ""


def build_item(draft: Draft, known_headlines: set[str], lost_text) -> Item:
    """The finished item: titles by role, cleaned text, credits and flags."""
    kicker, headline, subheadline = assign_titles(draft, known_headlines)
    quotes = QuoteFixer()
    paragraphs: list[Paragraph] = []
    captions: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            paragraphs.append(Paragraph("text", "".join(pending)))
            pending.clear()

    parts = draft.parts
    for n, (kind, raw) in enumerate(parts):
        text = clean(raw, quotes)
        if kind == "subhead":
            flush()
            paragraphs.append(Paragraph("subhead", text))
            continue
        if kind == "caption":
            captions.append(text)
            continue
        pending.append(text)
        nxt = parts[n + 1] if n + 1 < len(parts) else None
        if ends_with_punctuation(text) and ends_sentence(text):
            flush()
        elif nxt is None or nxt[0] != "text":
            if not ends_with_punctuation(text):
                draft.flag(Flag.POSSIBLE_LOST_TEXT, f"ends without punctuation: …{text[-12:]}")
            flush()
        elif lost_text(text, clean(nxt[1], QuoteFixer())):
            draft.flag(Flag.POSSIBLE_LOST_TEXT, f"a block ends mid-sentence: …{text[-12:]}")
            flush()
    flush()

    titles_fixer = QuoteFixer()
    kicker, headline, subheadline = (clean(t, titles_fixer) if t else "" for t in (kicker, headline, subheadline))
    if not quotes.balanced or not titles_fixer.balanced:
        draft.flag(Flag.UNBALANCED_QUOTES, "a quotation mark has no partner")
    if not headline:
        draft.flag(Flag.MISSING_HEADLINE, "no title line above the item")

    byline = draft.byline
    item_credits: tuple[Credit, ...] = ()
    source = ""
    photos: tuple[Photo, ...] = ()
    if draft.kind == "photo":
        credit = draft.credit
        names = tuple(c.name for c in credit.credits) if credit else ()
        photos = (Photo(caption="\n\n".join(captions), credit=credit.text if credit else "", photographers=names),)
        item_credits = credit.credits if credit else ()
        source = credit.source if credit else ""
    elif byline:
        item_credits = byline.credits
        source = byline.source
        if not byline.parsed:
            draft.flag(Flag.UNPARSED_BYLINE, f"names could not be read from {byline.text}")
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
        notes=tuple((code, "; ".join(ev)) for code, ev in draft.flags.items()),
        raw_text="\n\n".join(draft.lines),
    )
