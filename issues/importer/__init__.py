"""The raw-issue importer: bytes in, an ``IssueParse`` out. Pure Python, no Django.

    parse = parse_issue(data, publications={"WORKERS' DAILY": "工人日报"})
    print(to_json(parse))

``parse_issue`` raises ``ParseError`` (one line, for the user) on input it refuses.
"""

from __future__ import annotations

from dataclasses import asdict

from .model import Credit, IssueParse, Item, Page, Paragraph, ParseError, Photo, Suggestion
from .notes import Note, NoteCode
from .parser import parse_issue


def to_json(parse: IssueParse) -> dict:
    """The parse in the shape of spec/import-json.md (plus a few extra keys)."""
    return {
        "issue": {
            "publication": parse.publication,
            "date": parse.date.isoformat(),
            "weekday": parse.weekday,
            "lunar_date": parse.lunar_date,
            "number": parse.number,
            "page_count": parse.page_count,
            "encoding": parse.encoding,
            "masthead": list(parse.masthead),
        },
        "pages": [
            {
                "number": page.number,
                "name": page.name,
                "furniture": list(page.furniture),
                "items": [_item_json(item) for item in page.items],
            }
            for page in parse.pages
        ],
        "warnings": [note.english() for note in parse.warnings],
        "warning_codes": [note.as_json() for note in parse.warnings],
        "unassigned": list(parse.unassigned),
    }


def _item_json(item: Item) -> dict:
    return {
        "kind": item.kind,
        "kicker": item.kicker,
        "headline": item.headline,
        "subheadline": item.subheadline,
        "byline": item.byline,
        "authors": item.authors,
        "credits": [{"name": c.name, "role": c.role} for c in item.credits],
        "source": item.source,
        "dateline": item.dateline,
        "paragraphs": [{"kind": p.kind, "text": p.text} for p in item.paragraphs],
        "photos": [
            {"caption": ph.caption, "credit": ph.credit, "photographers": list(ph.photographers)} for ph in item.photos
        ],
        "continued_to": item.continued_to,
        "continued_from": item.continued_from,
        "flags": list(item.flags),
        "flag_notes": {code: "; ".join(note.english() for note in notes) for code, notes in item.notes},
        "flag_evidence": {code: [note.as_json() for note in notes] for code, notes in item.notes},
        "joins": [list(join) for join in item.joins],
        "suggestions": [asdict(s) for s in item.suggestions],
    }


__all__ = [
    "Credit",
    "IssueParse",
    "Item",
    "Note",
    "NoteCode",
    "Page",
    "Paragraph",
    "ParseError",
    "Photo",
    "Suggestion",
    "parse_issue",
    "to_json",
]
