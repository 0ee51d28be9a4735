"""After a retraction or a correction commits, no gunicorn worker serves the old page.

Real gunicorn with three workers on the default production settings (DEBUG off, the
per-process memory cache, the stored edition on), on a database of its own that this test
prepares: an SQLite file, or a PostgreSQL database beside the test database when the suite
runs on PostgreSQL. An editor's process (tests/reader/desk_process.py) makes the changes;
every worker's cache is warmed first, and the access log (with each worker's pid) shows the
requests were spread over all of them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.conftest import ROOT

WORKERS = 3
ISSUE = "/issues/2022-03-25/"
PAGE = "/issues/2022-03-25/pages/1/"
ITEM = "/issues/2022-03-25/pages/1/2/"
PATHS = (ISSUE, PAGE, ITEM)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """A database of the suite's kind that nothing else uses, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'workers.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_workers"
    server = {"host": params["HOST"] or None, "port": params["PORT"] or None, "user": params["USER"] or None}
    with psycopg.connect(dbname="postgres", password=params["PASSWORD"] or None, autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    with psycopg.connect(dbname="postgres", password=params["PASSWORD"] or None, autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DEBUG"}}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings", **extra)
    return env


@dataclass
class Site:
    base: str
    log: Path
    desk: subprocess.Popen

    def tell(self, command: str) -> None:
        """Have the editor's process make a change; returns once it has committed."""
        self.desk.stdin.write(command + "\n")
        self.desk.stdin.flush()
        answer = self.desk.stdout.readline().strip()
        assert answer == "ok " + command.split()[0], f"desk process: {answer!r}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def burst(self, paths: list[str]) -> list[tuple[str, int, str]]:
        """``paths`` requested six at a time, each on a connection of its own."""
        with ThreadPoolExecutor(6) as pool:
            return [(path, *answer) for path, answer in zip(paths, pool.map(self.get, paths), strict=True)]

    def served(self, since: int) -> list[tuple[str, str, str]]:
        """(worker pid, status, path) of the access log's lines from line ``since`` on."""
        lines = self.log.read_text().splitlines()[since:]
        return [tuple(line.split()) for line in lines if line.strip()]

    def log_length(self) -> int:
        return len(self.log.read_text().splitlines())


@pytest.fixture
def site(database_url, tmp_path) -> Iterator[Site]:
    port, log = free_port(), tmp_path / "access.log"
    env = production_env(
        database_url, GUNICORN_WORKERS=str(WORKERS), GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_MAX_REQUESTS="0"
    )
    desk = subprocess.Popen(
        [sys.executable, "-m", "tests.reader.desk_process"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    server = subprocess.Popen(
        [
            *(str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "newsroom/gunicorn.conf.py"),
            *("--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s"),
            "newsroom.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    running = Site(f"http://127.0.0.1:{port}", log, desk)
    try:
        running.tell("prepare")  # while gunicorn boots its workers
        deadline = time.monotonic() + 60
        while running.log_length() == 0 or not running.served(0)[-1][1] == "200":
            assert time.monotonic() < deadline, "gunicorn did not start"
            try:
                running.get("/healthz")
            except OSError:
                time.sleep(0.2)
        yield running
    finally:
        desk.stdin.close()
        desk.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def warm(site: Site) -> set[str]:
    """Request every page until each worker has served each page twice (so from its cache)."""
    since = site.log_length()
    for _ in range(20):
        site.burst([path for path in PATHS for _ in range(2 * WORKERS)])
        counts = Counter((pid, path) for pid, status, path in site.served(since) if status == "200")
        pids = {pid for pid, _ in counts}
        if len(pids) == WORKERS and all(counts[(pid, path)] >= 2 for pid in pids for path in PATHS):
            return pids
    pytest.fail(f"could not warm all {WORKERS} workers: {counts}")


def fifty(site: Site) -> tuple[list[tuple[str, int, str]], float, set[str]]:
    """Fifty requests over the three pages at once; their answers, seconds taken, workers."""
    since, start = site.log_length(), time.monotonic()
    answers = site.burst([PATHS[n % len(PATHS)] for n in range(50)])
    elapsed = time.monotonic() - start
    return answers, elapsed, {pid for pid, _, _ in site.served(since)}


def from_every_worker(site: Site) -> tuple[list[tuple[str, int, str]], float, set[str]]:
    """``fifty`` again until every worker has answered some (the kernel picks the worker that
    accepts; on a busy machine one may take none of a burst): every answer, the first burst's
    seconds, the workers."""
    answers, seconds, pids = fifty(site)
    for _ in range(10):
        if len(pids) == WORKERS:
            break
        more, _, more_pids = fifty(site)
        answers, pids = answers + more, pids | more_pids
    return answers, seconds, pids


def test_a_retraction_and_a_correction_reach_every_worker_at_once(site, capsys):
    warm(site)
    site.tell("retract")
    answers, retract_seconds, retract_pids = from_every_worker(site)
    stale = [(path, status) for path, status, _ in answers if status != 404]
    assert not stale, f"{len(stale)} of {len(answers)} requests still served the retracted issue: {stale[:5]}"
    assert len(retract_pids) == WORKERS, retract_pids
    retracted = len(answers)

    site.tell("publish")
    warm(site)
    site.tell("headline 更正后的标题")
    answers, correct_seconds, correct_pids = from_every_worker(site)
    old = [path for path, status, body in answers if status != 200 or "更正后的标题" not in body]
    assert not old, f"{len(old)} of {len(answers)} requests still showed the old headline: {old[:5]}"
    assert len(correct_pids) == WORKERS, correct_pids
    with capsys.disabled():
        print(
            f"\n{WORKERS} workers on {connection.vendor}: retraction, {retracted}/{retracted} answered 404 in {retract_seconds:.2f}s "
            f"from {len(retract_pids)} workers; correction, {len(answers)}/{len(answers)} showed it in {correct_seconds:.2f}s "
            f"from {len(correct_pids)} workers"
        )


def test_a_configuration_that_cannot_invalidate_across_processes_does_not_start(tmp_path):
    """SQLite in memory: each worker would have a database (and a revision) of its own."""
    env = production_env("sqlite://:memory:", GUNICORN_WORKERS="1", GUNICORN_BIND=f"127.0.0.1:{free_port()}")
    server = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert server.returncode != 0
    assert "refusing to serve: reader.E001" in server.stderr and "SQLite in memory" in server.stderr
