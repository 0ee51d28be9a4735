#!/usr/bin/env python
"""Search latency at archive scale, PostgreSQL only, over one or several archives side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/search_bench.py [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_10k python bench/search_bench.py \
        search_10k search_100k search_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/search_bench.py \
        --sizes 10000,100000

Load each archive first (bench/make_archive.py, bench/load_archive.py into its own database on
the same server; the names given are databases beside DATABASE_URL's). For each query class
(a rare word, a 1% word, a word in 40% and one in 90% of items, two words, a quoted phrase,
a person's name) and both orders, prints per archive p50/p95 of the whole search as the public
page runs it (candidates, ranking, facets, the ten hits with snippets) beside p50/p95 of the same
SQL statements replayed over a plain psycopg connection (every statement the search ran,
captured from the run), their ratio (the cost of Django and Python around the SQL: target
at most 2), the candidate SQL alone, the result count and the plan: the strategy chosen (gin or
walk) and the indexes its EXPLAIN shows, SEQ where it scans the items. A last table puts the
archives' p95 and plans side by side. Plants a rare word in 50 items the first time it runs.

``--sizes`` names archives by their number of items: each is the database
``<DATABASE_URL's name>_<size>`` on the same server, built the first time (created, migrated,
then about size / 37 issues written by bench/make_archive.py and loaded by
bench/load_archive.py: count about 4 minutes per 100,000 items on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles import search, segmentation  # noqa: E402
from articles.models import Article, Person  # noqa: E402
from reader.views.articles import run_search  # noqa: E402

RARE = "钛合金"


def plant_rare_word() -> None:
    ids = list(Article.objects.filter(id__in=range(7, 10_000_000, 20_000)).values_list("id", flat=True)[:50])
    if Article.objects.filter(id__in=ids, plain_text__contains=RARE).exists():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET search_text = search_text || ' ' || %s, plain_text = plain_text || %s "
            "WHERE id = ANY(%s)",
            [segmentation.search_text(RARE), RARE, ids],
        )


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


CLASSES = [
    ("rare word", RARE),
    ("1% word", "珐华"),
    ("40% word", "集体"),
    ("90% word", "工会"),
    ("two words", "心理 减压"),
    ("phrase", '"服务职工"'),
]


def use_database(name: str | None) -> str:
    """Point Django's connection at ``name`` (same server as DATABASE_URL); returns its URL."""
    url = os.environ["DATABASE_URL"]
    if name:
        connection.close()
        connection.settings_dict["NAME"] = name
        url = url.rsplit("/", 1)[0] + "/" + name
    cache.clear()  # estimates are cached per query, not per database
    return url


def plan_of(query: search.Query, raw) -> str:
    """The strategy and what the candidate statement's EXPLAIN uses, under its own settings."""
    plan = search.PostgresBackend().plan(query)
    with raw.transaction(), raw.cursor() as cur:
        for name, value in plan.settings.items():
            cur.execute("SELECT set_config(%s, %s, true)", [name, value])
        cur.execute("EXPLAIN " + plan.sql, plan.params)
        text = " ".join(row[0] for row in cur.fetchall())
    uses = [label for index, label in INDEXES.items() if index in text]
    if "Seq Scan on articles_article" in text:
        uses.append("SEQ")
    return f"{plan.strategy}:{'+'.join(uses)}"


INDEXES = {"article_search_date": "gin", "article_search_vector": "gin", "article_newest_first": "date"}


