"""What an editorial save tells the reader side: the page cache and the rendered edition."""

from __future__ import annotations

from reader import cache, edition


def connect() -> None:
    cache.connect_signals()
    edition.connect_signals()
