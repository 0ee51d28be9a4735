"""The public site's templates: Jinja2, with the few helpers its pages use.

Reader pages are the hot path (every live page, every page the rendered edition stores), and
Django's template language spends most of a page's CPU resolving variables node by node;
Jinja2 compiles a template to Python once, and renders the same page several times faster.
The desk stays on Django's templates (the admin's own). Templates live in ``reader/jinja2/``;
``newsroom/settings.py`` names ``environment`` as the engine's environment, and Django's
backend adds ``request``, ``csrf_input`` and the context processors' values to each render.

Helpers keep the output of the Django filters they stand for (``date``, ``truncatechars``,
``linebreaksbr``, ``urlencode``) so that a page reads the same whichever engine drew it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import PurePosixPath

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import dateformat, timezone
from django.utils.text import Truncator
from jinja2 import Environment, pass_context
from markupsafe import Markup

from articles.images import RENDITION_WIDTHS
from reader import links
from reader.site import absolute_url


def environment(**options) -> Environment:
    """The Jinja2 environment of the public templates (``TEMPLATES`` in the settings)."""
    options.pop("autoescape", None)  # on, whatever the settings say: every value is escaped
    env = Environment(autoescape=True, **options)
    env.globals.update(static=static, link=links.path, srcset=srcset, query_with=query_with, favicon=favicon)
    env.filters.update(
        date=date,
        absolute=absolute,
        is_pdf=is_pdf,
        truncatechars=truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
        urlencode=defaultfilters.urlencode,
    )
    return env


@lru_cache(maxsize=1)
def favicon() -> Markup:
    """The icon links, from the one snippet the desk's pages include too (templates/_favicon.html);
    rendered once per process (its static names change only with a new build)."""
    return Markup(render_to_string("_favicon.html"))  # noqa: S704 - Django's own rendering, escaped there


@receiver(setting_changed)
def _forget_favicon(setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "TEMPLATES"}:
        favicon.cache_clear()


def date(value: dt.date | dt.datetime | None, format_string: str) -> str:
    """Django's ``date`` filter: ``value`` in ``format_string``, an aware time in the
    newsroom's zone; empty for no value."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


def truncatechars(value, length: int) -> str:
    """Django's ``truncatechars``: at most ``length`` characters, an ellipsis included."""
    return Truncator(value or "").chars(length)


def absolute(location) -> str:
    """``location`` as an absolute URL on the site's origin (settings.SITE_URL)."""
    return absolute_url(str(location))


def is_pdf(file) -> bool:
    return bool(file) and file.name.lower().endswith(".pdf")


def srcset(image, width: int | None = None) -> str:
    """A srcset of the JPEG renditions made beside ``image`` (articles.images), plus the
    original at ``width``; empty when there are none."""
    if not image:
        return ""
    base = PurePosixPath(image.name)
    candidates = []
    for w in RENDITION_WIDTHS:
        name = str(base.with_name(f"{base.stem}-{w}w.jpg"))
        if image.storage.exists(name):
            candidates.append(f"{image.storage.url(name)} {w}w")
    if candidates and width:
        candidates.append(f"{image.url} {width}w")
    return ", ".join(candidates)


@pass_context
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (an empty value drops the key) and
    the result page reset."""
    params = context["request"].GET.copy()
    params.pop("p", None)
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