def measure(runs: int, url: str) -> tuple[int, list[tuple[str, str, str, float, float, str]]]:
    """Per query class and order: (class, order, hits, p50, p95, plan), printing each line."""
    total = Article.objects.count()
    if total < 1000:
        print(f"search_bench: skipped, only {total} items (load an archive with bench/load_archive.py)")
        return total, []
    plant_rare_word()
    name = Person.objects.order_by("-id").values_list("name", flat=True).first() or "毛浓曦"
    raw = psycopg.connect(url, autocommit=True)
    print(f"\n{connection.settings_dict['NAME']}: {total:,} items; {runs} runs per line; times in ms")
    print(
        f"{'query':13} {'order':9} {'hits':>6} {'p50':>7} {'p95':>7} {'sql p50':>8} {'sql p95':>8} {'ratio':>6}"
        f" {'cand.':>6}  plan"
    )
    lines = []
    for label, text in [*CLASSES, ("person name", name)]:
        for order in ("newest", "relevance"):
            params = QueryDict(mutable=True)
            params.update({"q": text, "order": order})
            query = search.Query(text, order=order)
            uses = plan_of(query, raw)
            full, replayed, alone = [], [], []
            for run in range(runs + 2):
                connection.queries_log.clear()  # a capture reads past its 9,000-statement log
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    results, _, _, hits = run_search(params)
                elapsed = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                with raw.cursor() as cur:
                    for statement in captured.captured_queries:
                        if statement["sql"].startswith(("SAVEPOINT", "RELEASE")):
                            continue
                        cur.execute(statement["sql"])
                        if cur.description:
                            cur.fetchall()
                replay = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                search.PostgresBackend().candidates(query)
                candidate = (time.perf_counter() - start) * 1000
                if run >= 2:
                    full.append(elapsed)
                    replayed.append(replay)
                    alone.append(candidate)
            p95 = percentile(full, 0.95)
            ratio = statistics.median(full) / max(statistics.median(replayed), 0.001)
            print(
                f"{label:13} {order:9} {results.total_display:>6} {statistics.median(full):7.1f} {p95:7.1f} "
                f"{statistics.median(replayed):8.1f} {percentile(replayed, 0.95):8.1f} {ratio:6.2f} "
                f"{statistics.median(alone):6.1f}  {uses}",
                flush=True,
            )
            lines.append((label, order, results.total_display, statistics.median(full), p95, uses))
    raw.close()
    return total, lines


ITEMS_PER_ISSUE = 37  # what bench/make_archive.py writes on average


def sized_archive(size: int) -> str:
    """The database of an archive of about ``size`` items, built when it is missing."""
    url = os.environ["DATABASE_URL"]
    base, _, name = url.rpartition("/")
    database = f"{name}_{size}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            with psycopg.connect(f"{base}/{database}") as archive:
                loaded = archive.execute("SELECT count(*) FROM articles_article").fetchone()[0]
            if loaded >= size * 0.9:
                return database
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    env = {**os.environ, "DATABASE_URL": f"{base}/{database}"}
    issues = max(1, round(size / ITEMS_PER_ISSUE))
    print(f"building {database}: {issues} issues (about {size:,} items)", flush=True)
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        for command in (
            [python, "manage.py", "migrate", "-v0"],
            [python, "bench/make_archive.py", str(issues), folder],
            [python, "bench/load_archive.py", folder],
        ):
            subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return database


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--sizes", default="", help="archives by item count, e.g. 10000,100000 (built when missing)")
    ap.add_argument("databases", nargs="*", help="archives to compare (default: DATABASE_URL's)")
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("search_bench: skipped, it measures PostgreSQL (set DATABASE_URL to a loaded archive)")
        return 0
    sized = [sized_archive(int(size)) for size in args.sizes.split(",") if size.strip()]
    archives = []
    for name in [*sized, *args.databases] or [None]:
        url = use_database(name)
        total, lines = measure(args.runs, url)
        if lines:
            archives.append((total, lines))
    if not archives:
        return 0
    print("\np95 in ms and plan per archive (strategy:indexes)")
    print(f"{'query':13} {'order':9}" + "".join(f" {f'{total:,} items':>28}" for total, _ in archives))
    for row, (label, order, *_rest) in enumerate(archives[0][1]):
        cells = "".join(f" {lines[row][4]:7.1f} {lines[row][5]:>20}" for _, lines in archives)
        print(f"{label:13} {order:9}{cells}")
    worst = max(line[4] for _, lines in archives for line in lines)
    print(f"worst p95 {worst:.1f} ms (target < 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
