"""Write the practice pages (raw .txt and gold .expected.json) from their page scripts.

.venv/bin/python tests/importer/pages/make_pages.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from layout_kit import write_pair  # noqa: E402

# name: (module, options for write_pair)
PAGES = {
    "own-a": ("page_a", {}),
    "own-b": ("page_b", {"encoding": "gb18030", "newline": "\r\n"}),
    "own-c": ("page_c", {"encoding": "utf-8-sig", "ff": True}),
    "own-d": ("page_d", {"encoding": "utf-16", "newline": "\r\n"}),
    "own-e": ("page_e", {"encoding": "gb18030", "newline": "\r"}),
    "own-f": ("page_f", {}),
}


def main() -> None:
    for name, (module_name, options) in PAGES.items():
        module = __import__(module_name)
        write_pair(HERE / f"{name}.txt", module.pages(), module.ISSUE, module.MASTHEAD, **options)
        print(name)


if __name__ == "__main__":
    main()
