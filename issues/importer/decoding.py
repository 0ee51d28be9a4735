"""Bytes to text: the encodings Chinese newsrooms send, detected, never guessed."""

from __future__ import annotations

import codecs
import re

from .model import ParseError

# Control characters that never occur in extracted text (tab, LF, CR and form feed do).
BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for raw issue bytes, or raise ``ParseError``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised by their BOM or by
    decoding strictly; GB18030 (a superset of GBK and GB2312) is tried last and accepted
    only when the result reads as Chinese text rather than mojibake.
    """
    if not data.strip():
        raise ParseError("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8) :], "utf-8", bom=True), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", bom=True), "utf-16"
    if b"\x00" in data:
        raise ParseError("the file is binary (it contains NUL bytes), not issue text")
    try:
        return _checked(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"cannot decode the file at byte {exc.start}: it is not UTF-8, UTF-16 with a BOM or GB18030/GBK"
        ) from None
    if not _reads_as_chinese(text):
        raise ParseError("the file is not UTF-8, UTF-16 with a BOM or GB18030/GBK text (it decodes to mojibake)")
    _refuse_binary(text)
    return text, "gb18030"


def _checked(data: bytes, encoding: str, bom: bool = False) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if not bom:
            raise
        raise ParseError(
            f"the file claims {encoding} by its BOM but byte {exc.start} is not valid {encoding}"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ParseError("the file is empty")
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    match = BINARY.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise ParseError(
            f"the file contains a control character {match.group()!r} on line {line}: it is not issue text"
        )


def _reads_as_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; real Chinese text is mostly common CJK ideographs."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not non_ascii:
        return True
    if PRIVATE_USE.search(text):
        return False
    common = sum(
        1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return common / len(non_ascii) >= 0.9
