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

Prints each phase's seconds and rate and the total against the target of 120 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
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


def import_one(path: str) -> tuple[int, int]:
    """(issue id, items) of one imported file."""
    from issues.importing import do_import_issue

    result = do_import_issue(Path(path).read_bytes(), source_name=Path(path).name)
    return result.issue.pk, result.item_count


def publish_many(issue_ids: list[int]) -> int:
    from desk.workflow import publish_imported
    from issues.models import Issue

    for issue in Issue.objects.filter(pk__in=issue_ids).order_by("date"):
        publish_imported(issue, None, override=True, reason="基准测试数据", actor="bench/year_bench.py")
    return len(issue_ids)


def render_many(issue_ids: list[int]) -> int:
    from reader import edition

    return edition.render_issues(issue_ids)


def chunks(ids: list[int], workers: int) -> list[list[int]]:
    """Interleaved, so that each worker gets old and new issues alike."""
    return [ids[k::workers] for k in range(workers)]


def phase(name: str, start: float, amount: str, timings: list) -> float:
    elapsed = time.perf_counter() - start
    timings.append((name, elapsed))
    print(f"{name:10} {elapsed:7.1f} s   {amount}", flush=True)
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
        with ProcessPoolExecutor(max_workers=args.workers, initializer=_setup) as pool:
            start = time.perf_counter()
            imported = list(pool.map(import_one, files, chunksize=4))
            ids = [pk for pk, _ in imported]
            items = sum(n for _, n in imported)
            start = phase(
                "import", start, f"{len(ids)} issues, {items:,} items, {chars / 1e6:.1f} M characters", timings
            )
            published = sum(pool.map(publish_many, chunks(ids, args.workers)))
            start = phase("publish", start, f"{published} issues", timings)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            connection.close()
            start = phase("analyze", start, "", timings)
            pages = sum(pool.map(render_many, chunks(ids, args.workers)))
            phase("edition", start, f"{pages:,} pages stored", timings)
    total = sum(t for _, t in timings)
    visible = Issue.objects.visible().count()
    print(
        f"{'total':10} {total:7.1f} s   target {TARGET:.0f} s: {'met' if total < TARGET else 'NOT met'}; "
        f"{visible} issues public, {Article.objects.count():,} items, {EditionPage.objects.count():,} stored pages"
    )
    connection.close()
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issues", type=int, default=300)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--items", type=int, default=5, help="about this many items per page")
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
