"""The front page's masthead: publication, date, weekday, lunar date, serial number, pages.

The printed weekday and lunar date are checked against the Gregorian date with
lunar-python; a disagreement becomes an issue warning, never a crash.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from lunar_python import Solar

from .model import ParseError
from .notes import Note, NoteCode

DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
WEEKDAY = re.compile(r"星期\s*(?P<w>[一二三四五六日天])")
LUNAR = re.compile(
    r"(?:农历)?(?P<lunar>[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年\s*闰?[正一二三四五六七八九十冬腊]{1,2}月\s*"
    r"(?:初[一二三四五六七八九十]|二十|三十|十[一二三四五六七八九]?|廿[一二三四五六七八九]|卅))"
)
SERIAL = re.compile(r"第\s*(?P<n>\d+)\s*期")
PAGE_COUNT = re.compile(r"(?:今日|本期|共)\s*(?P<n>[\d一二三四五六七八九十两百]+)\s*版")
# Publisher furniture that belongs to the issue: CN 11-0002, 代号 1-5, 主管主办, a web address.
PUBLISHER = re.compile(r"CN\s*\d{2}\s*-\s*\d{4}|ISSN|国内统一连续出版物号|邮发代号|主管主办|https?://|www\.")
WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Masthead:
    date: dt.date
    weekday: int | None
    lunar_date: str
    number: int | None
    page_count: int | None


def chinese_number(text: str) -> int | None:
    """八 → 8, 十六 → 16, 二十 → 20, 12 → 12."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current or None


def is_masthead_line(line: str) -> bool:
    """A dateline of the masthead: a date with a weekday, serial number or page count."""
    m = DATE.search(line)
    if not m or m.start() > 10 or re.search(r"[，。,]", line):
        return False
    return bool(WEEKDAY.search(line) or SERIAL.search(line) or PAGE_COUNT.search(line) or LUNAR.search(line))


def parse_masthead(line: str) -> Masthead:
    m = DATE.search(line)
    assert m is not None  # noqa: S101 - callers check is_masthead_line first
    try:
        date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise ParseError(f"the masthead date {m.group(0)} does not exist") from None
    weekday = WEEKDAY.search(line)
    lunar = LUNAR.search(line)
    serial = SERIAL.search(line)
    count = PAGE_COUNT.search(line)
    return Masthead(
        date=date,
        weekday=WEEKDAYS[weekday["w"]] if weekday else None,
        lunar_date=re.sub(r"\s+", "", lunar["lunar"]) if lunar else "",
        number=int(serial["n"]) if serial else None,
        page_count=chinese_number(count["n"]) if count else None,
    )


@functools.lru_cache(maxsize=1024)  # lunar-python recomputes a year's terms on a cache miss: 20-40 ms
def lunar_of(date: dt.date) -> str:
    """The Chinese lunar date of ``date`` as newspapers print it: 壬寅年二月廿三."""
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return f"{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def _normal_lunar(text: str) -> str:
    text = text.replace("农历", "").replace("廿", "二十").replace("卅", "三十")
    return text.replace("腊月", "十二月").replace("冬月", "十一月").replace("正月", "一月")


def calendar_warnings(masthead: Masthead) -> list[Note]:
    warnings = []
    actual = masthead.date.isoweekday()
    date = masthead.date.isoformat()
    if masthead.weekday and masthead.weekday != actual:
        names = "一二三四五六日"
        printed = names[masthead.weekday - 1]
        warnings.append(Note.of(NoteCode.WEEKDAY_MISMATCH, printed=printed, date=date, actual=names[actual - 1]))
    if masthead.lunar_date:
        expected = lunar_of(masthead.date)
        if _normal_lunar(masthead.lunar_date) != _normal_lunar(expected):
            warnings.append(Note.of(NoteCode.LUNAR_MISMATCH, printed=masthead.lunar_date, date=date, expected=expected))
    return warnings
