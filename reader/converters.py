"""Path converters: every public URL has exactly one spelling.

The strict converters (``date``, ``pos``) are the only ones the reader's named routes use, so
a page answers under its canonical path alone and only canonical paths reach the rendered
edition. The loose ones (``anydate``, ``anypos``) match spellings that plainly mean a
canonical path (``20220325``, ``2022-3-25``, ``01``) for routes that only redirect there.
A value that fits a converter's pattern but names nothing (``2022-02-30``, page ``0``)
raises ``ValueError`` in ``to_python``, which Django's resolver treats as no match: 404.
"""

from __future__ import annotations

import datetime as dt

# Above any page, position or id we will ever have, and inside a signed 64-bit integer.
LARGEST = 10**18 - 1


class IsoDateConverter:
    """``YYYY-MM-DD`` as a ``datetime.date``."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date | str) -> str:
        day = value if isinstance(value, dt.date) else self.to_python(value)
        return day.isoformat()


class PositiveIntConverter:
    """A positive integer written without leading zeros."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 0 < number <= LARGEST:
            raise ValueError(f"not a positive integer: {value!r}")
        return str(number)


class LooseDateConverter(IsoDateConverter):
    """A date as ``YYYYMMDD`` or with unpadded month and day; only for redirects."""

    regex = r"[0-9]{8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"

    def to_python(self, value: str) -> dt.date:
        if "-" in value:
            year, month, day = (int(part) for part in value.split("-"))
        else:
            year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
        return dt.date(year, month, day)


class LoosePositiveIntConverter(PositiveIntConverter):
    """A positive integer with leading zeros; only for redirects."""

    regex = r"[0-9]{1,40}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= LARGEST:
            raise ValueError(f"out of range: {value!r}")
        return number
