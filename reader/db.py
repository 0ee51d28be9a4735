"""One statement per request, with the connection's health check folded into it.

With ``CONN_HEALTH_CHECKS`` (newsroom/settings.py) Django sends ``SELECT 1`` before a request's
first statement on a reused connection, so that a connection the server dropped (a restart)
is replaced instead of failing the request. For the pages that cost one statement (a stored
page's lookup, the page cache's revision) that check is half the work. ``fetch_one`` makes
the statement its own check: on a connection not yet checked in this request it runs
unchecked, and if the connection turns out dead it is closed and the statement runs once
more on a new one: what the check would have done, one round trip fewer on every request.
Inside a transaction there is no check to fold and no retry (the statement just runs).
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError, connections


def fetch_one(alias: str, sql: str, params: list | tuple = ()) -> tuple | None:
    """The first row of ``sql`` on database ``alias`` (or None)."""
    connection = connections[alias]
    if (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True  # this statement is the check
        try:
            return _fetch(connection, sql, params)
        except (OperationalError, InterfaceError):
            connection.close()  # dropped by the server: the next cursor connects anew
    return _fetch(connection, sql, params)


def _fetch(connection, sql: str, params) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
