"""parse_issue: raw issue bytes to an IssueParse."""

from __future__ import annotations

import datetime as dt

from . import masthead as mh
from .build import build_item
from .decoding import decode
from .items import Draft, group_page
from .joins import tail_lost
from .layout import RawPage, mark_regions, split_furniture, split_pages
from .model import IssueParse, Item, Page, ParseError
from .notes import Note, NoteCode
from .ocr import flag_ocr_errors


def parse_issue(
    data: bytes,
    *,
    publications: dict[str, str] | None = None,
    date: dt.date | None = None,
    default_publication: str = "",
) -> IssueParse:
    """Parse one issue's raw text.

    ``publications`` maps masthead names (upper case) to publication names; ``date`` is
    used where the text has no masthead. Raises ``ParseError`` on input it refuses.
    """
    text, encoding = decode(data)
    publications = publications or {}
    raw_pages = split_pages(text)
    if not raw_pages:
        raise ParseError("the file has no text")
    warnings: list[Note] = []

    masthead_lines, head = _take_masthead(raw_pages[0])
    if head is None and date is None:
        raise ParseError("no masthead with a date (like 2022年3月25日 星期五): pass --date YYYY-MM-DD")
    if head is not None:
        warnings += mh.calendar_warnings(head)
        if date and date != head.date:
            warnings.append(Note.of(NoteCode.DATE_IGNORED, given=date.isoformat(), masthead=head.date.isoformat()))
    publication = default_publication
    for line in masthead_lines:
        name = publications.get(line.strip().upper())
        if name:
            publication = name
            break
    if not publication:
        publication = next(iter(publications.values()), "") if len(set(publications.values())) == 1 else ""
    if not publication:
        raise ParseError("the masthead names no known publication: pass --publication")

    numbered = _number_pages(raw_pages, warnings)
    drafts_by_page: list[tuple[RawPage, list[Draft], list[str]]] = []
    for raw in numbered:
        furniture, lines = split_furniture(raw.lines)
        mark_regions(lines)
        drafts_by_page.append((raw, group_page(lines), furniture))

    known_headlines = _known_headlines([d for _, drafts, _ in drafts_by_page for d in drafts])
    pages = []
    for raw, drafts, furniture in drafts_by_page:
        items = [build_item(draft, known_headlines, tail_lost) for draft in drafts]
        pages.append(Page(raw.number, raw.name, raw.header, tuple(furniture), tuple(items)))
    pages = flag_ocr_errors(pages)

    page_count = head.page_count if head else None
    present = {p.number for p in pages}
    if page_count:
        missing = [n for n in range(1, page_count + 1) if n not in present]
        if missing:
            warnings.append(Note.of(NoteCode.PAGES_MISSING, pages=_ranges(missing)))
        extra = sorted(n for n in present if n > page_count)
        if extra:
            warnings.append(Note.of(NoteCode.PAGES_BEYOND, pages=_ranges(extra), count=page_count))

    return IssueParse(
        publication=publication,
        date=head.date if head else date,
        lunar_date=head.lunar_date if head else "",
        number=head.number if head else None,
        page_count=page_count,
        masthead=tuple(masthead_lines),
        pages=tuple(pages),
        warnings=tuple(warnings),
        unassigned=(),
        encoding=encoding,
        text=text,
    )


def _take_masthead(page: RawPage) -> tuple[list[str], mh.Masthead | None]:
    """Remove the masthead lines from the front page: name, dateline and publisher lines."""
    lines = page.lines
    head = None
    taken: list[int] = []
    for k, line in enumerate(lines[:6]):
        if mh.is_masthead_line(line.clean):
            head = mh.parse_masthead(line.clean)
            taken = list(range(k + 1))
            break
    if head is None:
        return [], None
    for k in range(len(taken), len(lines)):
        if len(lines[k].clean) <= 200 and mh.PUBLISHER.search(lines[k].clean) and k <= len(taken) + 2:
            taken.append(k)
    masthead = [lines[k].text.strip() for k in taken]
    page.lines = [line for k, line in enumerate(lines) if k not in set(taken)]
    if page.lines:
        page.lines[0].gap = max(page.lines[0].gap, 3)
    return masthead, head


def _number_pages(pages: list[RawPage], warnings: list[Note]) -> list[RawPage]:
    seen: set[int] = set()
    previous = 0
    for page in pages:
        if page.number is None:
            page.number = previous + 1
            if previous:
                warnings.append(Note.of(NoteCode.PAGE_WITHOUT_HEADER, previous=previous, number=page.number))
        if page.number in seen:
            raise ParseError(f"page {page.number} appears twice in the file")
        seen.add(page.number)
        previous = page.number
    return pages


def _known_headlines(drafts: list[Draft]) -> set[str]:
    """Lines that stand alone as an item's title somewhere in the issue: evidence of a headline."""
    return {d.titles[0] for d in drafts if len(d.titles) == 1}


def _ranges(numbers: list[int]) -> str:
    spans, start = [], numbers[0]
    for a, b in zip(numbers, numbers[1:] + [None], strict=False):
        if b != a + 1:
            spans.append(f"{start}-{a}" if a != start else f"{a}")
            start = b
    return ", ".join(spans)


__all__ = ["IssueParse", "Item", "ParseError", "parse_issue"]
