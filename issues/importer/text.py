"""Cleaning extracted text for display: wrap spaces out, printed punctuation back.

Extraction joined each printed column line to the next with a space and turned full-width
punctuation into ASCII. Both are undone here, on copies: raw text stays verbatim.
"""

from __future__ import annotations

import re
from statistics import median

TERMINAL = "。！？!?…；;：:”’\"'"
SENTENCE_END = "。！？!?…"
ASCII_DIGITS = frozenset("0123456789")  # not str.isdigit: that takes ① and ² as digits
ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_STRAIGHT_QUOTE = re.compile("[\"']")
_ASCII_PUNCTUATION = re.compile("[" + re.escape("".join(ASCII_TO_FULL)) + "]")


def is_cjk(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2460" <= ch <= "\u24ff"  # ①②③: numbered photo captions
        or ch in "…—“”‘’·"
        or "\U00020000" <= ch <= "\U0002ffff"
    )


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0002ffff"


def han_count(text: str) -> int:
    return sum(1 for ch in text if is_han(ch))


def column_width(line: str) -> float:
    """The printed column's width in characters, estimated from where the wraps fall."""
    segments = [len(s) for s in line.split(" ")]
    inner = segments[1:-1] if len(segments) >= 4 else segments
    return float(median(inner)) if inner else 0.0


def strip_wrap_spaces(line: str) -> str:
    """Remove the spaces that mark column wraps; keep real ones between Latin words.

    A space touching CJK text is a wrap. Between Latin letters or digits it is real unless
    it falls where the column wraps (the segment before it is about a column wide).
    """
    if " " not in line:
        return line
    segments = line.split(" ")
    width = column_width(line)
    out = [segments[0]]
    for k in range(1, len(segments)):
        before, after = out[-1], segments[k]
        if not before or not after:
            out[-1] = before + after
            continue
        left, right = before[-1], after[0]
        latin = left.isascii() and left.isalnum() and right.isascii() and right.isalnum()
        at_wrap = width >= 8 and len(segments[k - 1]) >= 0.75 * width
        if latin and not at_wrap:
            out.append(after)
        else:
            out[-1] = before + after
    return " ".join(out)


def _cjk_near(text: str, i: int, step: int) -> bool:
    j = i + step
    while 0 <= j < len(text) and text[j] in "\"'“”‘’()（）":
        j += step
    return 0 <= j < len(text) and is_cjk(text[j])


def restore_punctuation(text: str) -> str:
    """ASCII punctuation next to CJK text back to its full-width printed form."""
    chars: list[str] | None = None
    for match in _ASCII_PUNCTUATION.finditer(text):  # only the candidates, not every character
        i, ch = match.start(), match.group()
        prev_digit = i > 0 and text[i - 1] in ASCII_DIGITS
        next_digit = i + 1 < len(text) and text[i + 1] in ASCII_DIGITS
        if ch in ",:" and prev_digit and next_digit:
            continue  # 1,000 and 10:30
        if _cjk_near(text, i, -1) or _cjk_near(text, i, 1):
            if chars is None:
                chars = list(text)
            chars[i] = ASCII_TO_FULL[ch]
    return text if chars is None else "".join(chars)


class QuoteFixer:
    """Turns straight quotes into paired curly ones across the paragraphs of one item.

    Context decides where it can (a quote before punctuation closes, one after punctuation
    opens); elsewhere quotes alternate. ``balanced`` reports whether every quote closed.
    """

    OPEN_AFTER = set(" \t，。、；：！？,.;:!?（(《【“‘”’\"'—…") | {""}
    CLOSE_BEFORE = set("，。、；：！？,.;:!?）)》】”’…") | {""}
    SENTENCE_PUNCT = set("。！？!?…，,、；;：:")

    def __init__(self) -> None:
        self.open = {'"': False, "'": False}
        self.unbalanced = False

    def fix(self, text: str) -> str:
        out: list[str] = []
        done = 0  # text[:done] is in out
        for match in _STRAIGHT_QUOTE.finditer(text):  # only the quotes, not every character
            i, ch = match.start(), match.group()
            if done < i:
                out.append(text[done:i])
            done = i + 1
            prev = out[-1][-1] if out else ""  # the character before, as written out
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if ch == "'" and not (_cjk_near(text, i, -1) or _cjk_near(text, i, 1)):
                out.append(ch)  # an apostrophe in Latin text
                continue
            if i == 0 and ch == '"' and self.open[ch]:
                self.unbalanced = True  # a block opens a quote while one is still open
                self.open[ch] = False
            if self.open[ch]:
                closing = not (prev in {"", " ", "（", "(", "《", "—"} and nxt not in self.CLOSE_BEFORE)
                if not closing:
                    self.unbalanced = True
            else:
                closing = prev not in self.OPEN_AFTER and (nxt in self.CLOSE_BEFORE or nxt == ch)
                if closing:
                    self.unbalanced = True
            self.open[ch] = not closing
            if ch == '"':
                out.append("”" if closing else "“")
            else:
                out.append("’" if closing else "‘")
        out.append(text[done:])
        return "".join(out)

    @property
    def balanced(self) -> bool:
        return not self.unbalanced and not any(self.open.values())


def quotes_paired(texts: list[str]) -> bool:
    """The quotation-mark check on texts already cleaned (an edited item): straight quotes
    pair as ``QuoteFixer`` reads them, and each curly “ or ‘ closes before it opens again."""
    straight = QuoteFixer()
    depth = {"“": 0, "‘": 0}
    closers = {"”": "“", "’": "‘"}
    for text in texts:
        straight.fix(text)
        for ch in text:
            if ch in depth:
                if depth[ch]:
                    return False
                depth[ch] = 1
            elif ch in closers:
                if not depth[closers[ch]] and ch == "”":
                    return False
                depth[closers[ch]] = 0  # a lone ’ is an apostrophe (Workers’)
    return straight.balanced and not any(depth.values())


def clean(text: str, quotes: QuoteFixer | None = None) -> str:
    """Display form of one line of extracted text."""
    text = restore_punctuation(strip_wrap_spaces(text.strip()))
    return (quotes or QuoteFixer()).fix(text)


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text and text[-1] in "\"'”’」』)）":
        text = text[:-1]
    return bool(text) and text[-1] in SENTENCE_END


def ends_with_punctuation(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and text[-1] in TERMINAL + "”’」』)）》"
