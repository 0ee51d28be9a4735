#!/usr/bin/env python
"""Public pages under load: gunicorn (2 x cores workers) and wrk on loopback.

    DATABASE_URL=... python bench/load_bench.py [--seconds 10] [--connections 16]

For the home, issue, page, article and search pages and for the trivial /healthz view,
served by the same gunicorn in the same run, prints requests per second, p99 latency and
errors, first with the page cache off (PUBLIC_PAGE_CACHE=0), then on, and each page's
throughput as a ratio of the trivial view's (targets: 0.4 uncached, 0.9 cached). Needs wrk
(apt-get install wrk) and at least one published issue.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
PORT = 8189


def urls() -> dict[str, str]:
    import django

    django.setup()
    from articles.models import Article
    from issues.models import Issue

    issue = Issue.objects.published().order_by("-date").first()
    if issue is None:
        raise SystemExit("load_bench: no published issue; import one with --publish first")
    article = Article.objects.filter(page__issue=issue).order_by("page__number", "position").first()
    return {
        "trivial": "/healthz",
        "home": "/",
        "issue": issue.get_absolute_url(),
        "page": article.page.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": "/search/?q=%E8%81%8C%E5%B7%A5",
    }


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str, int]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(int(n) for n in socket.groups()) if socket else 0) + (int(status.group(1)) if status else 0)
    return rps, p99, errors


def serve(cache: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "PUBLIC_PAGE_CACHE": "1" if cache else "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
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
    args = ap.parse_args(argv)
    if not shutil.which("wrk"):
        print("load_bench: skipped, wrk is not installed (apt-get install wrk)")
        return 0
    paths = urls()
    print(f"gunicorn workers = 2 x {os.cpu_count()} cores, wrk -t2 -c{args.connections} -d{args.seconds}s")
    print(f"{'cache':6} {'page':8} {'req/s':>9} {'p99':>9} {'errors':>7} {'vs trivial':>10}")
    for cache in (False, True):
        proc = serve(cache)
        try:
            base = None
            for name, path in paths.items():
                for _warm in range(3):
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10)  # noqa: S310 - loopback
                rps, p99, errors = wrk(f"http://127.0.0.1:{PORT}{path}", args.seconds, args.connections)
                base = base or rps
                print(f"{'on' if cache else 'off':6} {name:8} {rps:9.1f} {p99:>9} {errors:7d} {rps / base:10.2f}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
