#!/usr/bin/env python
"""Where a live public page spends its time: queries, template, Python; and the edition's render rate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/page_profile.py \
        [--requests 200] [--issues 20] [--profile article]

Runs the home, issue, page and article views in-process through Django's test client (the
whole middleware stack, the production settings, no page cache and no rendered edition:
every request runs the view) over pages sampled across the archive, and prints per view:
statements per request, CPU milliseconds per request of this process (the target is 3 ms),
of which in template rendering, the rest (Python: middleware, view, ORM, the driver), the
wall time spent waiting on SQL, and the trivial view's CPU as a fraction of the page's. Each
view twice: "first", every request the first for its issue in this process (the issue memos
of reader/edition.py emptied before each), and "next", the sampled pages read in turn. The trivial view (/healthz) is measured alongside, so the figures can be read as
a ratio on a busy machine. Then the same pages kept: "stored" from the rendered edition
and "cached" from the page cache (the early answer of reader/middleware.py), against the
same trivial view. Then it renders --issues issues into the edition
(``reader.edition.render_issues``) and prints pages per second and statements per page
(target: 250 pages a second per core). ``--profile VIEW`` prints cProfile's top functions for
that view instead.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-page-profile-" + "x" * 40)
os.environ["PUBLIC_PAGE_CACHE"] = "0"
os.environ["PUBLIC_PAGE_STORE"] = "0"
os.environ["EDITION_RENDER_ON_CHANGE"] = "0"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template.backends.django import Template as DjangoTemplate  # noqa: E402
from django.template.backends.jinja2 import Template as JinjaTemplate  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from articles.models import Article  # noqa: E402
from issues.models import Issue, Page  # noqa: E402
from reader import edition  # noqa: E402


class Clock:
    """CPU seconds spent in template rendering and wall seconds waiting on SQL."""

    def __init__(self) -> None:
        self.template = 0.0
        self.sql = 0.0
        self.statements = 0

    def install(self) -> None:
        for backend in (DjangoTemplate, JinjaTemplate):
            self.time(backend)

    def time(self, backend) -> None:
        render = backend.render
        clock = self

        def timed_render(template, context=None, request=None):
            start = time.process_time()
            try:
                return render(template, context, request)
            finally:
                clock.template += time.process_time() - start

        backend.render = timed_render

    def sql_wrapper(self, execute, sql, params, many, context):
        self.statements += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += time.perf_counter() - start


def sample_urls(count: int) -> dict[str, list[str]]:
    issues = list(Issue.objects.visible().order_by("date").values_list("pk", flat=True))
    if not issues:
        raise SystemExit("page_profile: no published issue (load an archive with bench/load_archive.py)")
    rng = random.Random(7)  # noqa: S311 - sampling, not secrets
    chosen = rng.sample(issues, min(count, len(issues)))
    pages = Page.objects.filter(issue__in=chosen).select_related("issue")
    articles = Article.objects.filter(page__issue__in=chosen).select_related("page__issue").order_by("id")
    return {
        "trivial": ["/healthz"],
        "home": ["/"],
        "issue": [i.get_absolute_url() for i in Issue.objects.filter(pk__in=chosen)],
        "page": [p.get_absolute_url() for p in pages][:count],
        "article": [a.get_absolute_url() for a in articles[: count * 20 : 20]],
    }


def measure(
    client: Client, clock: Clock, urls: list[str], requests: int, cold: bool
) -> tuple[float, float, float, float]:
    """Per request: statements, CPU ms, template CPU ms, SQL wall ms. ``cold``: every request
    is its issue's first in this process (the issue memos emptied before each)."""
    forget = getattr(edition, "forget_issues", lambda: None) if cold else lambda: None
    for url in urls[:3]:
        client.get(url)  # warm the template cache and the connection
    clock.template = clock.sql = 0.0
    clock.statements = 0
    cpu = time.process_time()
    with connection.execute_wrapper(clock.sql_wrapper):
        for n in range(requests):
            forget()
            response = client.get(urls[n % len(urls)])
            assert response.status_code == 200, (urls[n % len(urls)], response.status_code)
    cpu = time.process_time() - cpu
    return (
        clock.statements / requests,
        cpu * 1000 / requests,
        clock.template * 1000 / requests,
        clock.sql * 1000 / requests,
    )


def profile(client: Client, urls: list[str], requests: int) -> None:
    for url in urls[:3]:
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(requests):
        client.get(urls[n % len(urls)])
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue())


