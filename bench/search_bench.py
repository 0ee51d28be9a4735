#!/usr/bin/env python
"""Search latency at archive scale, PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/search_bench.py [--runs 30]

Load the archive first (bench/make_archive.py, bench/load_archive.py). For each query class
(a rare word, a 1% word, a word in 40% and one in 90% of items, two words, a quoted phrase,
a person's name) and both orders, prints p50/p95 of the whole search as the public page runs
it (candidates, ranking, facets, the ten hits with snippets) beside p50/p95 of the same
SQL statements replayed over a plain psycopg connection (every statement the search ran,
captured from the run), their ratio (the cost of Django and Python around the SQL: target
at most 2), the candidate SQL alone, the result count and whether the plan used an index.
Plants a rare word in 50 items the first time it runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("search_bench: skipped, it measures PostgreSQL (set DATABASE_URL to a loaded archive)")
        return 0
    total = Article.objects.count()
    if total < 1000:
        print(f"search_bench: skipped, only {total} items (load an archive with bench/load_archive.py)")
        return 0
    plant_rare_word()
    name = Person.objects.order_by("-id").values_list("name", flat=True).first() or "毛浓曦"
    classes = [
        ("rare word", RARE),
        ("1% word", "珐华"),
        ("40% word", "集体"),
        ("90% word", "工会"),
        ("two words", "心理 减压"),
        ("phrase", '"服务职工"'),
        ("person name", name),
    ]
    raw = psycopg.connect(connection.settings_dict["NAME"] and os.environ["DATABASE_URL"], autocommit=True)
    backend = search.PostgresBackend()
    print(f"{total:,} items; {args.runs} runs per line; times in ms")
    print(
        f"{'query':13} {'order':9} {'hits':>6} {'p50':>7} {'p95':>7} {'sql p50':>8} {'sql p95':>8} {'ratio':>6}"
        f" {'cand.':>6}  plan"
    )
    worst = worst_ratio = 0.0
    for label, text in classes:
        for order in ("newest", "relevance"):
            params = QueryDict(mutable=True)
            params.update({"q": text, "order": order})
            query = search.Query(text, order=order)
            sql, sql_params = backend.plan(query)
            with raw.cursor() as cur:
                cur.execute("EXPLAIN " + sql, sql_params)
                plan = " ".join(row[0] for row in cur.fetchall())
            uses = (
                "gin" if "article_search_vector" in plan else "date index" if "article_newest_first" in plan else "seq?"
            )
            full, replayed, alone = [], [], []
            for run in range(args.runs + 2):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    results, _, _, hits = run_search(params)
                elapsed = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                with raw.cursor() as cur:
                    for statement in captured.captured_queries:
                        cur.execute(statement["sql"])
                        if cur.description:
                            cur.fetchall()
                replay = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                with raw.cursor() as cur:
                    cur.execute(sql, sql_params)
                    cur.fetchall()
                candidate = (time.perf_counter() - start) * 1000
                if run >= 2:
                    full.append(elapsed)
                    replayed.append(replay)
                    alone.append(candidate)
            p95 = percentile(full, 0.95)
            worst = max(worst, p95)
            ratio = statistics.median(full) / max(statistics.median(replayed), 0.001)
            worst_ratio = max(worst_ratio, ratio)
            print(
                f"{label:13} {order:9} {results.total_display:>6} {statistics.median(full):7.1f} {p95:7.1f} "
                f"{statistics.median(replayed):8.1f} {percentile(replayed, 0.95):8.1f} {ratio:6.2f} "
                f"{statistics.median(alone):6.1f}  {uses}"
            )
    print(f"worst p95 {worst:.1f} ms (target < 200 ms); worst ratio to the raw SQL {worst_ratio:.2f} (target <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
