"""Public pages: cached, conditional, and readable in Traditional Chinese.

``public_page`` wraps a reader-facing view and marks what any reader may share; anonymous
GETs are kept and answered by ``reader.middleware.PublicPageMiddleware`` (before the rest of
the middleware runs) under a key of path, query string, reading variant and the site
revision (reader/revision.py),
read once per request from the database every process shares: any editorial change moves
it when it commits (reader/signals.py), so a corrected or retracted page shows at once in
every worker, whatever the cache backend. ConditionalGetMiddleware turns the ETag (or the
Last-Modified a view sets with ``last_modified``) into 304s.
An entry never outlives the next scheduled publication, which no save announces.
Below the cache sits the rendered edition (reader/edition.py): pages a view marks with
``edition.mark`` are kept in the database when rendered and answered from there while true.
``?variant=hant`` (remembered in a cookie) renders the page in Traditional characters with
OpenCC (``to_traditional``). ``cached`` keeps whole machine-read documents (feeds, sitemaps)
under the same revision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import opencc
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.http import http_date

from issues.models import Issue
from reader import edition, revision

VARIANTS = {"hans", "hant"}
VARIANT_COOKIE = "variant"
TIMEOUT = 60 * 60
# OpenCC's Taiwan standard (s2tw): 為 not 爲, 裡 not 裏, 臺灣 and 颱風, the forms of the
# Ministry of Education's standard characters that readers of Traditional Chinese meet most
# (Hong Kong's s2hk keeps 裏 and 台). Characters only: s2twp would also swap the paper's
# words for Taiwan's idiom (社区→社群, 发布→釋出, 数据→資料, 信息→資訊), changing what the
# paper printed, and a word copied from the page would no longer find the item (search folds
# queries with t2s, which undoes s2tw but not those swaps).
_s2t = opencc.OpenCC("s2tw")
T = TypeVar("T")


def lifetime(site_revision: int) -> int:
    """Seconds a page may stay cached: until the next scheduled publication at most."""

    now = timezone.now()
    key = f"public-pages:next-scheduled:{site_revision}"
    upcoming = cache.get(key)
    if upcoming is None or (upcoming and upcoming <= now):
        upcoming = Issue.objects.scheduled(now).order_by("published_at").values_list("published_at", flat=True).first()
        upcoming = upcoming or False
        cache.set(key, upcoming, TIMEOUT)
    if not upcoming:
        return TIMEOUT
    return max(0, min(TIMEOUT, int((upcoming - now).total_seconds())))


def last_modified(response, *times: dt.datetime | None):
    """Set Last-Modified to the latest of ``times`` (rows the page shows); returns the response."""
    known = [t for t in times if t]
    if known:
        response["Last-Modified"] = http_date(max(known).timestamp())
    return response


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept under ``name`` and the site revision (reader/revision.py): a
    correction or a retraction moves the revision, so the next request builds afresh; the
    entry never outlives the next scheduled publication (``lifetime``). One query (the
    revision) when kept; without ``PUBLIC_PAGE_CACHE``, always built."""
    if not settings.PUBLIC_PAGE_CACHE:
        return build()
    site_revision = revision.current()
    key = "public-document:" + hashlib.sha256(f"{site_revision}|{name}".encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        timeout = lifetime(site_revision)
        if timeout:
            cache.set(key, value, timeout)
    return value


def reading_variant(request) -> str:
    asked = request.GET.get("variant")
    if asked in VARIANTS:
        return asked
    chosen = request.COOKIES.get(VARIANT_COOKIE)
    return chosen if chosen in VARIANTS else "hans"


def to_traditional(text: str) -> str:
    """``text`` in Traditional characters, Taiwan standard (see ``_s2t``)."""
    return _s2t.convert(text)


def public_page(view=None, *, stored: bool = False):
    """Wrap a reader-facing view; ``stored=True`` for the views the rendered edition keeps.

    The wrapper renders (or takes from the edition) and marks what may be shared; the page
    cache itself sits in ``reader.middleware.PublicPageMiddleware``, which keeps the finished
    response (every header the stack added) and answers hits before the stack runs."""
    if view is None:
        return lambda view: public_page(view, stored=stored)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        variant = reading_variant(request)
        request.variant = variant
        rendering = edition.rendering(request)
        storable = stored and (rendering or edition.servable(request))
        response = edition.stored_response(request, variant) if storable and not rendering else None
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if variant == "hant" and response.get("Content-Type", "").startswith("text/html"):
                response.content = to_traditional(response.content.decode("utf-8")).encode("utf-8")
            if storable and response.status_code == 200 and getattr(response, "edition", None):
                edition.store(request, response, variant)
        if rendering:
            return remember(request, response, variant)
        return finish(request, response, variant, anonymous=not request.user.is_authenticated)

    wrapper.stored_in_edition = stored
    return wrapper


def finish(request, response, variant: str, *, anonymous: bool):
    """A public page's own headers; marks it ``shareable`` when any reader may get this copy
    (an anonymous GET's 200 that the view did not keep private): the page cache keeps only those."""
    if (
        settings.PUBLIC_PAGE_CACHE
        and anonymous
        and request.method in {"GET", "HEAD"}
        and response.status_code == 200
        and not _private(response)
    ):
        response["Cache-Control"] = "public, max-age=60"
        if not response.has_header("ETag"):
            set_response_etag(response)  # once, not on every hit (ConditionalGetMiddleware)
        response.shareable = True
    return remember(request, response, variant)


def page_key(request, variant: str) -> tuple[str, int]:
    """The page cache's key for this request, and the site revision it was read at (one query)."""
    site_revision = revision.current()
    raw = f"{site_revision}|{variant}|{request.get_full_path()}"
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest(), site_revision


def kept(key: str):
    """The finished response kept under ``key``, or None."""
    return cache.get(key)


def keep(key: str, site_revision: int, response) -> None:
    """Keep a finished shareable response under ``key`` until the next scheduled publication.

    Never one that sets a cookie other than the reading variant, which is each reader's own
    (``remember`` sets it again on every hit) and is left out of the kept copy."""
    if set(response.cookies) - {VARIANT_COOKIE}:
        return
    timeout = lifetime(site_revision)
    if not timeout:
        return
    response.edition = None  # the rows the page showed: nothing a hit needs to unpickle
    remembered = response.cookies.pop(VARIANT_COOKIE, None)
    try:
        cache.set(key, response, timeout)
    finally:
        if remembered is not None:
            response.cookies[VARIANT_COOKIE] = remembered


def _private(response) -> bool:
    """A view kept this response to its user (a staff preview, reader/preview.py): never shared."""
    control = response.get("Cache-Control", "")
    return "private" in control or "no-store" in control


def remember(request, response, variant: str):
    """The reading variant's headers, and its cookie when the reader just chose it."""
    if request.GET.get("variant") in VARIANTS and request.COOKIES.get(VARIANT_COOKIE) != variant:
        response.set_cookie(VARIANT_COOKIE, variant, max_age=365 * 24 * 3600, samesite="Lax")
    response["Vary"] = "Cookie"
    response["Content-Language"] = "zh-Hant" if variant == "hant" else "zh-Hans"
    return response
