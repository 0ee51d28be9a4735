"""Public pages: cached, conditional, and readable in Traditional Chinese.

``public_page`` wraps a reader-facing view. Anonymous GETs are served from the cache under
a key of path, query string, reading variant and a generation number that any editorial
save bumps (signals below), so a corrected item shows at once. ConditionalGetMiddleware
turns the ETag into 304s. ``?variant=hant`` (remembered in a cookie) renders the page in
Traditional characters with OpenCC.
"""

from __future__ import annotations

import hashlib
from functools import wraps

import opencc
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "public-pages:generation"
VARIANTS = {"hans", "hant"}
TIMEOUT = 60 * 60
_s2t = opencc.OpenCC("s2t")


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump_generation(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def reading_variant(request) -> str:
    asked = request.GET.get("variant")
    if asked in VARIANTS:
        return asked
    return request.COOKIES.get("variant") if request.COOKIES.get("variant") in VARIANTS else "hans"


def to_traditional(text: str) -> str:
    return _s2t.convert(text)


def public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        variant = reading_variant(request)
        request.variant = variant
        cacheable = request.method in {"GET", "HEAD"} and not request.user.is_authenticated
        key = None
        if cacheable:
            raw = f"{generation()}|{variant}|{request.get_full_path()}"
            key = "public-page:" + hashlib.sha256(raw.encode()).hexdigest()
            response = cache.get(key)
            if response is not None:
                return _remember(request, response, variant)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if variant == "hant" and response.get("Content-Type", "").startswith("text/html"):
            response.content = to_traditional(response.content.decode("utf-8")).encode("utf-8")
        if cacheable and response.status_code == 200:
            response["Cache-Control"] = "public, max-age=60"
            cache.set(key, response, TIMEOUT)
        return _remember(request, response, variant)

    return wrapper


def _remember(request, response, variant):
    if request.GET.get("variant") in VARIANTS and request.COOKIES.get("variant") != variant:
        response.set_cookie("variant", variant, max_age=365 * 24 * 3600, samesite="Lax")
    response["Vary"] = "Cookie"
    response["Content-Language"] = "zh-Hant" if variant == "hant" else "zh-Hans"
    return response


def connect_signals() -> None:
    from articles.models import Article, Credit, Person, Photo
    from issues.models import Issue, Page

    for model in (Issue, Page, Article, Photo, Credit, Person):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
