#!/usr/bin/env python
"""Write N raw issue files in the sample's format, for benchmarks at archive scale.

    python bench/make_archive.py N_ISSUES OUTDIR [--seed 1] [--start 2022-03-25] [--items 6]

Each issue has a masthead (consecutive dates and serial numbers, the right weekday and lunar
date), 4-8 pages separated by form feeds with page headers, titles, every byline pattern,
photos with credits, continuations between pages and column-wrap spaces. The prose is the
sample's own sentences recombined, so jieba sees real Chinese. Same seed, same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from issues.importer import parse_issue  # noqa: E402
from issues.importer.masthead import lunar_of  # noqa: E402

SAMPLE = ROOT / "samples" / "workers-daily-2022-03-25.txt"
SECTIONS = ["要闻", "新闻", "工会", "评论", "经济", "文化", "视点", "地方"]
CN_NUM = "零一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


class Corpus:
    """Sentences, titles and names taken from the sample by the importer itself."""

    def __init__(self, raw: bytes) -> None:
        parse = parse_issue(raw, publications={"WORKERS' DAILY": "工人日报"})
        text = "".join(p.text for _, item in parse.items() for p in item.paragraphs if p.kind == "text")
        text = text.replace("“", '"').replace("”", '"').replace("，", ",").replace("：", ":").replace("（", "(")
        text = text.replace("）", ")").replace("；", ";")
        self.sentences = [s for s in re.findall(r"[^。！？]+[。！？]", text) if 8 <= len(s) <= 120]
        self.titles = sorted(
            {t for _, i in parse.items() for t in (i.kicker, i.headline) if t}
            | {s.strip("。,") for s in self.sentences if 8 <= len(s) <= 20}
        )
        self.names = sorted({c.name for _, i in parse.items() for c in i.credits}) + [
            "王建国",
            "李娜",
            "张伟",
            "刘洋",
            "陈静",
            "杨帆",
            "赵磊",
            "黄敏",
            "周涛",
            "吴霞",
            "徐明",
            "孙丽",
            "马超",
        ]


def wrap(text: str, rng: random.Random) -> str:
    """Join printed column lines with spaces, as extraction does."""
    width = rng.randint(16, 20)
    return " ".join(text[i : i + width] for i in range(0, len(text), width))


def body_blocks(corpus: Corpus, rng: random.Random, n_blocks: int) -> list[str]:
    blocks = []
    for _ in range(n_blocks):
        text = "".join(rng.choice(corpus.sentences) for _ in range(rng.randint(2, 5)))
        blocks.append(wrap(text, rng))
    return blocks


def byline(corpus: Corpus, rng: random.Random, date: dt.date) -> tuple[str, bool]:
    """A byline and whether the body follows on the same line."""
    a, b = rng.sample(corpus.names, 2)
    d = f"{date.month}月{date.day - 1 or 1}日"
    choices = [
        (f"本报讯(记者{a})", True),
        (f"本报讯 (记者{a} 通讯员 {b})", True),
        ("本报讯 ", True),
        (f"本报北京{d}电(记者{a})", True),
        (f"据新华社上海{d}电(记者{a} {b})", True),
        (f"新华社武汉{d}电 ", True),
        (f"本报记者 {a}", False),
        (f"本报记者 {a} 本报通讯员 {b}", False),
        ("本报评论员", False),
    ]
    return rng.choice(choices)


def article(corpus: Corpus, rng: random.Random, date: dt.date, *, jump_to: int | None = None) -> list[str]:
    titles = rng.sample(corpus.titles, rng.choice([1, 1, 2, 2, 3]))
    line, inline = byline(corpus, rng, date)
    blocks = body_blocks(corpus, rng, rng.randint(2, 6))
    if inline:
        blocks[0] = line + blocks[0]
        head = []
    else:
        head = [line]
    if rng.random() < 0.3 and len(blocks) > 2:
        blocks.insert(rng.randint(1, len(blocks) - 1), rng.choice(corpus.titles)[:8])
    if jump_to:
        blocks[-1] += f" (下转第{jump_to}版)"
    return titles + head + blocks


def photo(corpus: Corpus, rng: random.Random) -> list[str]:
    name = rng.choice(corpus.names)
    credit = rng.choice(
        [f"新华社发({name} 摄)", f"新华社记者 {name} 摄", f"本报通讯员 {name} 摄", f"本报记者 {name} 摄"]
    )
    return [rng.choice(corpus.titles), wrap("图为" + rng.choice(corpus.sentences), rng), credit]


def issue_text(
    corpus: Corpus, rng: random.Random, date: dt.date, serial: int, items_per_page: int, pages: int | None = None
) -> str:
    """One issue's raw text: ``pages`` pages (4-8 at random when None)."""
    pages = pages or rng.randint(4, 8)
    lunar = lunar_of(date)
    out = [
        "WORKERS' DAILY\n\n"
        f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]} {lunar} 第{serial}期 今日{CN_NUM[pages]}版"
        "\n\n\n\n中华全国总工会主管主办 工人日报社出版 国内统一连续出版物号 CN 11-0002 代号 1-5\n\n"
    ]
    continued: list[tuple[int, str]] = []
    for number in range(1, pages + 1):
        regions: list[list[str]] = []
        for title in [t for target, t in continued if target == number]:
            regions.append([title, "(上接第1版)" + body_blocks(corpus, rng, 1)[0]])
        for k in range(rng.randint(max(2, items_per_page - 2), items_per_page + 2)):
            if rng.random() < 0.2:
                regions.append(photo(corpus, rng))
            elif number == 1 and k == 0 and pages > 2:
                target = rng.randint(2, pages)
                blocks = article(corpus, rng, date, jump_to=target)
                continued.append((target, next(b for b in blocks if " " not in b)))
                regions.append(blocks)
            else:
                regions.append(article(corpus, rng, date))
        page = "\n\n\n\n".join("\n\n".join(region) for region in regions)
        page += f"\n\n本版编辑:{rng.choice(corpus.names)} 美术编辑:{rng.choice(corpus.names)}\n"
        out.append(page if number == 1 else f"\f第{number}版 {SECTIONS[number - 1]}\n\n\n\n{page}")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n_issues", type=int)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2022, 3, 25))
    ap.add_argument("--serial", type=int, default=21054)
    ap.add_argument("--items", type=int, default=6, help="about this many items per page")
    ap.add_argument("--pages", type=int, choices=range(1, 9), help="pages per issue (default: 4-8 at random)")
    args = ap.parse_args(argv)
    corpus = Corpus(SAMPLE.read_bytes())
    rng = random.Random(args.seed)
    args.outdir.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(args.n_issues):
        date = args.start + dt.timedelta(days=i)
        text = issue_text(corpus, rng, date, args.serial + i, args.items, args.pages)
        (args.outdir / f"workers-daily-{date.isoformat()}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    print(f"wrote {args.n_issues} issues, {total:,} characters, to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
