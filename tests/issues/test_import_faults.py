"""Faults during import: an exception half-way, a SIGKILL mid-load, two importers at once.

Each leaves no partial issue, and running the same command again completes the work.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from articles import segmentation
from articles.models import Article
from issues import importing
from issues.importing import ImportOutcome, do_import_issue
from issues.models import Issue, Page
from tests.conftest import ROOT, SAMPLE, write_archive

PYTHON = sys.executable


class Boom(RuntimeError):
    pass


@pytest.mark.django_db
def test_exception_half_way_through_items_leaves_nothing(monkeypatch, sample_bytes):
    real = segmentation.keywords
    calls = {"n": 0}

    def failing(words, limit=8):
        calls["n"] += 1
        if calls["n"] == 4:  # the sample has 8 items
            raise Boom("injected")
        return real(words, limit)

    monkeypatch.setattr(segmentation, "keywords", failing)
    with pytest.raises(Boom):
        do_import_issue(sample_bytes, source_name=SAMPLE.name)
    assert (Issue.objects.count(), Page.objects.count(), Article.objects.count()) == (0, 0, 0)

    monkeypatch.setattr(segmentation, "keywords", real)
    assert do_import_issue(sample_bytes, source_name=SAMPLE.name).status == ImportOutcome.CREATED
    assert Article.objects.count() == 8


@pytest.mark.django_db
def test_exception_after_rows_were_written_rolls_them_back(monkeypatch, sample_bytes):
    monkeypatch.setattr(importing, "_link_continuations", lambda articles: (_ for _ in ()).throw(Boom("late")))
    with pytest.raises(Boom):
        do_import_issue(sample_bytes, source_name=SAMPLE.name)
    assert not Issue.objects.exists() and not Article.objects.exists()


def _manage(args, db_url, **kwargs):
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs
    )


def test_sigkill_during_a_load_leaves_only_whole_issues(tmp_path):
    folder = write_archive(tmp_path / "archive", 24)
    db = tmp_path / "kill.sqlite3"
    url = f"sqlite:///{db}"
    assert _manage(["migrate", "-v0"], url).wait(timeout=120) == 0
    proc = _manage(["import_issue", str(folder)], url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some issues are in, then kill mid-load
        time.sleep(0.2)
        with sqlite3.connect(db, timeout=30) as con:
            if con.execute("SELECT count(*) FROM issues_issue").fetchone()[0] >= 3:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    with sqlite3.connect(db, timeout=30) as con:
        done = con.execute("SELECT count(*) FROM issues_issue").fetchone()[0]
        partial = con.execute(
            "SELECT count(*) FROM issues_issue i WHERE page_count != "
            "(SELECT count(*) FROM issues_page p WHERE p.issue_id = i.id)"
        ).fetchone()[0]
        empty_pages = con.execute(
            "SELECT count(*) FROM issues_page p WHERE NOT EXISTS "
            "(SELECT 1 FROM articles_article a WHERE a.page_id = p.id)"
        ).fetchone()[0]
    assert 3 <= done < 24, "the kill should land mid-load"
    assert (partial, empty_pages) == (0, 0)

    rerun = _manage(["import_issue", str(folder)], url)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM issues_issue").fetchone()[0] == 24
    assert ImportOutcome.UNCHANGED.label.encode() in out


@pytest.mark.django_db(transaction=True)
def test_two_importers_of_one_file_at_once_make_one_issue(sample_bytes, workers_daily):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter (SQLite has one writer at a time)")

    def attempt(_):
        from django.db import connection as conn

        try:
            return do_import_issue(sample_bytes, source_name=SAMPLE.name).status
        except importing.ImportRefused as exc:
            return f"refused: {exc}"
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(attempt, range(2)))
    assert statuses == [ImportOutcome.CREATED, ImportOutcome.UNCHANGED]
    assert Issue.objects.count() == 1 and Article.objects.count() == 8
