"""The rendered edition: public pages of published issues, rendered once and kept in the database.

An archive's traffic is a long tail (readers following old links, crawlers walking every
page), which a cache with an eviction policy keeps missing. So when an issue is published
its home, issue, page and item pages are rendered into ``EditionPage`` rows, and a reader's
request for one of them costs one indexed lookup instead of eight queries and a template.

A row is served only while it is still true:

- ``revision`` equals its issue's ``edition_revision``. Any save or delete of the issue, its
  pages, items, photos, credits or credited people bumps that number in the same
  transaction (``touch_issues``, through the one invalidation path in reader/signals.py), and
  so does a change to a neighbouring issue the masthead links. A render that read the old rows while
  an edit was committing carries the old number, so it can never be served afterwards.
- ``build`` equals this deployment's (``reader/build.py``): a digest of everything that
  shapes a page, so a deploy never serves pages rendered by the previous one.
- its issue is visible to readers (``issues.models.visible_q``, restated in ``_LOOKUP``), and ``expires_at`` (the next scheduled publication that
  would change its links) has not passed.

Anything else falls through to the live view, which stores what it renders. After a commit
that bumped revisions, a task re-renders those issues, so readers seldom meet the live path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, router, transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Now
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import resolve
from django.utils import timezone
from django_tasks import task

from articles.models import Article
from issues.models import EditionPage, Issue, Page
from reader import reading, site
from reader.build import build_id
from reader.db import fetch_one
from reader.kept import Kept
from reader.statements import Statement, arg

logger = logging.getLogger(__name__)
STORED_PATHS = ("/",)
_RENDERING = "_edition_rendering"
_MEMO = "_edition_memo"
_PENDING = "edition: pages to store"
_NEIGHBOURS = "edition: neighbours"
# What a process keeps of the issues readers read, least recently used out: an issue's shared
# rows (issue_memo: pages, titles, lists, reading order; about 150 KB when all its pages were
# read), and apart from them its items with their bodies (about 12 KB each), so that a few
# issues read through do not crowd out the rest. bench/page_profile.py prints the sizes.
MEMO_ISSUES = 256
MEMO_ITEMS = 1024
_ISSUES: Kept[dict] = Kept(MEMO_ISSUES)
_ITEMS: Kept = Kept(MEMO_ITEMS)


def enabled() -> bool:
    return settings.PUBLIC_PAGE_STORE


def servable(request: HttpRequest) -> bool:
    """Only anonymous plain GETs are answered from the edition (no query but the variant)."""
    return plain_read(request) and not request.user.is_authenticated


def plain_read(request: HttpRequest) -> bool:
    """A GET the edition could answer, whoever asks: no query but the variant."""
    return enabled() and request.method in {"GET", "HEAD"} and set(request.GET) <= {"variant"}


# One statement, hand-written and prepared (reader/db.py): the ORM's own cost per query is
# larger than the lookup's.
# Its condition on ``i`` is ``reading.VISIBLE``, which restates ``issues.models.visible_q``;
# tests/reader/test_visibility.py proves the two agree over random states, schedules and clocks.
_LOOKUP = f"""
SELECT s.html, s.etag, s.last_modified
FROM issues_editionpage s JOIN issues_issue i ON i.id = s.issue_id
WHERE s.path = %s AND s.variant = %s AND s.build = %s
  AND s.revision = i.edition_revision
  AND {reading.VISIBLE}
  AND (s.expires_at IS NULL OR s.expires_at > %s)
