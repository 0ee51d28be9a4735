"""Sitemaps that follow the protocol at any archive size (https://www.sitemaps.org/protocol.html).

``/sitemap.xml`` is an index of:

- ``/sitemap-site.xml``: the home page, the archive calendar and each earlier year's calendar;
- ``/sitemap-YYYY-MM.xml``: that month's issues, pages and items, in reading order, split into
  ``?p=2``, ``?p=3``… so that no file lists more than ``LIMIT`` URLs (the protocol's 50,000).

Only what readers may see is listed: every query goes through the models' ``visible()``.
Untitled items are listed like any other (as in the feeds). ``lastmod`` is the last change
readers could see: for an item ``articles.models.last_change`` (its printed date at 00:00 in
the newsroom's time zone, or a later save after its issue became visible: a fix, a
correction); for an issue or a page the latest of its items'; for the calendars and the home
page, the latest time an issue became visible.

Each file is built from the few columns it needs (``values_list``, streamed with
``iterator``), never from model instances with their text, in a constant number of queries,
and kept under the site revision (``reader.cache.cached``): a correction or a retraction
moves the revision, so the next request rebuilds it. Every URL is on settings.SITE_URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, last_change
from issues.models import Issue, Page
from reader import cache
from reader.site import absolute_url

LIMIT = 50_000  # URLs in one file: the protocol's limit (tests lower it)
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
CHUNK = 2_000  # rows fetched at a time while a file is written
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
# Stand-ins reversed once per file; each URL is then a string substitution, not a reverse().
_DATE, _PAGE, _POSITION = dt.date(1999, 9, 9), 987654321, 123456789

Entry = tuple[str, dt.datetime | None]  # a location and its lastmod


@dataclass(frozen=True)
class MonthFile:
    """One month of the archive: how many URLs it lists and when the latest of them changed."""

    month: dt.date  # its first day
    urls: int
    lastmod: dt.datetime

    @property
    def files(self) -> int:
        return -(-self.urls // LIMIT)

    def locations(self) -> list[str]:
        base = absolute_url(reverse("sitemap-month", kwargs={"year": f"{self.month:%Y}", "month": f"{self.month:%m}"}))
        return [base if number == 1 else f"{base}?p={number}" for number in range(1, self.files + 1)]


# Documents -----------------------------------------------------------------------------


def write_urlset(entries: Iterable[Entry]) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n')
    for location, lastmod in entries:
        out.write(f"<url><loc>{escape(location)}</loc>{_lastmod(lastmod)}</url>\n")
    out.write("</urlset>\n")
    return out.getvalue().encode("utf-8")


def write_index(entries: Iterable[Entry]) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n')
    for location, lastmod in entries:
        out.write(f"<sitemap><loc>{escape(location)}</loc>{_lastmod(lastmod)}</sitemap>\n")
    out.write("</sitemapindex>\n")
    return out.getvalue().encode("utf-8")


@functools.lru_cache(maxsize=1024)  # many URLs share their printed day's moment
def _lastmod(moment: dt.datetime | None) -> str:
    return f"<lastmod>{timezone.localtime(moment).isoformat(timespec='seconds')}</lastmod>" if moment else ""


# What the files list ---------------------------------------------------------------------


def latest_publication() -> dt.datetime | None:
    """When an issue last became visible: what the home page and the calendars last changed by."""
    return Issue.objects.visible().aggregate(latest=Max("published_at"))["latest"]


def months() -> list[MonthFile]:
    """Every month with a visible issue, newest first.

    Four queries grouped by issue date (no per-row date function: SQLite's would be Python),
    streamed and folded into months here, so memory grows with the months, not the items.
    Items are counted from an index alone (``COUNT(*)``); their changes after publication
    come from the partial index of the few such items (``article_changed_published``).
    """
    now = timezone.now()  # one moment for every query: a scheduled issue may appear meanwhile
    issues = Issue.objects.visible(now).order_by().values_list("date").annotate(n=Count("pk"))
    pages = Page.objects.visible(now).order_by().values_list("issue__date").annotate(n=Count("pk"))
    items = Article.objects.visible(now).order_by().values_list("page__issue__date").annotate(n=Count("*"))
    changed = (
        Article.objects.visible(now)
        .changed_after_publication()
        .order_by()
        .values_list("page__issue__date")
        .annotate(latest=Max("updated_at"))
    )
    urls: dict[dt.date, int] = {}
    latest: dict[dt.date, dt.datetime] = {}
    # Each query reads what had committed when it ran: a publication committing between them
    # may add a day to the later ones only, so every row is folded the same way.
    for day, count, moment in itertools.chain(
        ((day, n, None) for day, n in issues.iterator(chunk_size=CHUNK)),
        ((day, n, None) for day, n in pages.iterator(chunk_size=CHUNK)),
        ((day, n, None) for day, n in items.iterator(chunk_size=CHUNK)),
        ((day, 0, moment) for day, moment in changed.iterator(chunk_size=CHUNK)),
    ):
        month = day.replace(day=1)
        urls[month] = urls.get(month, 0) + count
        latest[month] = last_change(day, latest.get(month), moment)
    return [MonthFile(month, urls[month], latest[month]) for month in sorted(urls, reverse=True)]


def site_entries() -> list[Entry]:
    """The home page, the archive (the newest year's calendar) and every earlier year's."""
    years = (
        Issue.objects.visible()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(latest=Max("published_at"))
        .order_by("-year")
    )
    years = [(row["year"], row["latest"]) for row in years]
    if not years:
        return []
    newest = max(latest for _, latest in years)
    archive = reverse("reader:archive")
    return [
        (absolute_url(reverse("reader:home")), newest),
        (absolute_url(archive), newest),
        *((absolute_url(f"{archive}?year={year}"), latest) for year, latest in years[1:]),
    ]


@dataclass
class MonthChanges:
    """A month's items changed after publication (few), and what each issue and page took from them.

    Read from the partial index of such items, so that the month's item rows themselves are
    read from an index alone (date, page, position), never the rows with their text.
    """

    items: dict[tuple[dt.date, int, int], dt.datetime]
    issues: dict[dt.date, dt.datetime]
    pages: dict[tuple[dt.date, int], dt.datetime]

    @classmethod
    def of(cls, month: dt.date, now: dt.datetime) -> MonthChanges:
        rows = (
            Article.objects.visible(now)
            .changed_after_publication()
            .filter(**_in_month(month, "page__issue__date"))
            .values_list("page__issue__date", "page__number", "position", "updated_at")
        )
        changes = cls({}, {}, {})
        for day, page, position, moment in rows:
            changes.items[(day, page, position)] = moment
            changes.issues[day] = max(changes.issues.get(day, moment), moment)
            changes.pages[(day, page)] = max(changes.pages.get((day, page), moment), moment)
        return changes


def month_entries(month: dt.date, number: int) -> list[Entry] | Iterator[Entry]:
    """File ``number`` of ``month``: its issues, then pages, then items, LIMIT at a time."""
    start, end = (number - 1) * LIMIT, number * LIMIT
    now = timezone.now()  # one moment for every query
    changes = MonthChanges.of(month, now)
    small = [*_issue_entries(month, now, changes), *_page_entries(month, now, changes)]
    head = small[start:end]
    if end <= len(small):
        return head
    return _chain(head, _item_entries(month, now, changes, max(0, start - len(small)), end - len(small)))


def _chain(head: list[Entry], tail: Iterator[Entry]) -> Iterator[Entry]:
    yield from head
    yield from tail


def _in_month(month: dt.date, field: str) -> dict:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {f"{field}__gte": month, f"{field}__lt": following}


def _issue_entries(month: dt.date, now: dt.datetime, changes: MonthChanges) -> list[Entry]:
    template = absolute_url(reverse("reader:issue", kwargs={"date": _DATE}))
    days = Issue.objects.visible(now).filter(**_in_month(month, "date")).order_by("date").values_list("date", flat=True)
    return [
        (template.replace(_DATE.isoformat(), day.isoformat()), last_change(day, changes.issues.get(day)))
        for day in days
    ]


def _page_entries(month: dt.date, now: dt.datetime, changes: MonthChanges) -> list[Entry]:
    template = absolute_url(reverse("reader:page", kwargs={"date": _DATE, "number": _PAGE}))
    rows = (
        Page.objects.visible(now)
        .filter(**_in_month(month, "issue__date"))
        .order_by("issue__date", "number")
        .values_list("issue__date", "number")
    )
    return [
        (
            template.replace(_DATE.isoformat(), day.isoformat()).replace(str(_PAGE), str(number)),
            last_change(day, changes.pages.get((day, number))),
        )
        for day, number in rows
    ]


def _item_entries(month: dt.date, now: dt.datetime, changes: MonthChanges, offset: int, stop: int) -> Iterator[Entry]:
    template = absolute_url(reverse("reader:article", kwargs={"date": _DATE, "page": _PAGE, "position": _POSITION}))
    template = template.replace(_DATE.isoformat(), "{0}").replace(str(_PAGE), "{1}").replace(str(_POSITION), "{2}")
    rows = (
        Article.objects.visible(now)
        .filter(**_in_month(month, "page__issue__date"))
        .order_by("page__issue__date", "page__number", "position")
        .values_list("page__issue__date", "page__number", "position")[offset:stop]
    )
    printed = functools.lru_cache(maxsize=64)(last_change)  # one issue's items share their day
    for day, page, position in rows.iterator(chunk_size=CHUNK):
        changed = changes.items.get((day, page, position))
        yield template.format(day.isoformat(), page, position), last_change(day, changed) if changed else printed(day)


# Views --------------------------------------------------------------------------------


def _respond(document: tuple[bytes, dt.datetime | None]) -> HttpResponse:
    content, modified = document
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if modified:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


def _build_index() -> tuple[bytes, dt.datetime | None]:
    latest = latest_publication()
    found = months()
    entries = [(absolute_url(reverse("sitemap-site")), latest)] if found else []
    entries += [(location, month.lastmod) for month in found for location in month.locations()]
    modified = max([latest, *(month.lastmod for month in found)], default=None) if found else None
    return write_index(entries), modified


def _build_site() -> tuple[bytes, dt.datetime | None]:
    entries = site_entries()
    return write_urlset(entries), max((lastmod for _, lastmod in entries), default=None)


def _build_month(month: dt.date, number: int) -> tuple[bytes, dt.datetime | None] | None:
    latest: dt.datetime | None = None
    listed = 0

    def counted(entries: Iterable[Entry]) -> Iterator[Entry]:
        nonlocal latest, listed
        for location, lastmod in entries:
            listed += 1
            latest = lastmod if latest is None or lastmod > latest else latest
            yield location, lastmod

    content = write_urlset(counted(month_entries(month, number)))
    return (content, latest) if listed else None  # None: no such file (kept as such too)


def index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the site file and each month's files."""
    return _respond(cache.cached("sitemap|index", _build_index))


def site_sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap-site.xml``: home page and calendars."""
    return _respond(cache.cached("sitemap|site", _build_site))


def month_sitemap(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """``/sitemap-YYYY-MM.xml[?p=N]``; 404 for a month without visible issues or a page past its end."""
    asked = request.GET.get("p", "1")
    if not PAGE_NUMBER.fullmatch(asked):
        raise Http404("no such sitemap page")
    first = dt.date(int(year), int(month), 1)
    number = int(asked)
    document = cache.cached(f"sitemap|{first:%Y-%m}|{number}", lambda: _build_month(first, number) or ())
    if not document:
        raise Http404("no such sitemap")
    return _respond(document)
