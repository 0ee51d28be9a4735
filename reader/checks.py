"""Configurations under which a retraction or a correction could not reach every process.

The page cache is keyed by the site revision kept in the default database
(reader/revision.py), so invalidation is shared exactly as far as that database is. These
checks run with ``manage.py check`` (and ``--deploy``), and ``newsroom/wsgi.py`` refuses to
serve when one fails: a site that would keep showing a retracted issue must not start.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

PAGE_CACHING_MIDDLEWARE = {
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
    "django.middleware.cache.CacheMiddleware",
}


def _in_memory(database: dict) -> bool:
    name = str(database.get("NAME") or "")
    return database.get("ENGINE", "").endswith("sqlite3") and (name in {"", ":memory:"} or "mode=memory" in name)


def problems(database: dict, middleware: list[str]) -> list[Error]:
    """What in this default database and middleware keeps a change from reaching every process."""
    errors = []
    if _in_memory(database):
        errors.append(
            Error(
                "The default database is SQLite in memory: every process would keep its own, so a "
                "retraction or a correction made in one would never reach the pages the others serve.",
                hint="Point DATABASE_URL at an SQLite file or at PostgreSQL.",
                id="reader.E001",
            )
        )
    cached = sorted(PAGE_CACHING_MIDDLEWARE.intersection(middleware))
    if cached:
        errors.append(
            Error(
                f"{', '.join(cached)} caches whole pages under keys no editorial change reaches: a "
                "retracted or corrected page would be served until the entry expires.",
                hint="Remove it; reader.middleware.PublicPageMiddleware caches public pages keyed by the site revision.",
                id="reader.E002",
            )
        )
    return errors


@register(Tags.caches, Tags.database)
def shared_invalidation(app_configs=None, **kwargs) -> list[Error]:
    return problems(settings.DATABASES["default"], settings.MIDDLEWARE)


def refuse_to_serve_without_shared_invalidation() -> None:
    """Raise at start-up (newsroom/wsgi.py) when ``shared_invalidation`` finds an error."""
    errors = shared_invalidation()
    if errors:
        raise ImproperlyConfigured("refusing to serve: " + " ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
