"""A process's own bounded store: the least recently used entry goes first, threads share it.

The reader keeps a few things per process that a key makes safe to reuse (an issue's rows and
items at its revision, reader/edition.py; the issue row itself, reader/reading.py): a key that no
longer matches is simply never asked for again, and ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            return self._put(key, value)

    def get_or_put(self, key: Hashable, make: Callable[[], V]) -> V:
        """The entry under ``key``, made and kept first if there is none (under the lock)."""
        with self._lock:
            value = self._entries.get(key)
            return self._put(key, make() if value is None else value)

    def _put(self, key: Hashable, value: V) -> V:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
