"""Public reads from a read replica, everything else from the primary.

When ``DATABASE_REPLICA_URL`` is set, ``ReplicaReadsMiddleware`` marks anonymous GET and
HEAD requests outside the admin; the router sends their reads to the ``replica`` alias.
Editors always read the primary, so they see their own writes at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if reading_from_replica.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_for(request):
            return self.get_response(request)


@contextmanager
def reads_for(request) -> Iterator[None]:
    """Route this request's reads by ``is_public_read`` while the block runs (also used by
    reader/middleware.py, whose early answer reads before this middleware's turn)."""
    token = reading_from_replica.set(is_public_read(request))
    try:
        yield
    finally:
        reading_from_replica.reset(token)


def is_public_read(request) -> bool:
    if request.method not in {"GET", "HEAD"} or request.path.startswith("/admin/"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated
