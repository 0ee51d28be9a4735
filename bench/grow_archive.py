#!/usr/bin/env python
"""Grow a loaded archive tenfold (or --times N) inside PostgreSQL, for search at 1M items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/grow_archive.py \
        SOURCE TARGET [--times 10]

Loading a million items through the importer takes about 40 minutes on 2 cores
(bench/load_archive.py); the search bench needs only their rows. This copies database SOURCE
(an archive bench/load_archive.py loaded, e.g. bench/search_bench.py's ``<name>_100000``) to
TARGET on the same server and adds N - 1 copies of its issues, pages, items, credits, photos and
flags, each under dates shifted past the previous copy's (and serial numbers likewise), with
their search columns copied as they are: every word keeps its share of the items, the dates
spread N times as far. Then it rebuilds the item indexes and runs ANALYZE. Prints each step's
time. TARGET is dropped first if it exists.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import psycopg
from psycopg import sql

# Per table: how each copied column changes in copy k (the rest are copied as they are).
# {k} is the copy's number, {ids[t]} the largest id of table t in SOURCE, {days} the span of
# SOURCE's dates in days, {numbers} its largest serial number.
SHIFTS = {
    "issues_issue": {
        "id": "id + {k} * {ids[issues_issue]}",
        "date": "date + {k} * {days}",
        "number": "number + {k} * {numbers}",
    },
    "issues_page": {"id": "id + {k} * {ids[issues_page]}", "issue_id": "issue_id + {k} * {ids[issues_issue]}"},
    "articles_article": {
        "id": "id + {k} * {ids[articles_article]}",
        "page_id": "page_id + {k} * {ids[issues_page]}",
        "continues_id": "continues_id + {k} * {ids[articles_article]}",
        "issue_date": "issue_date + {k} * {days}",
    },
    "articles_credit": {
        "id": "id + {k} * {ids[articles_credit]}",
        "article_id": "article_id + {k} * {ids[articles_article]}",
    },
    "articles_photo": {
        "id": "id + {k} * {ids[articles_photo]}",
        "article_id": "article_id + {k} * {ids[articles_article]}",
    },
    "articles_articleflag": {
        "id": "id + {k} * {ids[articles_articleflag]}",
        "article_id": "article_id + {k} * {ids[articles_article]}",
    },
}


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label}: {now - started:.1f}s", flush=True)
    return now


def copy_database(base: str, source: str, target: str) -> None:
    if target == source or target in {"postgres", "template0", "template1"}:
        raise SystemExit(f"grow_archive: refusing to replace {target!r} (give a new database name)")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source)))


def columns(db: psycopg.Connection, table: str) -> list[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    return [name for (name,) in rows]


def item_indexes(db: psycopg.Connection) -> list[tuple[str, str]]:
    """(name, definition) of the item table's indexes that are not constraints."""
    return db.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article' AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = 'articles_article'::regclass)"
    ).fetchall()


def grow(db: psycopg.Connection, times: int) -> None:
    started = time.perf_counter()
    ids = {table: db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0] for table in SHIFTS}  # noqa: S608
    first, last, numbers = db.execute(
        "SELECT MIN(date), MAX(date), COALESCE(MAX(number), 0) FROM issues_issue"
    ).fetchone()
    days = (last - first).days + 1
    indexes = item_indexes(db)
    for name, _ in indexes:
        db.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    # No triggers (the search vector is copied, not computed again) and no foreign-key checks
    # row by row: the copies point at rows copied under the same shifts.
    db.execute("SET session_replication_role = replica")
    for k in range(1, times):
        for table, shifts in SHIFTS.items():
            names = columns(db, table)
            values = [shifts.get(n, n).format(k=k, ids=ids, days=days, numbers=numbers) for n in names]
            db.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table} WHERE id <= %s",  # noqa: S608
                [ids[table]],
            )
        db.commit()
        started = step(f"copy {k}", started)
    db.execute("SET session_replication_role = DEFAULT")
    for table in SHIFTS:
        db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
    db.execute("SET maintenance_work_mem = '1GB'")
    for name, definition in indexes:
        db.execute(definition)
        db.commit()
        started = step(f"index {name}", started)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source")
    ap.add_argument("target")
    ap.add_argument("--times", type=int, default=10)
    args = ap.parse_args(argv)
    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    started = time.perf_counter()
    copy_database(base, args.source, args.target)
    started = step(f"copied {args.source} to {args.target}", started)
    with psycopg.connect(f"{base}/{args.target}") as db:
        grow(db, args.times)
        count = db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0]
    with psycopg.connect(f"{base}/{args.target}", autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
    step(f"{count:,} items; vacuumed and analyzed", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
