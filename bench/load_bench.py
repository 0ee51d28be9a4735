#!/usr/bin/env python
"""Public pages under load: gunicorn (2 x cores workers) and wrk on loopback.

    DATABASE_URL=... python bench/load_bench.py [--seconds 10] [--connections 16]

For the home, issue, page, article and search pages and for the trivial /healthz view,
served by the same gunicorn in the same run, prints requests per second, p99 latency and
errors, and each page's throughput as a ratio of the trivial view's, measured right before
that row (targets: 0.15 live, 0.5 stored, 0.9 cached); then the server's CPU per request in
µs, gunicorn's workers ("app") and PostgreSQL's backends ("db") read from /proc, and the
trivial view's CPU per request as a ratio of the page's ("CPU vs"): on a shared machine the
rates drift with its load, the CPU a request costs much less. In three set-ups:

- live: no page cache, no rendered edition: every request runs the view (PUBLIC_PAGE_CACHE=0,
  PUBLIC_PAGE_STORE=0);
- edition: no page cache; pages come from the rendered edition (run
  `manage.py render_edition --stale` first; the run says how many sampled pages were
  rendered beforehand, and does not warm anything up);
- cached: the page cache on top, after every page was asked often enough that each worker's
  own memory cache holds it.

``--store`` renders the sampled pages into the edition before the runs (else the edition run
says how many were there already); ``--modes`` picks the set-ups.

Issue, page and article requests cycle through --spread pages sampled across the whole
archive (a crawler's long tail, not one hot URL). Needs wrk (apt-get install wrk) and at
least one published issue.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
PORT = int(os.environ.get("LOAD_BENCH_PORT", "8189"))
# What the served site is configured with (serve() below), for this process too: the settings
# that reach a page (SITE_URL, derived from ALLOWED_HOSTS) are part of the build a stored
# page must match (reader/build.py), so pages stored here must be stored under the server's.
SERVED = {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
WORKERS = 2 * (os.cpu_count() or 1)  # gunicorn.conf.py's default
os.environ.update(SERVED)  # another port when other benches share the machine


def urls(spread: int) -> dict[str, list[str]]:
    """Paths per page kind: issue, page and article ones sampled across the archive (seeded)."""
    import random

    import django

    django.setup()
    from articles.models import Article
    from issues.models import Issue, Page

    issues = list(Issue.objects.visible().values_list("pk", flat=True))
    if not issues:
        raise SystemExit("load_bench: no published issue; import one with --publish first")
    chosen = random.Random(5).sample(issues, min(spread, len(issues)))  # noqa: S311 - sampling, not secrets
    sample = Issue.objects.filter(pk__in=chosen).order_by("date")
    pages = Page.objects.filter(issue__in=chosen).select_related("issue").order_by("issue__date", "number")
    articles = Article.objects.filter(page__issue__in=chosen).select_related("page__issue").order_by("pk")
    first_page = {p.issue_id: p for p in reversed(pages)}
    one_article = {a.page.issue_id: a for a in articles}
    return {
        "trivial": ["/healthz"],
        "home": ["/"],
        "issue": [i.get_absolute_url() for i in sample],
        "page": [p.get_absolute_url() for p in first_page.values()],
        "article": [a.get_absolute_url() for a in one_article.values()],
        "search": ["/search/?q=%E8%81%8C%E5%B7%A5"],
    }


def store_beforehand(paths: dict[str, list[str]]) -> None:
    """Render every sampled page into the edition (``edition.render_path``), as a published
    archive's worker has; prints how long it took."""
    from django.db import transaction

    from reader import edition

    start = time.perf_counter()
    count = 0
    for name, group in paths.items():
        if name in {"trivial", "search"}:
            continue
        for path in group:
            with transaction.atomic():
                count += edition.render_path(path)
    print(f"stored {count} sampled pages beforehand in {time.perf_counter() - start:.1f}s")


def rendered_beforehand(paths: list[str]) -> int:
    from issues.models import EditionPage
    from reader import edition

    return EditionPage.objects.filter(path__in=paths, variant="hans", build=edition.build_id()).count()


