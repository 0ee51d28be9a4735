"""A reader's page answered before the rest of the middleware runs, when it is already made.

An anonymous reader's request for a page in the page cache (reader/cache.py) or in the
rendered edition (reader/edition.py) needs nothing that sessions, CSRF, authentication,
messages, axes and URL routing do for a signed-in editor, and those cost more than the
answer. So ``PublicPageMiddleware`` sits near the top of ``MIDDLEWARE``, as Django's own
FetchFromCacheMiddleware would, but keyed by the site revision (one query per request, as
before: a retraction reaches every process at once):

- a cache hit is the finished response an earlier request left, every header the stack
  added included; only the conditional GET (304) and the reader's variant cookie are per
  request;
- a stored page gets the headers the stack would add from the same middleware
  (``FINISHING``, whose ``process_response`` runs on it), and is kept in the cache like any
  other shareable page.

"Anonymous" here is "has no session cookie": a request with one (signed in, or a stale
cookie) goes through the whole stack, where ``public_page`` asks the session. So does a
request for a host ALLOWED_HOSTS refuses (the stack answers 400). The early reads go where
the stack's would (the replica, newsroom/routers.py), so the revision and the page come
from the same database. A database error on the way falls through to the stack, which
answers it (newsroom/middleware.py); one while keeping a page leaves the page unkept.
"""

from __future__ import annotations

import functools
import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve

from newsroom.routers import reads_for
from reader import cache, edition

logger = logging.getLogger(__name__)

# The middleware below this one in settings.MIDDLEWARE that add headers to a reader's page,
# innermost first (the order their process_response runs in). tests/reader/test_middleware.py
# proves a page answered here carries the headers the whole stack gives it.
FINISHING = (ConditionalGetMiddleware, XFrameOptionsMiddleware, CommonMiddleware, CSPMiddleware)
CONDITIONS = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"})
KNOWN_PATHS = 4096  # paths whose view this process remembers (least recently used out)


class PublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.finishing = [kind(_unused) for kind in FINISHING]
        self.conditional = self.finishing[0]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        public, stored = public_view(request.path_info) if anonymous_read(request) else (False, False)
        if not public or not allowed_host(request):
            return self.get_response(request)  # the stack answers (a disallowed host: 400)
        with reads_for(request):  # the replica, as the stack's reads of this request would
            return self.early(request, stored)

    def early(self, request: HttpRequest, stored: bool) -> HttpResponse:
        variant = cache.reading_variant(request)
        key = site_revision = None
        try:
            if settings.PUBLIC_PAGE_CACHE:
                key, site_revision = cache.page_key(request, variant)
                kept = cache.kept(key)
                if kept is not None:
                    return self.answer(request, cache.remember(request, kept, variant))
            response = self.stored(request, variant) if stored and edition.plain_read(request) else None
        except (OperationalError, InterfaceError):
            return self.get_response(request)  # the stack meets the same error and answers 503
        if response is None:
            response = self.get_response(request)
        if key is not None and response.status_code == 200 and getattr(response, "shareable", False):
            try:
                cache.keep(key, site_revision, response)
            except DatabaseError:
                logger.warning("could not keep %s in the page cache", request.path, exc_info=True)
        return response

    def answer(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A kept response, or 304 when the request's condition holds (Django's own rule)."""
        if CONDITIONS.isdisjoint(request.META):
            return response
        return self.conditional.process_response(request, response)

    def stored(self, request: HttpRequest, variant: str) -> HttpResponse | None:
        """The edition's page with the headers ``public_page`` and the stack give it, or None."""
        response = edition.stored_response(request, variant)
        if response is None:
            return None
        response = cache.finish(request, response, variant, anonymous=True)
        for middleware in self.finishing:
            response = middleware.process_response(request, response)
        return response


def allowed_host(request: HttpRequest) -> bool:
    """The Host header passes ALLOWED_HOSTS (CommonMiddleware's check, which the early answer
    would otherwise skip)."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def anonymous_read(request: HttpRequest) -> bool:
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


@functools.lru_cache(maxsize=KNOWN_PATHS)
def public_view(path: str) -> tuple[bool, bool]:
    """(a ``public_page`` view answers ``path``, and it is one the edition stores)."""
    try:
        view = resolve(path).func
    except Resolver404:
        return False, False
    stored = getattr(view, "stored_in_edition", None)
    return stored is not None, bool(stored)


@receiver(setting_changed)
def _forget_paths(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        public_view.cache_clear()


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("FINISHING middleware only finish responses here")
