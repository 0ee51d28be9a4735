#!/usr/bin/env python
"""PostgreSQL restarted under load: errors only while it is down, recovery without the app.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/db_restart.py \\
        [--before 5] [--down 3] [--after 10] [--clients 8]

Serves the site with gunicorn (page cache off, so every request reads the database),
keeps ``--clients`` readers on the issue, page and article pages, stops the PostgreSQL
server (``pg_ctlcluster``, or --stop/--start commands) for ``--down`` seconds, starts it
again, and keeps reading. Prints requests and errors before, during and after the outage,
p99 latency, and the recovery time: from the server accepting connections again to the
first page served without error, with the app never restarted. Exits 1 if a request
failed while the database was up (outside the outage and its recovery).
Restarts the whole server: never run it against a database others are using.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import PORT, serve, urls  # noqa: E402


def reader(paths: list[str], stop: threading.Event, log: list) -> None:
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
        except OSError:
            status = 0
        log.append((started, time.monotonic() - started, status))


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=float, default=5)
    ap.add_argument("--down", type=float, default=3)
    ap.add_argument("--after", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--stop", default="pg_ctlcluster 15 main stop -m fast")
    ap.add_argument("--start", default="pg_ctlcluster 15 main start")
    args = ap.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("db_restart: set DATABASE_URL to a PostgreSQL database")
    found = urls()
    paths = [found["issue"], found["page"], found["article"]]
    proc = serve(cache=False)
    stop, log = threading.Event(), []
    threads = [threading.Thread(target=reader, args=(paths, stop, log)) for _ in range(args.clients)]
    try:
        for t in threads:
            t.start()
        time.sleep(args.before)
        down_at = time.monotonic()
        subprocess.run(shlex.split(args.stop), check=True)
        time.sleep(args.down)
        subprocess.run(shlex.split(args.start), check=True)
        while not pg_ready():
            time.sleep(0.05)
        up_at = time.monotonic()
        time.sleep(args.after)
    finally:
        stop.set()
        for t in threads:
            t.join()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    def ok(status: int) -> bool:
        return 200 <= status < 400

    first_ok = min((t for t, _, s in log if t >= up_at and ok(s)), default=None)
    recovered_at = first_ok if first_ok is not None else float("inf")
    # The last failure after the server came back ends the recovery.
    last_fail = max((t + d for t, d, s in log if t >= up_at and not ok(s)), default=up_at)
    phases = {
        "before": [r for r in log if r[0] + r[1] < down_at],
        "outage": [r for r in log if r[0] + r[1] >= down_at and r[0] < max(recovered_at, last_fail)],
        "after": [r for r in log if r[0] >= max(recovered_at, last_fail)],
    }
    print(f"gunicorn {os.cpu_count() * 2} workers, {args.clients} clients; PostgreSQL down {args.down:.1f}s")
    print(f"{'phase':8} {'requests':>9} {'errors':>7} {'p99 ms':>8}")
    for name, rows in phases.items():
        latencies = sorted(d for _, d, _ in rows)
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0
        errors = sum(not ok(s) for _, _, s in rows)
        print(f"{name:8} {len(rows):9d} {errors:7d} {p99:8.1f}")
    recovery = max(recovered_at, last_fail) - up_at
    print(f"recovery after the server accepted connections again: {recovery * 1000:.0f} ms (app not restarted)")
    failed_while_up = sum(not ok(s) for _, _, s in phases["before"] + phases["after"])
    return 1 if failed_while_up or first_ok is None else 0


if __name__ == "__main__":
    sys.exit(main())
