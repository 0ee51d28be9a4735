"""The database going away: readers get a 503 with Retry-After, and the app reconnects by
itself once the server is back (persistent connections with health checks).

bench/db_restart.py restarts a real PostgreSQL server under load; here the app's own
connection is killed from outside, between two requests through Django's WSGI handler
(the test client skips the request_started hook that runs the health check).
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, ProgrammingError, connection
from django.test import RequestFactory

from reader import statements
from tests.conftest import import_published

pytestmark = pytest.mark.django_db


def explode(exc):
    def view(*args, **kwargs):
        raise exc

    return view


def test_an_unreachable_database_answers_503_with_retry_after(client, monkeypatch, fresh_cache):
    monkeypatch.setattr(statements, "fetch_all", explode(OperationalError("server closed the connection")))
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "服务暂时不可用" in response.content.decode() and response["Cache-Control"] == "no-store"


def test_a_bug_is_still_a_500(monkeypatch, fresh_cache):
    from django.test import Client

    monkeypatch.setattr(statements, "fetch_all", explode(ProgrammingError("syntax error")))
    assert Client(raise_request_exception=False).get("/").status_code == 500


def serve(path: str) -> int:
    statuses = []
    environ = RequestFactory().get(path).environ
    WSGIHandler()(environ, lambda status, headers: statuses.append(int(status.split()[0])))
    return statuses[0]


def kill_our_connection() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.02)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.parametrize(("health_checks", "expected"), [(True, 200), (False, 503)])
def test_a_killed_connection_is_replaced_on_the_next_request(
    transactional_db, sample_bytes, workers_daily, fresh_cache, settings, health_checks, expected
):
    import_published(sample_bytes, "sample.txt")
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    settings.PUBLIC_PAGE_CACHE = False
    connection.close()  # the next connection reads the settings above
    try:
        assert serve("/") == 200
        kill_our_connection()
        assert serve("/") == expected
        assert serve("/") == 200, "a lost connection is never reused twice"
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
