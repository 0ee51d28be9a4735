#!/usr/bin/env python
"""The parser's time grows linearly with its input: time 1x, 4x, 16x and 64x the sample's
pages (and one huge line), print seconds, MB/s and each step's ratio (4.0 is linear)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from issues.importer import parse_issue  # noqa: E402

PUBS = {"WORKERS' DAILY": "工人日报"}


def timed(data: bytes, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_issue(data, publications=PUBS)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    text = (ROOT / "samples" / "workers-daily-2022-03-25.txt").read_text("utf-8")
    head, body = text.split("\n\n\n\n", 1)
    parse_issue(text.encode(), publications=PUBS)  # load jieba's dictionary first
    previous = None
    for label, make in [
        ("pages", lambda n: head + "\n\n\n\n" + "\n\n\n\n".join([body] * n)),
        ("one huge line", lambda n: head + "\n\n\n\n" + body.replace("\n", "") * n),
    ]:
        previous = None
        for n in (1, 4, 16, 64):
            data = make(n).encode()
            seconds = timed(data)
            ratio = f"x{seconds / previous:.2f}" if previous else ""
            print(
                f"{label:14} {n:3}x {len(data) / 1e6:7.2f} MB {seconds:7.3f}s {len(data) / seconds / 1e6:6.2f} MB/s {ratio}"
            )
            previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
