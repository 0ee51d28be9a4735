"""The public site's own address: absolute URLs from ``settings.SITE_URL``, never from a request.

A request's Host is whatever the client sent among ALLOWED_HOSTS; a page that named it would
differ by host while the page cache and the rendered edition keep one copy per path.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def absolute_url(location: str) -> str:
    """``location`` (a path, or a URL that is already absolute, e.g. a media bucket's) on
    the site's origin."""
    return urljoin(settings.SITE_URL + "/", location)


def scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def netloc() -> str:
    """The site's host, with its port if it has one."""
    return urlsplit(settings.SITE_URL).netloc