def cpu_seconds(names: tuple[str, ...]) -> float:
    """CPU seconds (user + system) spent so far by the processes with these names (Linux /proc)."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if comm.startswith(names):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(base: str, paths: list[str], seconds: int, connections: int) -> tuple[float, str, int, float, float]:
    """``wrk``, and the server's CPU per request in µs: the app's workers, the database's."""
    app, db = cpu_seconds(("gunicorn",)), cpu_seconds(("postgres",))
    rps, p99, errors = wrk(base, paths, seconds, connections)
    done = max(rps * seconds, 1)
    app_us = (cpu_seconds(("gunicorn",)) - app) / done * 1e6
    return rps, p99, errors, app_us, (cpu_seconds(("postgres",)) - db) / done * 1e6


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> tuple[float, str, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        script.write("local i = 0\nrequest = function()\n  i = i % #paths + 1\n")
        script.write('  return wrk.format("GET", paths[i])\nend\n')
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(int(n) for n in socket.groups()) if socket else 0) + (int(status.group(1)) if status else 0)
    return rps, p99, errors


def warm(paths: list[str]) -> None:
    """Every worker's own memory cache holds the pages: each page asked 4 x workers times over
    new connections (any worker may take one), so that a worker misses one with odds of 1%."""

    def get(path: str) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60).read()  # noqa: S310 - loopback

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, [p for p in paths for _ in range(4 * WORKERS)]))


def serve(mode: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PUBLIC_PAGE_CACHE": "1" if mode == "cached" else "0",
        "PUBLIC_PAGE_STORE": "0" if mode == "live" else "1",
        **SERVED,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        # No worker recycling mid-run: a restart (a second of imports) shows as timeouts.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310 - loopback
            return proc
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("load_bench: gunicorn did not start")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--spread", type=int, default=200, help="issues sampled for the issue/page/article runs")
    ap.add_argument("--store", action="store_true", help="render the sampled pages into the edition first")
    ap.add_argument("--modes", default="live,edition,cached", help="which set-ups to run, comma-separated")
    args = ap.parse_args(argv)
    if not shutil.which("wrk"):
        print("load_bench: skipped, wrk is not installed (apt-get install wrk)")
        return 0
    paths = urls(args.spread)
    if args.store:
        store_beforehand(paths)
    print(f"gunicorn workers = 2 x {os.cpu_count()} cores, wrk -t2 -c{args.connections} -d{args.seconds}s")
    stored = {name: rendered_beforehand(p) for name, p in paths.items() if name not in {"trivial", "search"}}
    print("in the rendered edition before the run: " + ", ".join(f"{n} {k}/{len(paths[n])}" for n, k in stored.items()))
    print(
        f"{'mode':8} {'page':8} {'urls':>5} {'req/s':>9} {'p99':>9} {'errors':>7} {'trivial':>9} {'vs trivial':>10}"
        f" {'app µs':>7} {'db µs':>6} {'CPU vs':>8}"
    )
    for mode in args.modes.split(","):
        proc = serve(mode)
        try:
            server = f"http://127.0.0.1:{PORT}"
            wrk(server, paths["trivial"], 2, args.connections)  # every worker up
            for name, group in paths.items():
                if name == "trivial":
                    continue
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{group[0]}", timeout=30)  # noqa: S310 - loopback
                if mode == "cached":
                    warm(group)
                # The trivial view right before each row: a shared machine's speed drifts over a run.
                # CPU per request (app + database), unlike rates, hardly follows that drift.
                base, _, _, trivial_app, trivial_db = measured(server, paths["trivial"], args.seconds, args.connections)
                rps, p99, errors, app, db = measured(server, group, args.seconds, args.connections)
                print(
                    f"{mode:8} {name:8} {len(group):5d} {rps:9.1f} {p99:>9} {errors:7d} {base:9.1f} {rps / base:10.2f}"
                    f" {app:7.0f} {db:6.0f} {(trivial_app + trivial_db) / (app + db):8.2f}",
                    flush=True,
                )
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