"""  # noqa: S608 - constants


def lookup(path: str, variant: str, now: dt.datetime | None = None) -> tuple[str, str, str] | None:
    """(html, etag, last_modified) of the stored rendering still true at ``now``, or None."""
    alias = router.db_for_read(EditionPage)
    visible = reading.visible_params(alias, now)
    return fetch_one(alias, _LOOKUP, [path, variant, build_id(), *visible, visible[-1]])


def stored_response(request: HttpRequest, variant: str) -> HttpResponse | None:
    """The stored rendering of this page, or None when there is none still true."""
    row = lookup(request.path, variant)
    if row is None:
        return None
    html, etag, modified = row
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = modified
    return response


def mark(response: HttpResponse, issue, previous=None, following=None, *, canonical: str) -> HttpResponse:
    """Let ``public_page`` store this rendering: it shows ``issue``, links its neighbours, and
    ``canonical`` is the path of what it shows (the URL reversed from the rendered rows)."""
    response.edition = (canonical, issue, previous, following)
    return response


def store(request: HttpRequest, response: HttpResponse, variant: str) -> None:
    """Keep a live rendering marked by its view (upsert: the newest rendering wins).

    Only under its canonical path: a rendering reached by any other spelling is not kept, so
    no request can add rows beyond one per page and variant. While the edition renders an
    issue (``render_issues``) the rows wait in its memo and are written together.
    """

    canonical, issue, previous, following = response.edition
    if request.path != canonical:
        logger.warning("not keeping %s: its canonical path is %s", request.path, canonical)
        return
    shared, home = issue_memo(request, issue), request.path in STORED_PATHS
    if not _links_still_true(shared, home, issue, previous, following):
        logger.info("not keeping %s: an issue came due while it rendered", request.path)
        return
    pending = memo(request)
    row = _row(request.path, response, variant, issue, shared)
    if pending is not None:
        pending.setdefault(_PENDING, []).append(row)
        return
    try:
        with transaction.atomic(using=router.db_for_write(EditionPage)):
            _upsert([row])
    except DatabaseError:
        # The reader still gets the page; the next request renders it again.
        logger.warning("could not keep the rendering of %s", request.path, exc_info=True)


def _links_still_true(shared: dict, home: bool, issue: Issue, previous, following) -> bool:
    """The neighbours a rendering links are still the issue's, and on home the issue is still
    the newest: a scheduled issue that came due while it rendered would make it wrong from the
    start, and its expiry (``expires_at``, read now) would not say so."""
    *shown, _ = _sides(shared, issue)
    if [row and row.pk for row in shown] != [row and row.pk for row in (previous, following)]:
        return False
    newest = reading.newest() if home else issue
    return newest is not None and newest.pk == issue.pk


def _row(path, response, variant, issue, shared: dict) -> EditionPage:
    return EditionPage(
        path=path,
        variant=variant,
        issue_id=issue.pk,
        revision=issue.edition_revision,
        build=build_id(),
        html=response.content.decode("utf-8"),
        etag=f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"',
        last_modified=response.get("Last-Modified", ""),
        expires_at=expires_at(shared, path in STORED_PATHS, issue),
        # An expression, not a value: PostgreSQL's bulk insert then sends each page as its own
        # parameter instead of packing all of them into arrays (UNNEST), whose text encoding
        # escapes every page's HTML character by character in Python (3 ms a page).
        rendered_at=Now(),
    )


def _upsert(rows: list[EditionPage]) -> None:
    EditionPage.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["path", "variant"],
        update_fields=["issue", "revision", "build", "html", "etag", "last_modified", "expires_at", "rendered_at"],
    )


def _flush(shared: dict) -> None:
    """Write the rows the renders of one issue left in its memo (inside its transaction)."""
    rows = shared.pop(_PENDING, [])
    if rows:
        _upsert(rows)


def memo(request: HttpRequest) -> dict | None:
    """While ``render_issues`` renders one issue's pages: what they share, loaded once (the
    issue with its neighbours, its pages and titles, its items, their reading order).
    None for a reader's request, which loads what its page needs."""
    return getattr(request, _MEMO, None)


def issue_memo(request: HttpRequest, issue: Issue) -> dict:
    """What the pages of ``issue`` show besides the issue row and its neighbours (pages, titles,
    items, reading order), loaded once and shared.

    While the edition renders the issue, the render's ``memo``. For any other request, this
    process's memo of the issue at its ``edition_revision``: every change to what the issue's
    pages show moves that number in the change's own transaction (``touch_issues``), the
    promise stored pages are served on; the request read the issue row (and so the number)
    before anything the memo keeps, so nothing in it is older than its key. The key also
    carries the row's creation and last save, so a row deleted and created again under the
    same id (SQLite reuses them) never meets the old one's memo. Neighbours are kept here
    only until a scheduled issue that would change them comes due (``_sides``): that changes
    them without a save.
    """
    shared = memo(request)
    if shared is not None:
        return shared
    return _ISSUES.get_or_put(_memo_key(issue), dict)


def _memo_key(issue: Issue) -> tuple:
    return (issue.pk, issue.edition_revision, issue.imported_at, issue.updated_at)


