"""The issue a reader's page starts from: one statement, the row kept per process.

Every public page reads its issue first, so that a retraction is a 404 and a correction shows
at once (the issue memos of reader/edition.py are keyed by the row this read returns). Built
by the ORM, that read cost about 0.8 ms of CPU, most of it composing the statement, on every
live page. Here it is a ``Statement`` (reader/statements.py): the visible issue on a date, or
the newest, with its publication, composed once per process. Its key (id, edition revision,
state, publication time, import and last save: a save moves the last; code that writes with
``update()`` moves the revision, reader/signals.py) is read off the row; while the key is the
same, this process's copy of the issue is reused and the row is not turned into an instance
again. The copy and its key come from one row, so a copy is never another version than its
key, nor one that was not visible at that moment.

``VISIBLE`` restates ``issues.models.visible_q`` for the stored edition's hand-written lookup,
on a table aliased ``i``; tests/reader/test_visibility.py proves they agree.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.utils import timezone

from issues.models import Issue
from reader.kept import Kept
from reader.statements import Statement, arg

VISIBLE = "i.status = %s AND i.published_at <= %s"
KEY = ("id", "edition_revision", "status", "published_at", "imported_at", "updated_at")


def _visible():
    return Issue.objects.visible(arg(Issue, "published_at", "now")).for_reading().select_related("publication")


# The orders of Issue.objects.newest_pk and preview.newest_for: one issue a date, the first kept.
_ON_DATE = Statement(Issue, lambda: _visible().filter(date=arg(Issue, "date")).order_by("pk")[:1])
_NEWEST = Statement(Issue, lambda: _visible().order_by("-date", "pk")[:1])
_kept: Kept[Issue] = Kept(512)  # issue rows a process keeps (a few KB each), least recently used out


def visible_params(alias: str, now: dt.datetime | None = None) -> list:
    """The values of ``VISIBLE``'s placeholders at ``now`` on database ``alias``."""
    return [Issue.Status.PUBLISHED, connections[alias].ops.adapt_datetimefield_value(now or timezone.now())]


def visible_on(date: dt.date, now: dt.datetime | None = None) -> Issue | None:
    """The issue readers see on ``date`` (with its publication), or None."""
    return _issue(_ON_DATE, date=date, now=now or timezone.now())


def newest(now: dt.datetime | None = None) -> Issue | None:
    """The latest issue readers see (the one home shows), or None."""
    return _issue(_NEWEST, now=now or timezone.now())


def forget() -> None:
    """Empty this process's copies (for tests that count first reads)."""
    _kept.clear()


def _issue(statement: Statement, **values) -> Issue | None:
    alias = router.db_for_read(Issue)
    rows = statement.rows(using=alias, **values)
    if not len(rows):
        return None
    key = (alias, *rows.fields(0, KEY))
    return _kept.get(key) or _kept.put(key, rows.instance(0))
