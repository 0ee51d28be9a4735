"""The site-wide revision of what readers see, shared by every process through the database.

The page cache (reader/cache.py) keys every page by this number, so a change shows in every
worker the moment it commits, whichever cache backend holds the pages (a per-process memory
cache included). ``bump`` adds a row in the change's own transaction: the revision moves
when, and only when, the change commits, and a rolled-back change leaves it alone. A reader
who reads the new revision therefore reads the new rows; one who read the old revision may
have rendered either, under a key nobody asks for again. Inserts take no lock that another
writer waits on; after commit, ``fold`` sums the rows into the oldest one so that reading
the revision stays one small aggregate.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, router, transaction
from django.db.models import F

from issues.models import PublicRevision
from reader.db import fetch_one

logger = logging.getLogger(__name__)
_CURRENT = f"SELECT COALESCE(SUM(weight), 0) FROM {PublicRevision._meta.db_table}"  # noqa: S608 - a constant


def current() -> int:
    """The revision now committed (one query, on the database public reads use)."""
    return int(fetch_one(router.db_for_read(PublicRevision), _CURRENT)[0])


def bump(using: str | None = None) -> None:
    """Move the revision when the current transaction commits (at once in autocommit)."""
    using = using or router.db_for_write(PublicRevision)
    PublicRevision.objects.using(using).create()
    transaction.on_commit(lambda: fold(using), using=using)


def fold(using: str | None = None) -> None:
    """Sum every committed row into the oldest; the revision, their sum, does not change."""
    using = using or router.db_for_write(PublicRevision)
    rows = PublicRevision.objects.using(using)
    try:
        with transaction.atomic(using=using):
            # Locked in key order: two folds queue behind each other instead of deadlocking,
            # and the second no longer sees the rows the first deleted.
            locked = list(rows.select_for_update().order_by("pk").values_list("pk", "weight"))
            if len(locked) < 2:
                return
            (base, _), others = locked[0], locked[1:]
            rows.filter(pk__in=[pk for pk, _ in others]).delete()
            rows.filter(pk=base).update(weight=F("weight") + sum(weight for _, weight in others))
    except DatabaseError:
        # Another writer held the database (SQLite); the rows stay, and so does the sum.
        logger.info("public revision not folded this time", exc_info=True)
