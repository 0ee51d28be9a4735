"""reader.db.fetch_one: the one statement of a stored or cached page is its own health check."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import DataError, OperationalError, ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def prepared_only() -> None:
    if connection.vendor != "postgresql" or not django_settings.PREPARED_READS:
        pytest.skip("statements are prepared on PostgreSQL only, with PREPARED_READS")


def prepared(statement: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [statement])
        return cursor.fetchone()[0]


def test_a_prepared_statement_answers_what_djangos_cursor_does(settings):
    prepared_only()
    sql = "SELECT %s::int + 1, %s::text, %s::timestamptz, NULL::text, true, '100%%', 2.5::numeric, %s"
    params = [41, "引题 'quoted'", timezone.now(), 7]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchone()
    assert fetch_one("default", sql, params) == expected
    assert expected[0] == 42 and expected[5] == "100%" and expected[7] == 7
    settings.PREPARED_READS = False
    assert fetch_one("default", sql, params) == expected


def test_a_statement_is_prepared_once_per_connection_and_again_on_a_new_one(settings):
    prepared_only()
    sql = "SELECT %s::int * 2 AS twice"
    assert [fetch_one("default", sql, [n]) for n in (1, 2, 3)] == [(2,), (4,), (6,)]
    assert prepared("SELECT $1::int * 2 AS twice") == 1
    connection.close()
    assert fetch_one("default", sql, [5]) == (10,)
    assert prepared("SELECT $1::int * 2 AS twice") == 1, "prepared again on the new connection"
    settings.PREPARED_READS = False
    connection.close()
    assert fetch_one("default", sql, [5]) == (10,)
    assert prepared("SELECT $1::int * 2 AS twice") == 0


def test_statements_dropped_under_psycopg_are_prepared_again():
    prepared_only()
    sql = "SELECT %s::int + 2 AS more"
    assert fetch_one("default", sql, [1]) == (3,)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert fetch_one("default", sql, [2]) == (4,)
    with pytest.raises(DataError), transaction.atomic():
        fetch_one("default", "SELECT 1 / %s::int", [0])
    assert fetch_one("default", sql, [3]) == (5,), "after a rollback too"


def test_a_prepared_statement_is_logged_and_raises_djangos_errors():
    prepared_only()
    with CaptureQueriesContext(connection) as captured:
        fetch_one("default", "SELECT %s::int", [7])
    assert len(captured) == 1 and "7" in captured[0]["sql"]
    with pytest.raises(DataError):
        fetch_one("default", "SELECT 1 / %s::int", [0])
    with pytest.raises(ProgrammingError):
        fetch_one("default", "SELECT no_such_column FROM issues_issue")
    assert fetch_one("default", "SELECT 1") == (1,), "the connection is still usable"


def test_a_prepared_statement_runs_in_the_callers_transaction():
    prepared_only()
    with transaction.atomic():
        first = fetch_one("default", "SELECT now()")
        assert connection.connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
        assert fetch_one("default", "SELECT now()") == first, "one transaction, one now()"


def test_a_statement_that_fails_on_a_live_connection_is_not_run_again():
    """Only a dropped connection earns a second run: a statement's own failure (here a
    timeout, or a missing table on SQLite) is raised at once."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 50")
    connection.health_check_done = False
    runs = []
    try:
        with connection.execute_wrapper(lambda execute, *args: runs.append(1) or execute(*args)):
            with pytest.raises(OperationalError):
                fetch_one("default", "SELECT pg_sleep(1)" if postgres else "SELECT * FROM no_such_table")
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
    assert runs == [1]
