"""Template helpers of the public site."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import template

from articles.images import RENDITION_WIDTHS
from reader import links
from reader.site import absolute_url

register = template.Library()


@register.simple_tag
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


@register.simple_tag
def link(name: str, **values) -> str:
    """``{% url %}`` for a named route, by reader.links (what reverse() gives, cheaper)."""
    return links.path(name, **values)


@register.filter
def absolute(location: str) -> str:
    """``location`` as an absolute URL on the site's origin (settings.SITE_URL)."""
    return absolute_url(str(location))


@register.filter
def is_pdf(file) -> bool:
    return bool(file) and file.name.lower().endswith(".pdf")


@register.simple_tag(takes_context=True)
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
