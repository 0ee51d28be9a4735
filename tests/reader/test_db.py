"""reader.db.fetch_one: the one statement of a stored or cached page is its own health check."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from reader.db import fetch_one

pytestmark = pytest.mark.django_db(transaction=True)


def start_of_request() -> None:
    """What Django does as a request starts: a reused connection is due for its check."""
    connection.ensure_connection()
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_enabled and not connection.health_check_done


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    calls: list[int] = []
    usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or usable())
    return calls


def test_the_statement_replaces_the_check(checks):
    start_of_request()
    assert fetch_one("default", "SELECT 41 + 1") == (42,)
    assert checks == [] and connection.health_check_done
    with connection.cursor() as cursor:  # the request's next statements: no check either
        cursor.execute("SELECT 1")
    assert checks == []


def test_a_plain_cursor_would_have_checked(checks):
    start_of_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert checks == [1]


def test_a_connection_the_server_dropped_is_replaced_and_the_statement_answers():
    if connection.vendor != "postgresql":
        pytest.skip("a dropped server connection is a client/server database's failure")
    start_of_request()
    dropped = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    connection.health_check_done = False
    # Another session ends this one, as a server restart would.
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert fetch_one("default", "SELECT 6 * 7") == (42,)
    assert connection.connection is not dropped
