#!/usr/bin/env python
"""The parser's property tests at volume: inputs tried per kind, and failures.

    python bench/parser_fuzz.py [--scale 20]

Runs each hypothesis property of tests/test_importer_properties.py (generated issues,
arbitrary text, arbitrary bytes, the mutated real sample, stray bytes) with ``--scale``
times the suite's examples, and prints how many inputs of each kind ran and whether the
property broke (a crash other than ParseError, or lost text). Exits 1 on any failure,
with hypothesis's shrunk example on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {
    "generated issues": "test_generated_issues_lose_nothing",
    "arbitrary text after a masthead": "test_arbitrary_text_after_a_masthead_loses_nothing",
    "arbitrary bytes": "test_arbitrary_bytes_parse_or_raise_parse_error",
    "mutated sample (cut, dropped, doubled, shuffled)": "test_mutated_sample_loses_nothing",
    "stray control and invalid bytes": "test_stray_bytes_are_refused_or_parsed",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=20)
    args = ap.parse_args(argv)
    os.environ["PARSER_FUZZ_SCALE"] = str(args.scale)
    props = importlib.import_module("tests.test_importer_properties")
    failed = 0
    print(f"{'kind':50} {'inputs':>7} {'broke':>5} {'seconds':>8}")
    for name, function in KINDS.items():
        test = getattr(props, function)
        count = [0]
        inner = test.hypothesis.inner_test

        def counted(*a, _inner=inner, _count=count, **kw):
            _count[0] += 1
            return _inner(*a, **kw)

        test.hypothesis.inner_test = counted
        started = time.perf_counter()
        try:
            test()
            broke = 0
        except Exception as exc:  # noqa: BLE001 - reported; the exit status says it
            broke = 1
            print(f"  {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            test.hypothesis.inner_test = inner
        failed += broke
        print(f"{name:50} {count[0]:7d} {broke:5d} {time.perf_counter() - started:8.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