def remember_item(issue: Issue, key, load):
    """``load()`` (one item of ``issue``, or None), kept like ``issue_memo``'s rows, under the
    same key, in the process's store of items (``MEMO_ITEMS``); None is not kept."""
    key = (_memo_key(issue), key)
    item = _ITEMS.get(key)
    if item is None:
        item = load()
        if item is not None:
            _ITEMS.put(key, item)
    return item


def forget_issues() -> None:
    """Empty this process's issue memos (``issue_memo``) and its copies of issue rows
    (reader/reading.py); for tests and benches that count first loads."""
    reading.forget()
    _ISSUES.clear()
    _ITEMS.clear()


def remember(shared: dict | None, key, load):
    """``load()``, kept in ``shared`` (a memo) under ``key``; without a memo, loaded each time."""
    if shared is None:
        return load()
    if key not in shared:
        shared[key] = load()
    return shared[key]


def neighbours(request: HttpRequest, issue: Issue) -> tuple[Issue | None, Issue | None]:
    """``issue.neighbours()``, kept in the issue's memo until a scheduled issue that would
    change them comes due (a save of any issue that would moves the revision, and so the memo)."""
    previous, following, _ = _sides(issue_memo(request, issue), issue)
    return previous, following


def _sides(shared: dict, issue: Issue) -> tuple[Issue | None, Issue | None, dt.datetime | None]:
    """The issue's neighbours and when the next scheduled issue that would come between them
    is due (or None): one statement (``_SIDES``), kept in ``shared`` until that moment."""
    now = timezone.now()
    kept = shared.get(_NEIGHBOURS)
    if kept is not None and (kept[2] is None or now < kept[2]):
        return kept
    found = _SIDES.all(publication=issue.publication_id, date=issue.date, id=issue.pk, now=now)
    previous, following = issue.sides([row for row in found if row.is_visible(now)])
    due = min((row.published_at for row in found if not row.is_visible(now)), default=None)
    shared[_NEIGHBOURS] = (previous, following, due)
    return shared[_NEIGHBOURS]


def expires_at(shared: dict, home: bool, issue: Issue) -> dt.datetime | None:
    """When a scheduled issue comes due that would change the links of a page of ``issue``
    (on ``home``, any issue that would become the newest), or None; kept in ``shared`` (an
    issue's memo) until it has passed."""
    if not home:
        return _sides(shared, issue)[2]
    key = ("expiry", issue.pk)
    due = shared.get(key, _NEIGHBOURS)
    if due is _NEIGHBOURS or (due is not None and due <= timezone.now()):
        found = _COMING_DUE.first(now=timezone.now(), id=issue.pk)
        due = shared[key] = found and found.published_at
    return due


def _coming_due(after=None, before=None) -> QuerySet:
    """The next scheduled issue other than ``id``; given ``after`` and ``before`` (expressions),
    the next one of ``publication`` dated strictly between them."""
    scheduled = Issue.objects.scheduled(arg(Issue, "published_at", "now")).exclude(pk=arg(Issue, "id"))
    if after is not None:
        scheduled = scheduled.filter(publication_id=arg(Issue, "publication"), date__gt=after, date__lt=before)
    return scheduled.order_by("published_at").only("published_at")[:1]


def _neighbours_and_coming_due() -> QuerySet:
    """``Issue.neighbour_rows`` and the next scheduled issue that would come between them, in
    one statement; ``_sides`` tells them apart by ``Issue.is_visible``."""
    publication, date, now = arg(Issue, "publication"), arg(Issue, "date"), arg(Issue, "published_at", "now")
    before, after = Issue.neighbour_queries(publication, date, now)
    due = _coming_due(
        after=Coalesce(Subquery(before.values("date")[:1]), Value(dt.date.min)),
        before=Coalesce(Subquery(after.values("date")[:1]), Value(dt.date.max)),
    )
    rows = Issue.neighbour_rows(publication, date, now) | Issue.objects.filter(pk=Subquery(due.values("pk")))
    return rows.only(*Issue.NEIGHBOUR_FIELDS, "status", "published_at")


_COMING_DUE = Statement(Issue, _coming_due)
_SIDES = Statement(Issue, _neighbours_and_coming_due)


