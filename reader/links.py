"""Paths of named routes without the resolver's search: what ``reverse()`` gives, cheaper.

``reverse()`` walks every pattern of a name, fills it, then matches the result against the
route's regular expression again: about 20 µs a call, and a public page makes two dozen (its
links to issues, pages, items and people). ``path()`` asks the resolver once per process for
the route's format (the include prefix and the pattern, e.g. ``issues/%(date)s/pages/%(number)s/``)
and its converters, then fills it by string formatting after each value went through its
converter's ``to_url`` (which refuses what the route would not match, as reverse does).
The URL configuration stays the one place routes are written; tests/reader/test_links.py
proves ``path()`` equals ``reverse()`` for every named route of the site.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf
from django.utils.http import RFC3986_SUBDELIMS

_LITERAL = re.compile(r"[\w/.~]*")
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


@lru_cache(maxsize=256)
def _route(urlconf: str | None, name: str) -> tuple[str, tuple[str, ...], dict]:
    """(format with the include prefixes, its parameters, their converters) of route ``name``."""
    resolver = get_resolver(urlconf)
    *namespaces, short = name.split(":")
    prefix = ""
    for namespace in namespaces:
        try:
            extra, resolver = resolver.namespace_dict[namespace]
        except KeyError:
            raise NoReverseMatch(f"{namespace!r} is not a registered namespace") from None
        if not _LITERAL.fullmatch(extra):
            raise NoReverseMatch(f"{namespace!r} is included under a pattern, not a plain prefix")
        prefix += extra
    routes = resolver.reverse_dict.getlist(short)
    if len(routes) != 1 or len(routes[0][0]) != 1:
        # Several patterns or spellings under one name: only reverse() can choose.
        raise NoReverseMatch(f"{name!r} is not a route with one spelling")
    ((template, params),), _pattern, _defaults, converters = routes[0]
    return prefix + template, tuple(params), converters


def path(name: str, **values) -> str:
    """The path of route ``name`` with ``values``, as ``reverse(name, kwargs=values)`` gives it.

    Kept per process by everything it depends on (a page's links repeat on every render of
    it: an issue page links each of its items)."""
    return _path(get_urlconf(), get_script_prefix(), name, tuple(values.items()))


@lru_cache(maxsize=16384)
def _path(urlconf: str | None, prefix: str, name: str, items: tuple) -> str:
    values = dict(items)
    template, params, converters = _route(urlconf, name)
    if set(values) != set(params):
        raise NoReverseMatch(f"{name!r} takes {sorted(params)}, not {sorted(values)}")
    try:
        filled = {k: (converters[k].to_url(v) if k in converters else str(v)) for k, v in values.items()}
    except ValueError as exc:
        raise NoReverseMatch(f"{name!r}: {exc}") from None
    return quote(prefix + template % filled, safe=_SAFE)


def _forget(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _route.cache_clear()
        _path.cache_clear()


setting_changed.connect(_forget, dispatch_uid="reader-links-forget")
