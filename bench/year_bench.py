#!/usr/bin/env python
"""A year of the paper in two minutes: 300 issues of 8 pages imported, indexed, published and
stored as the rendered edition, on a database of its own. PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/year_bench.py \
        [--issues 300] [--pages 8] [--workers 2] [--keep]

Writes the raw issues the way bench/make_archive.py does (the sample's sentences recombined,
every page full), then on a fresh database ``<DATABASE_URL's name>_year`` (created and migrated
first, not timed; dropped afterwards unless --keep) runs and times each phase over --workers
processes:

1. import: ``do_import_issue`` per file (parse, items, credits, flags, the segmented search
   text and its index entries), one transaction per issue;
2. publish: ``publish_imported`` per issue through the workflow (the overriding path the
   command line takes), as a bulk load does, without queueing a render per issue;
3. analyze: fresh planner statistics;
4. edition: ``render_issues`` over every issue: its issue page, pages and items stored
   (``EditionPage`` rows), home too.

Prints each phase's seconds and rate and the total against the target of 120 s, and the CPU
seconds each phase cost: the workers' own (process time, summed over them) and their database
server processes' (read from /proc, so only when the server runs on this machine). On a shared
machine the wall time follows the load; the CPU seconds do not, so compare those between runs.

The default pages carry about 6 items each (make_archive's generator, 4 to 8 at random), some
10 M characters in 300 issues, about what a year of an 8-page daily prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-year-" + "x" * 40)
os.environ["EDITION_RENDER_ON_CHANGE"] = "0"  # a bulk load renders once, at the end
os.environ["PUBLIC_PAGE_STORE"] = "1"

import make_archive  # noqa: E402

TARGET = 120.0


def write_issues(folder: Path, issues: int, pages: int, items: int) -> int:
    """The raw files (make_archive's generator, every issue ``pages`` pages); their characters."""
    corpus = make_archive.Corpus(make_archive.SAMPLE.read_bytes())
    rng = random.Random(1)  # noqa: S311 - test data, not secrets
    total = 0
    start = dt.date(2022, 1, 1)
    for i in range(issues):
        date = start + dt.timedelta(days=i)
        text = make_archive.issue_text(corpus, rng, date, 21000 + i, items, pages)
        (folder / f"workers-daily-{date.isoformat()}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def fresh_database(url: str) -> str:
    """Create (again) the bench's own database beside ``url``'s; returns its URL."""
    base, _, name = url.rpartition("/")
    year = f"{name.split('?')[0]}_year"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{year}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{year}"')
    return f"{base}/{year}"


def drop_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup() -> None:
    import django

    django.setup()


def cpu_now() -> tuple[float, float]:
    """(CPU seconds of this process, of its database connection's server process so far).

    The server's is read from /proc, so it is 0 when the server runs on another machine."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        server = 0.0
    return time.process_time(), server


def metered(task: Callable) -> Callable:
    """``task`` returning (its result, its process CPU seconds, its server process's)."""

    @functools.wraps(task)
    def run(*args):
        client, server = cpu_now()
        result = task(*args)
        client_after, server_after = cpu_now()
        return result, client_after - client, server_after - server

    return run


@metered
def import_one(path: str) -> tuple[int, int]:
    """(issue id, items) of one imported file."""
    from issues.importing import do_import_issue

    result = do_import_issue(Path(path).read_bytes(), source_name=Path(path).name)
    return result.issue.pk, result.item_count


@metered
def publish_many(issue_ids: list[int]) -> int:
    from desk.workflow import publish_imported
    from issues.models import Issue

    for issue in Issue.objects.filter(pk__in=issue_ids).order_by("date"):
        publish_imported(issue, None, override=True, reason="基准测试数据", actor="bench/year_bench.py")
    return len(issue_ids)


@metered
def render_many(issue_ids: list[int]) -> int:
    from reader import edition

    return edition.render_issues(issue_ids)


@metered
def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def results(metered_runs: list[tuple]) -> tuple[list, float, float]:
    """The results of ``metered`` runs, and their CPU seconds summed (process, server)."""
    return [r for r, _, _ in metered_runs], sum(c for _, c, _ in metered_runs), sum(s for _, _, s in metered_runs)


def chunks(ids: list[int], workers: int) -> list[list[int]]:
    """Interleaved, so that each worker gets old and new issues alike."""
    return [ids[k::workers] for k in range(workers)]


def phase(name: str, start: float, amount: str, timings: list, cpu: tuple[float, float]) -> float:
    """Print one phase's line (wall seconds, CPU seconds of the workers and of the server)."""
    elapsed = time.perf_counter() - start
    timings.append((name, elapsed, *cpu))
    print(f"{name:10} {elapsed:7.1f} s  {cpu[0]:7.1f} {cpu[1]:7.1f} {sum(cpu):7.1f}   {amount}", flush=True)
    return time.perf_counter()


def run(args, url: str) -> float:
    os.environ["DATABASE_URL"] = url
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from issues.models import EditionPage, Issue

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"{'(migrate)':10} {time.perf_counter() - start:7.1f} s   not counted", flush=True)
    timings: list = []
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        chars = write_issues(Path(folder), args.issues, args.pages, args.items)
        print(f"{'(write)':10} {time.perf_counter() - start:7.1f} s   {chars:,} characters, not counted", flush=True)
        files = sorted(str(p) for p in Path(folder).glob("*.txt"))
        connection.close()
        print(f"{'phase':10} {'wall':>7}    {'workers':>7} {'server':>7} {'CPU s':>7}")
        with ProcessPoolExecutor(max_workers=args.workers, initializer=_setup) as pool:
            start = time.perf_counter()
            imported, *cpu = results(list(pool.map(import_one, files, chunksize=4)))
            ids = [pk for pk, _ in imported]
            items = sum(n for _, n in imported)
            amount = f"{len(ids)} issues, {items:,} items, {chars / 1e6:.1f} M characters"
            start = phase("import", start, amount, timings, cpu)
            published, *cpu = results(list(pool.map(publish_many, chunks(ids, args.workers))))
            start = phase("publish", start, f"{sum(published)} issues", timings, cpu)
            _, *cpu = results([analyze()])
            connection.close()
            start = phase("analyze", start, "", timings, cpu)
            pages, *cpu = results(list(pool.map(render_many, chunks(ids, args.workers))))
            phase("edition", start, f"{sum(pages):,} pages stored", timings, cpu)
    total = sum(t for _, t, _, _ in timings)
    client, server = sum(c for *_, c, _ in timings), sum(s for *_, s in timings)
    visible = Issue.objects.visible().count()
    print(
        f"{'total':10} {total:7.1f} s  {client:7.1f} {server:7.1f} {client + server:7.1f}   "
        f"target {TARGET:.0f} s: {'met' if total < TARGET else 'NOT met'}; "
        f"{visible} issues public, {Article.objects.count():,} items, {EditionPage.objects.count():,} stored pages"
    )
    connection.close()
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issues", type=int, default=300)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--items", type=int, default=6, help="about this many items per page (6: ~10 M characters)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", action="store_true", help="keep the bench's database afterwards")
    args = ap.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("year_bench: skipped, it measures PostgreSQL (set DATABASE_URL to a server it may add a database to)")
        return 0
    year = fresh_database(url)
    print(f"{args.issues} issues x {args.pages} pages, {args.workers} workers, database {year.rpartition('/')[2]}")
    try:
        run(args, year)
    finally:
        if not args.keep:
            drop_database(year)
    return 0


if __name__ == "__main__":
    sys.exit(main())
