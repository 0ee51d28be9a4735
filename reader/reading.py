"""The issue a reader's page starts from: checked with one small statement, kept per process.

Every public page reads its issue first, so that a retraction is a 404 and a correction shows
at once (the issue memos of reader/edition.py are keyed by the row this read returns). Built
by the ORM, that read cost about 0.8 ms of CPU, most of it composing the statement, on every
live page. Here a reader's request asks one hand-written statement for the key of the visible
issue: its id, edition revision, state, publication time, import and last save (a save moves
the last; code that writes with ``update()`` moves the revision, reader/signals.py). While
the key is the same, this process's copy of the row is reused. A new key loads the row (a
``Statement``, reader/statements.py) on the same database, visible at the same moment, and
keeps it only if it is the row the key described, so a copy is never another version than
its key.

``VISIBLE`` restates ``issues.models.visible_q`` for these statements and the stored
edition's lookup, on a table aliased ``i``; tests/reader/test_visibility.py proves they agree.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.utils import timezone

from issues.models import Issue
from reader.db import fetch_one
from reader.kept import Kept
from reader.statements import Statement, arg

VISIBLE = "i.status = %s AND i.published_at <= %s"
_KEY = f"SELECT i.id, i.edition_revision, i.status, i.published_at, i.imported_at, i.updated_at FROM {Issue._meta.db_table} i WHERE {VISIBLE}"  # noqa: S608 - constants
_ON_DATE = _KEY + " AND i.date = %s ORDER BY i.id LIMIT 1"
_NEWEST = _KEY + " ORDER BY i.date DESC, i.id LIMIT 1"
_ROW = Statement(
    Issue,
    lambda: (
        Issue.objects.visible(arg(Issue, "published_at", "now"))
        .for_reading()
        .select_related("publication")
        .filter(pk=arg(Issue, "id"))
    ),
)
_kept: Kept[Issue] = Kept(512)  # issue rows a process keeps (a few KB each), least recently used out


def visible_params(alias: str, now: dt.datetime | None = None) -> list:
    """The values of ``VISIBLE``'s placeholders at ``now`` on database ``alias``."""
    return [Issue.Status.PUBLISHED, connections[alias].ops.adapt_datetimefield_value(now or timezone.now())]


def visible_on(date: dt.date, now: dt.datetime | None = None) -> Issue | None:
    """The issue readers see on ``date`` (with its publication), or None."""
    alias = router.db_for_read(Issue)
    now = now or timezone.now()
    day = connections[alias].ops.adapt_datefield_value(date)
    return _issue(alias, now, _ON_DATE, [*visible_params(alias, now), day])


def newest(now: dt.datetime | None = None) -> Issue | None:
    """The latest issue readers see (the one home shows), or None."""
    alias = router.db_for_read(Issue)
    now = now or timezone.now()
    return _issue(alias, now, _NEWEST, visible_params(alias, now))


def forget() -> None:
    """Empty this process's copies (for tests that count first reads)."""
    _kept.clear()


def _issue(alias: str, now: dt.datetime, sql: str, params: list) -> Issue | None:
    key = fetch_one(alias, sql, params)
    if key is None:
        return None
    key = (alias, *key)
    issue = _kept.get(key)
    if issue is not None:
        return issue
    # Visible at the same moment as the key: a retraction between the two reads is a 404.
    issue = _ROW.first(using=alias, id=key[1], now=now)
    if issue is not None and issue.edition_revision == key[2]:
        _kept.put(key, issue)
    return issue