def served(client: Client, clock: Clock, urls: dict[str, list[str]], requests: int, trivial: float) -> None:
    """What a kept page costs this process: from the rendered edition (every sampled page
    stored first) and from the page cache (every page asked once first), against the trivial
    view. In a transaction rolled back at the end, so the archive's edition is left as it was."""
    pages = urls["issue"] + urls["page"] + urls["article"]
    with transaction.atomic():
        for path in pages:
            edition.render_path(path)
        for mode, cached in (("stored", False), ("cached", True)):
            with override_settings(PUBLIC_PAGE_CACHE=cached, PUBLIC_PAGE_STORE=True):
                cache.clear()
                for path in pages:
                    client.get(path)
                queries, cpu, _, sql = measure(client, clock, pages, requests, cold=False)
            print(
                f"{mode:8} {'any':6} {len(pages):5d} {queries:8.1f} {cpu:7.2f} {0:9.2f} {sql:9.2f} {cpu:7.2f}"
                f" {trivial / cpu:10.3f}",
                flush=True,
            )
        transaction.set_rollback(True)


def memo_sizes(client: Client, issues: int) -> None:
    """What the process keeps of an issue read through (edition.MEMO_ISSUES and MEMO_ITEMS):
    bytes allocated and still held after reading its issue page and pages, then its items."""
    chosen = list(Issue.objects.visible().order_by("?")[:issues])
    paths = {
        "shared rows": [[i.get_absolute_url(), *(p.get_absolute_url() for p in i.pages.all())] for i in chosen],
        "items": [[a.get_absolute_url() for a in Article.objects.filter(page__issue=i)] for i in chosen],
    }
    edition.forget_issues()
    print(f"\nkept per process (up to {edition.MEMO_ISSUES} issues' shared rows, {edition.MEMO_ITEMS} items):")
    for name, groups in paths.items():
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for group in groups:
            for path in group:
                client.get(path)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        per = sum(len(g) for g in groups) if name == "items" else len(groups)
        print(
            f"  {name}: {held / per / 1024:.0f} KB an {'item (its issue’s reading order shared)' if name == 'items' else 'issue'}"
        )


def render_rate(issues: int) -> None:
    chosen = list(Issue.objects.visible().order_by("-date").values_list("pk", flat=True)[1 : issues + 1])
    clock = Clock()
    with transaction.atomic():
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(clock.sql_wrapper):
            pages = edition.render_issues(chosen)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        transaction.set_rollback(True)  # leave the archive's edition as it was
    print(
        f"\nrender_edition: {len(chosen)} issues, {pages} pages in {wall:.2f}s wall, {cpu:.2f}s CPU: "
        f"{pages / wall:.0f} pages/s wall, {pages / cpu:.0f} pages/s per core (target 250); "
        f"{clock.statements / max(pages, 1):.1f} statements a page"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200, help="requests per view")
    ap.add_argument("--issues", type=int, default=20, help="issues sampled, and rendered into the edition")
    ap.add_argument("--profile", choices=["trivial", "home", "issue", "page", "article"])
    args = ap.parse_args(argv)
    urls = sample_urls(args.issues)
    client = Client()
    with override_settings(PUBLIC_PAGE_CACHE=False, PUBLIC_PAGE_STORE=False):
        if args.profile:
            profile(client, urls[args.profile], args.requests)
            return 0
        clock = Clock()
        clock.install()
        print(f"{connection.vendor}, {Article.objects.count():,} items; {args.requests} requests per view, live")
        print(
            f"{'view':8} {'reader':6} {'urls':>5} {'queries':>8} {'CPU ms':>7} {'template':>9} {'SQL wait':>9}"
            f" {'python':>7} {'vs trivial':>10}"
        )
        trivial = None
        for name, group in urls.items():
            for cold in (True, False) if name != "trivial" else (False,):
                queries, cpu, template, sql = measure(client, clock, group, args.requests, cold)
                trivial = trivial or cpu
                print(
                    f"{name:8} {'first' if cold else 'next':6} {len(group):5d} {queries:8.1f} {cpu:7.2f} {template:9.2f}"
                    f" {sql:9.2f} {cpu - template:7.2f} {trivial / cpu:10.3f}",
                    flush=True,
                )
        served(client, clock, urls, args.requests * 3, trivial)
        memo_sizes(client, args.issues)
    render_rate(args.issues)
    return 0


if __name__ == "__main__":
    sys.exit(main())