# Invalidation -----------------------------------------------------------------------------


def touch_issues(issue_ids, *, home: bool = False) -> None:
    """Retire the stored pages of these issues (and, with ``home``, of the one home shows).

    Runs inside the caller's transaction; after commit, a task renders them again. Called
    through ``reader.signals.invalidate``, which also moves the page cache's revision.
    """

    ids = {i for i in issue_ids if i is not None}
    if home:
        ids.add(Issue.objects.visible().newest_pk())
        ids.discard(None)
    if not ids:
        return
    Issue.objects.filter(pk__in=ids).update(edition_revision=F("edition_revision") + 1)
    if enabled() and settings.EDITION_RENDER_ON_CHANGE:
        transaction.on_commit(lambda: _enqueue(sorted(ids)), robust=True)


def _enqueue(issue_ids: list[int]) -> None:
    render_edition.enqueue(issue_ids)


# Rendering ---------------------------------------------------------------------------------


def issue_paths(issue) -> list[str]:
    """Every stored path of an issue: its issue page, its pages and its items."""

    pages = {page.pk: page for page in issue.pages.all()}
    items = list(Article.objects.filter(page__issue=issue).only("id", "page_id", "position"))
    for page in pages.values():
        page.issue = issue
    for item in items:
        item.page = pages[item.page_id]
    return [
        issue.get_absolute_url(),
        *(page.get_absolute_url() for page in sorted(pages.values(), key=lambda p: p.number)),
        *(a.get_absolute_url() for a in sorted(items, key=lambda a: (a.page.number, a.position))),
    ]


def render_path(path: str, shared: dict | None = None) -> bool:
    """Render one public path as an anonymous reader would get it; True if it was stored.

    With ``shared`` (a memo for one issue's pages, see ``memo``) the views load what the
    issue's pages have in common once, and the row waits there until ``_flush``.
    """

    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    # Pages name the site by settings.SITE_URL, not by the request; this is only its address.
    host, _, port = site.netloc().partition(":")
    request.META = {
        "SERVER_NAME": host,
        "SERVER_PORT": port or ("443" if site.scheme() == "https" else "80"),
        "HTTP_HOST": site.netloc(),
    }
    request.user = AnonymousUser()
    setattr(request, _RENDERING, True)
    if shared is not None:
        setattr(request, _MEMO, shared)
    match = resolve(path)
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return False
    return getattr(response, "edition", None) is not None and response.status_code == 200


def rendering(request: HttpRequest) -> bool:
    """True for the edition's own render requests: they skip the lookup and always store."""
    return getattr(request, _RENDERING, False)


def render_issues(issue_ids) -> int:
    """Render every stored page of these issues (and home, if one of them is the newest)."""

    count = 0
    newest = Issue.objects.visible().newest_pk()
    for issue in Issue.objects.visible().filter(pk__in=list(issue_ids)).order_by("date"):
        shared: dict = {}
        with transaction.atomic():
            EditionPage.objects.filter(issue=issue).exclude(path__in=STORED_PATHS).delete()
            count += sum(render_path(path, shared) for path in issue_paths(issue))
            _flush(shared)
        if issue.pk == newest:
            with transaction.atomic():
                count += render_path("/", shared)
                _flush(shared)
    return count


def stale_issues():
    """Published issues with a page that has no rendering true for this build and revision."""

    def counted(queryset):
        counts = queryset.order_by().values("issue_key").annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(counts, output_field=IntegerField()), 0)

    rendered = EditionPage.objects.filter(
        issue=OuterRef("pk"), build=build_id(), revision=OuterRef("edition_revision")
    ).exclude(path__in=STORED_PATHS)
    return (
        Issue.objects.visible()
        .annotate(
            rendered=counted(rendered.annotate(issue_key=F("issue_id"))),
            pages_=counted(Page.objects.filter(issue=OuterRef("pk")).annotate(issue_key=F("issue_id"))),
            items=counted(Article.objects.filter(page__issue=OuterRef("pk")).annotate(issue_key=F("page__issue_id"))),
        )
        .filter(rendered__lt=1 + F("pages_") + F("items"))
        .order_by("-date")
    )


@task()
def render_edition(issue_ids: list[int]) -> int:
    """Background task: render these issues' pages into the edition; returns how many."""
    return render_issues(issue_ids)
