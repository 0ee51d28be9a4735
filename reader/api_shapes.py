"""The JSON API's objects: one function per object, each object one shape in every endpoint.

Endpoints compose these, and no endpoint builds an issue's, page's, item's, photo's,
person's or credit's fields itself, so each reads the same wherever it appears.
reader/openapi.py describes each shape under the same name (``Issue``, ``Page``,
``ItemSummary``, ``Item``, ``Photo``, ``Person``, ``Credit``) and the tests validate every
answer against it. Conventions: every URL is absolute on ``SITE_URL``; ``url`` is the
object's API address, ``html_url`` its reader page; a text the paper did not print is
``null``, never ``""``.
"""

from __future__ import annotations

from django.urls import reverse

from articles.models import Article, Credit, Person, Photo
from issues.models import Issue, Page
from reader.site import absolute_url

# The columns an item summary reads (with ``Article.objects.with_lead()`` for the label of
# an untitled item), and the issue and page it is shown under already known.
SUMMARY_FIELDS = ("id", "page_id", "position", "kind", "kicker", "headline", "subheadline", "byline")


def text(value: str | None) -> str | None:
    """A text field as the API gives it: ``null`` when empty."""
    return value or None


def api_url(name: str, **kwargs) -> str:
    return absolute_url(reverse(f"reader:{name}", kwargs=kwargs or None))


def media_url(field) -> str | None:
    return absolute_url(field.url) if field else None


def issue(row: Issue) -> dict:
    return {
        "publication": row.publication.name,
        "date": row.date.isoformat(),
        "number": row.number,
        "weekday": row.weekday,
        "lunar_date": text(row.lunar_date),
        "page_count": row.page_count,
        "url": api_url("api-issue", date=row.date),
        "html_url": absolute_url(row.get_absolute_url()),
    }


def page(row: Page) -> dict:
    """A page of an issue (``row.issue`` is read for its date only)."""
    return {
        "number": row.number,
        "name": text(row.name),
        "image": media_url(row.image),
        "url": api_url("api-page", date=row.issue.date, number=row.number),
        "html_url": absolute_url(row.get_absolute_url()),
    }


def item_summary(row: Article) -> dict:
    """An item in a list: its title lines, and ``title`` to show (for an untitled item its
    label, with ``untitled`` true). ``row.page.issue`` is read for its date only."""
    return {
        "date": row.page.issue.date.isoformat(),
        "page_number": row.page.number,
        "position": row.position,
        "kind": row.kind,
        "title": row.display_title,
        "untitled": row.is_untitled,
        "kicker": text(row.kicker),
        "headline": text(row.headline),
        "subheadline": text(row.subheadline),
        "byline": text(row.byline),
        "url": api_url("api-article", date=row.page.issue.date, page=row.page.number, position=row.position),
        "html_url": absolute_url(row.get_absolute_url()),
    }


def item(row: Article, continues: Article | None, continued_in: list[Article]) -> dict:
    """An item in full: its summary, where it was printed, its text, photos and credits."""
    return {
        **item_summary(row),
        "issue": issue(row.page.issue),
        "page": page(row.page),
        "source": text(row.source),
        "dateline": {"place": row.dateline_place, "date": text(row.dateline_date)} if row.dateline_place else None,
        "paragraphs": [{"kind": p.get("kind", "text"), "text": p["text"]} for p in row.body],
        "photos": [photo(p) for p in row.shown_photos],
        "credits": [credit(c) for c in row.shown_credits],
        "continued_to_page": row.continued_to_page,
        "continued_from_page": row.continued_from_page,
        "continues": item_summary(continues) if continues else None,
        "continued_in": [item_summary(c) for c in continued_in],
        "keywords": list(row.keywords),
        "correction": {"text": row.correction, "date": row.corrected_at.isoformat() if row.corrected_at else None}
        if row.correction
        else None,
    }


def photo(row: Photo) -> dict:
    return {
        "caption": text(row.caption),
        "credit": text(row.credit),
        "photographers": list(row.photographers),
        "image": media_url(row.image),
        "width": row.width if row.image else None,
        "height": row.height if row.image else None,
    }


def person(row: Person) -> dict:
    return {"id": row.pk, "name": row.name, "html_url": absolute_url(row.get_absolute_url())}


def credit(row: Credit) -> dict:
    return {"role": row.role, "role_label": row.get_role_display(), "person": person(row.person)}
