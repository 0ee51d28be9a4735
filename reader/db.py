"""Reads on the prepared cursor, with the connection's health check folded into it.

With ``CONN_HEALTH_CHECKS`` (newsroom/settings.py) Django sends ``SELECT 1`` before a request's
first statement on a reused connection, so that a connection the server dropped (a restart)
is replaced instead of failing the request. For the pages that cost one statement (a stored
page's lookup, the page cache's revision) that check is half the work. ``fetch_one`` makes
the statement its own check: on a connection not yet checked in this request it runs
unchecked, and if the connection turns out dead it is closed and the statement runs once
more on a new one: what the check would have done, one round trip fewer on every request.
Inside a transaction there is no check to fold and no retry (the statement just runs).

On PostgreSQL these statements are also prepared (``PreparedCursor``, psycopg's own
prepared statements): the server would otherwise parse and plan each of them every time
(Django turns psycopg's preparing off, for poolers' sake), and planning the stored page's lookup
costs it four times what running it does (about 250 µs of the server's CPU a request
unprepared, 115 prepared, measured under load). The cursor is wrapped in Django's own
``CursorWrapper``, so statements are still logged, counted by ``assertNumQueries``, seen by
``execute_wrapper`` and raise Django's errors. A prepared statement lives on its
connection; a new connection prepares it again, and psycopg forgets them when a rollback
or ``DISCARD ALL`` drops them. A pooler between the app and the server must keep prepared
statements (PgBouncer 1.21+ with ``max_prepared_statements``), or set ``PREPARED_READS=0``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

NEVER = sys.maxsize  # executions before psycopg prepares a statement by itself


def fetch_one(alias: str, sql: str, params: list | tuple = ()) -> tuple | None:
    """The first row of ``sql`` on database ``alias`` (or None)."""
    return _checked(alias, sql, params, lambda cursor: cursor.fetchone())


def fetch_all(alias: str, sql: str, params: list | tuple = ()) -> list[tuple]:
    """Every row of ``sql`` on database ``alias``."""
    return _checked(alias, sql, params, lambda cursor: cursor.fetchall())


def _checked(alias: str, sql: str, params, fetch: Callable):
    connection = connections[alias]
    if (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True  # this statement is the check
        try:
            return _fetch(connection, sql, params, fetch)
        except (OperationalError, InterfaceError):
            if connection.is_usable():
                raise  # the statement failed (a timeout, say), not the connection
            connection.close()  # dropped by the server: the next cursor connects anew
    return _fetch(connection, sql, params, fetch)


def _fetch(connection, sql: str, params, fetch: Callable):
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        return fetch(cursor)


class PreparedCursor(psycopg.Cursor):
    """Server-side binding, each statement prepared on its connection the first time it runs
    (psycopg keeps track of them, and forgets them when the connection does)."""

    def execute(self, query, params=None, *, prepare: bool | None = None, binary: bool | None = None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


def _cursor(connection):
    """Django's cursor (logged, wrapped, its errors Django's), over a prepared one on PostgreSQL."""
    if connection.vendor != "postgresql" or not settings.PREPARED_READS:
        return connection.cursor()
    connection.validate_thread_sharing()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which also ignores ``prepare=True``; a
        # threshold never reached keeps it off for every other statement and honours ours.
        connection.connection.prepare_threshold = NEVER
    raw = PreparedCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
