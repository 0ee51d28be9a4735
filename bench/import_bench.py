#!/usr/bin/env python
"""Import throughput: parse + segment, against jieba alone, on N issues' worth of text.

    .venv/bin/python bench/import_bench.py [--issues N] [--db]

The issues are the sample and the dev fixtures (../shared/fixtures/dev/*.txt, when present),
cycled up to N, each given its own date and serial number. The importer path is
``parse_issue`` plus ``segmentation.tokens`` on each item's text (what an import computes
before writing); with ``--db`` it is the whole ``do_import_issue`` into a throwaway SQLite
test database. jieba's ``lcut_for_search`` alone over the same text is timed in the same run,
so the ratio says what the importer costs on top of segmentation. Peak memory is measured
with tracemalloc for 10 issues and for N: a streaming import should not grow with N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "workers-daily-2022-03-25.txt"
DEV_FIXTURES = ROOT.parent / "shared" / "fixtures" / "dev"
PUBLICATIONS = {"WORKERS' DAILY": "工人日报", "WORKERS DAILY": "工人日报", "工人日报": "工人日报"}
MASTHEAD_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.*?第\s*\d+\s*期(?P<rest>.*)$", re.MULTILINE)
FIRST_DATE = dt.date(2000, 1, 1)


def source_texts() -> list[str]:
    from issues.importer.decoding import decode

    paths = [SAMPLE, *sorted(DEV_FIXTURES.glob("*.txt"))] if DEV_FIXTURES.is_dir() else [SAMPLE]
    return [decode(path.read_bytes())[0] for path in paths]


def make_issues(count: int) -> list[bytes]:
    """``count`` distinct issues: the sources cycled, each with its own masthead date and number."""
    from issues.importer.masthead import lunar_of

    sources = source_texts()
    issues = []
    for index in range(count):
        date = FIRST_DATE + dt.timedelta(days=index)
        weekday = "一二三四五六日"[date.weekday()]
        line = f"{date.year}年{date.month}月{date.day}日 星期{weekday} {lunar_of(date)} 第{30000 + index}期"
        text = MASTHEAD_LINE.sub(lambda m, line=line: line + m["rest"], sources[index % len(sources)], count=1)
        issues.append(text.encode("utf-8"))
    return issues


def item_text(item) -> str:
    parts = [item.kicker, item.headline, item.subheadline]
    parts += [p.text for p in item.paragraphs] + [photo.caption for photo in item.photos]
    return "\n".join(part for part in parts if part)


def parse_and_segment(data: bytes) -> int:
    """The importer's work for one issue without the database; returns its characters."""
    from articles import segmentation
    from issues.importer import parse_issue

    parse = parse_issue(data, publications=PUBLICATIONS)
    for _, item in parse.items():
        segmentation.tokens(item_text(item))
    return len(parse.text)


def import_into_db(data: bytes) -> int:
    from issues.importing import do_import_issue

    return len(do_import_issue(data, source_name="bench.txt").parse.text)


def jieba_only(text: str) -> None:
    import jieba

    jieba.lcut_for_search(text)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_bytes(run: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=100, metavar="N", help="issues to import (default 100)")
    parser.add_argument("--db", action="store_true", help="time do_import_issue into a throwaway SQLite database")
    args = parser.parse_args()
    if args.issues < 10:
        parser.error("--issues must be at least 10")

    sys.path.insert(0, str(ROOT))
    workdir = tempfile.TemporaryDirectory(prefix="newsroom-bench-")
    if args.db:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    import jieba
    from django.db import connection

    from articles import segmentation  # quiets jieba's logging before it loads

    if args.db:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        step = import_into_db
    else:
        step = parse_and_segment

    jieba.initialize()
    issues = make_issues(args.issues + 1)
    warmup, issues = issues[-1], issues[:-1]
    if args.db:
        from issues.importer import parse_issue

        texts = [parse_issue(data, publications=PUBLICATIONS).text for data in issues]
    else:
        texts = [data.decode("utf-8") for data in issues]
    chars = sum(len(text) for text in texts)
    step(warmup)  # first-call costs (imports, jieba's dictionary, regex caches) stay out of the timing

    importer_s = timed(lambda: [step(data) for data in issues])
    jieba_s = timed(lambda: [jieba_only(text) for text in texts])

    def fresh_db() -> None:
        if args.db:  # each memory run imports into an empty database
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    first_10 = issues[:10]
    fresh_db()
    peak_10 = peak_bytes(lambda: [step(data) for data in first_10])
    fresh_db()
    peak_n = peak_bytes(lambda: [step(data) for data in issues])
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    path = "do_import_issue (SQLite)" if args.db else "parse_issue + segmentation.tokens"
    engine = getattr(segmentation, "ENGINE", "jieba")
    print(f"{args.issues} issues, {chars:,} characters ({chars // args.issues:,} per issue), segmenter {engine}")
    print(f"importer  {path:34} {importer_s:7.2f} s  {chars / importer_s:12,.0f} chars/s")
    print(f"jieba     {'lcut_for_search alone':34} {jieba_s:7.2f} s  {chars / jieba_s:12,.0f} chars/s")
    print(f"ratio     importer time / jieba time: {importer_s / jieba_s:.2f}x")
    print(f"memory    peak traced: 10 issues {peak_10 / 2**20:.1f} MiB, {args.issues} issues {peak_n / 2**20:.1f} MiB")
    print(f"          max RSS of the process: {rss_kib / 1024:.0f} MiB")
    if args.db:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    workdir.cleanup()


if __name__ == "__main__":
    main()
