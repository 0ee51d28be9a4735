"""One statement per request, with the connection's health check folded into it.

With ``CONN_HEALTH_CHECKS`` (newsroom/settings.py) Django sends ``SELECT 1`` before a request's
first statement on a reused connection, so that a connection the server dropped (a restart)
is replaced instead of failing the request. For the pages that cost one statement (a stored
page's lookup, the page cache's revision) that check is half the work. ``fetch_one`` makes
the statement its own check: on a connection not yet checked in this request it runs
unchecked, and if the connection turns out dead it is closed and the statement runs once
more on a new one: what the check would have done, one round trip fewer on every request.
Inside a transaction there is no check to fold and no retry (the statement just runs).

On PostgreSQL these statements are also prepared, and run through libpq directly
(``PreparedCursor``): they run on every public request, where Django's client-side binding
cursor spends more of the process's time on them (quoting, psycopg's cursor machinery) than
the round trip itself, and the server parses and plans them each time. The cursor is
wrapped in Django's own ``CursorWrapper``, so statements are still logged, counted by
``assertNumQueries``, seen by ``execute_wrapper`` and raise Django's errors. A prepared
statement lives on its connection; a new connection prepares it again. A pooler between
the app and the server must keep prepared statements (PgBouncer 1.21+ with
``max_prepared_statements``), or set ``PREPARED_READS=0``.
"""

from __future__ import annotations

import hashlib
import re
import weakref

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer

_PLACEHOLDER = re.compile(r"%[s%]")  # a parameter, or an escaped percent sign


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
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _cursor(connection):
    """Django's cursor (logged, wrapped, its errors Django's), over a prepared one on PostgreSQL."""
    if connection.vendor != "postgresql" or not settings.PREPARED_READS:
        return connection.cursor()
    connection.validate_thread_sharing()
    connection.ensure_connection()
    raw = PreparedCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


class PreparedCursor:
    """Enough of a DB-API cursor for ``fetch_one``: each statement (``%s`` placeholders only)
    prepared on the connection the first time, then run with PQexecPrepared; parameters and
    the row go through psycopg's own adapters."""

    _names: dict[str, bytes] = {}  # statement -> its prepared name
    _connections: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # -> (names prepared, adapters)

    def __init__(self, connection) -> None:
        self.connection = connection
        self.row: tuple | None = None

    def execute(self, sql: str, params=()) -> None:
        pgconn = self.connection.pgconn
        name, transformer = self._prepared(pgconn, sql)
        values = transformer.dump_sequence(params, [PyFormat.TEXT] * len(params)) if params else None
        result = _checked(pgconn.exec_prepared(name, values), self.connection)
        transformer.set_pgresult(result)
        self.row = transformer.load_row(0, tuple) if result.ntuples else None

    def fetchone(self) -> tuple | None:
        return self.row

    def close(self) -> None:
        self.row = None

    def _prepared(self, pgconn, sql: str) -> tuple[bytes, Transformer]:
        kept = self._connections.get(self.connection)
        if kept is None:
            kept = self._connections[self.connection] = (set(), Transformer(self.connection))
        names, transformer = kept
        name = self._names.get(sql)
        if name is None:
            name = self._names[sql] = b"newsroom_" + hashlib.sha256(sql.encode()).hexdigest()[:16].encode()
        if name not in names:
            numbered = _numbered(sql)
            _checked(pgconn.prepare(name, numbered.encode()), self.connection)
            names.add(name)
        return name, transformer


def _numbered(sql: str) -> str:
    """``sql`` with PostgreSQL's numbered parameters ($1, $2...) for psycopg's ``%s``."""
    count = iter(range(1, 1 + sql.count("%s")))
    return _PLACEHOLDER.sub(lambda match: "%" if match.group() == "%%" else f"${next(count)}", sql)


def _checked(result, connection):
    """``result``, or the error psycopg's own cursor would raise for it (a lost connection is an
    OperationalError, so that ``fetch_one`` reconnects)."""
    if result.status in {pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK}:
        return result
    if connection.pgconn.status != pq.ConnStatus.OK:
        raise errors.OperationalError(connection.pgconn.get_error_message(connection.info.encoding))
    raise errors.error_from_result(result, encoding=connection.info.encoding)
