#!/usr/bin/env python
"""Peak memory and time of each sitemap request as the archive grows: it should stay flat.

    python bench/sitemap_bench.py                      # 4,000 items at most, measured at 3 sizes
    python bench/sitemap_bench.py --items 300000       # up to 300,000 items
    python bench/sitemap_bench.py --items 200000 --dense 60 --db /tmp/dense.sqlite3  # >50,000 URLs a month
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sitemap_bench python bench/sitemap_bench.py --items 1000000

Builds its archive in its own database (default: a SQLite file in the temporary folder,
``--db``; kept and grown between runs, never the project's ``db.sqlite3``): three generated
issues (bench/make_archive.py) go through the real importer and are published; further issues
are copies of theirs on the following days, items with their full text, written in bulk
(``--dense K``: each copy has K times the pages, to fill a month beyond the 50,000 URLs of
one file). Start a fresh ``--db`` for each ``--dense``.
At sizes N/9, N/3 and N it asks, with the page cache off, for the index, the site file, the
newest month's first file and the fullest month's first file, each three times, and prints
the peak traced Python memory (tracemalloc) and the best time of each request, its URL count,
size and query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("EDITION_RENDER_ON_CHANGE", "0")
DEFAULT_DB = Path(tempfile.gettempdir()) / "newsroom-sitemap-bench.sqlite3"


def configure(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=4000, help="the largest archive measured (items)")
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file, unless DATABASE_URL is set")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dense", type=int, default=1, help="copies hold this many times the seed's pages")
    args = ap.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{args.db.resolve()}")
    os.environ.setdefault("SECRET_KEY", "sitemap-bench-" + "x" * 50)
    return args


args = configure(None if __name__ == "__main__" else [])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402
from desk.workflow import publish_imported  # noqa: E402
from issues.importing import do_import_issue  # noqa: E402
from issues.models import Issue, Page  # noqa: E402
from reader import sitemaps  # noqa: E402

SEED_ISSUES = 3
BATCH = 50  # issues copied per transaction
COPIED = [f.name for f in Article._meta.concrete_fields if f.name not in {"id", "page", "continues"}]


def seed() -> None:
    """Three generated issues through the importer, published, when the database has none."""
    if Issue.objects.exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "make_archive.py"),
                str(SEED_ISSUES),
                folder,
                "--start",
                "2000-01-01",
            ],
            check=True,
            capture_output=True,
        )
        for path in sorted(Path(folder).glob("*.txt")):
            issue = do_import_issue(path.read_bytes(), source_name=path.name).issue
            publish_imported(issue, None, override=True, reason="基准测试数据", actor="bench/sitemap_bench.py")


def grow(target: int, dense: int) -> None:
    """Copy the seed issues onto the following days until the archive has ``target`` items."""
    seeds = list(Issue.objects.order_by("date")[:SEED_ISSUES])
    templates = [
        (
            issue,
            list(Page.objects.filter(issue=issue).order_by("number").values("number", "name", "header", "furniture")),
            list(Article.objects.filter(page__issue=issue).values("page__number", *COPIED)),
        )
        for issue in seeds
    ]
    count = Article.objects.count()
    last = Issue.objects.order_by("-date").values_list("date", flat=True).first()
    while count < target:
        first = last
        with transaction.atomic():
            for n in range(BATCH):
                issue, pages, items = templates[n % len(templates)]
                last += dt.timedelta(days=1)
                count += copy_issue(issue, pages, items, last, dense)
                if count >= target:
                    break
            # Published once written, as the importer's issues are: no item changed since.
            now = timezone.now()
            Issue.objects.filter(date__gt=first).update(published_at=now)
            Article.objects.filter(issue_date__gt=first).update(issue_published_at=now)
        print(f"  archive: {count:,} items up to {last}", flush=True)


def copy_issue(issue: Issue, pages: list[dict], items: list[dict], day: dt.date, dense: int) -> int:
    """A copy of ``issue`` on ``day``, its pages (and their items) repeated ``dense`` times."""
    copy = Issue.objects.create(
        publication_id=issue.publication_id,
        date=day,
        weekday=day.isoweekday(),
        status=Issue.Status.PUBLISHED,
        published_at=issue.published_at,
        raw_text=issue.raw_text,
        page_count=issue.page_count,
    )
    made = Page.objects.bulk_create(
        [Page(issue=copy, **{**page, "number": page["number"] + 100 * k}) for k in range(dense) for page in pages]
    )
    by_number = {page.number: page for page in made}
    rows = []
    for k in range(dense):
        for item in items:
            fields = {name: value for name, value in item.items() if name != "page__number"}
            fields.update(issue_date=day, issue_published_at=copy.published_at)
            rows.append(Article(page=by_number[item["page__number"] + 100 * k], **fields))
    Article.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def fullest_urls(month: dt.date) -> int:
    return next(m.urls for m in sitemaps.months() if m.month == month)


def fullest_month() -> dt.date:
    row = (
        Article.objects.annotate(month=TruncMonth("page__issue__date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    month = row["month"]
    return month.date() if isinstance(month, dt.datetime) else month


def measure(client: Client, path: str, runs: int) -> tuple[float, float, int, int, int]:
    """(peak MiB, best seconds, URLs, bytes, queries) of ``path``: memory traced in runs of
    their own, since tracing slows Python down several times."""
    peaks, times = [], []
    for _ in range(runs):
        connection.queries_log.clear()
        tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        count = len(queries)  # read now: the log is reset by the next request
        assert response.status_code == 200, path
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    body = response.content
    urls = body.count(b"<loc>")
    return max(peaks) / 2**20, min(times), urls, len(body), count


def main() -> int:
    call_command("migrate", interactive=False, verbosity=0)
    settings.PUBLIC_PAGE_CACHE = False  # every request builds its file
    seed()
    client = Client()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{'items':>9} {'request':26} {'URLs':>7} {'KiB':>7} {'queries':>7} {'peak MiB':>9} {'best ms':>8}")
    for size in sorted({max(1, args.items // 9), max(1, args.items // 3), args.items}):
        grow(size, args.dense)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # index-only scans need the visibility map
        items = Article.objects.count()
        newest = Issue.objects.order_by("-date").values_list("date", flat=True).first()
        fullest = fullest_month()
        paths = [
            ("/sitemap.xml", "index"),
            ("/sitemap-site.xml", "site"),
            (f"/sitemap-{newest:%Y-%m}.xml", f"newest month {newest:%Y-%m}"),
            (f"/sitemap-{fullest:%Y-%m}.xml", f"fullest month {fullest:%Y-%m}"),
        ]
        if fullest_urls(fullest) > sitemaps.LIMIT:
            paths.append((f"/sitemap-{fullest:%Y-%m}.xml?p=2", f"fullest month {fullest:%Y-%m} p=2"))
        for path, label in paths:
            peak, best, urls, size_bytes, queries = measure(client, path, args.runs)
            print(
                f"{items:>9,} {label:26} {urls:>7,} {size_bytes / 1024:>7.0f} {queries:>7} {peak:>9.2f} {best * 1000:>8.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
