"""OCR confusions worth an editor's look, each with the spelling to check against the page.

Extraction confuses characters that look alike (人/入, 己/已, 未/末 …). A character is suspect
when one of two kinds of evidence says its look-alike belongs there:

* the issue: a four-character window occurs more often elsewhere in the same issue with the
  look-alike in its place (登记人学 once, 登记入学 nine times);
* the language: with the look-alike the character forms a common word of jieba's dictionary
  (入党) while as printed it forms no word with its neighbours, or only a far rarer one.

Every title line, paragraph (subheads included) and caption is checked. The finding becomes a
``Flag.POSSIBLE_OCR_ERROR`` with a readable note and a structured ``Suggestion`` whose
``original`` occurs in its field only where the fix belongs (once, or at each copy of the same
misspelling), so that replacing it there is an exact fix.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

import jieba

from .flags import Flag
from .model import Item, Page, Suggestion
from .notes import Note, NoteCode
from .text import is_han

# Groups of characters that OCR and PDF extraction take for one another: each one is
# confused with every other of its group. A data table: extend it, the rules stay the same.
# Left out on purpose: look-alikes that are both everyday one-character words (大/太/犬,
# 儿/几, 八/人, 王/主): the dictionary lists only lexicalised words, so 太大 reads as rare
# beside 大大 and those swaps would flag correct text.
CONFUSABLE_GROUPS: tuple[str, ...] = (
    "人入",
    "己已巳",
    "未末",
    "士土",
    "干千于",
    "日曰",
    "戊戌戍",
    "拔拨",
    "侯候",
    "天夭",
    "免兔",
    "准淮",
    "折拆",
    "汩汨",
    "崇祟",
    "栗粟",
    "壶壸",
    "茶荼",
    "要耍",
    "刺剌",
    "徒徙",
    "赢嬴羸",
    "冶治",
    "辨辩辫",
    "晴睛",
    "冒胃",
)

ISSUE_WINDOW = 4  # characters: long enough that two spellings of it are one word, not two
WORD_LENGTHS = (2, 3, 4)  # dictionary words considered around a suspect character
MIN_WORD_FREQ = 100  # a suggested word at least this common in jieba's dictionary …
MIN_RATIO = 20  # … and this many times commoner than the same characters as printed,
BOUND_FREQ = 20  # while the printed text forms no word this common that the suggestion would break
MIN_CONTEXT = 4  # a suggestion's ``original`` spans at least this many characters
MAX_CONTEXT = 24  # … and widens no further looking for a spot it alone matches


def _look_alikes(groups: Sequence[str]) -> dict[str, str]:
    """Each character's look-alikes, over every group it belongs to."""
    table: dict[str, str] = {}
    for group in groups:
        for ch in group:
            table[ch] = table.get(ch, "") + "".join(c for c in group if c != ch and c not in table.get(ch, ""))
    return table


CONFUSABLE: dict[str, str] = _look_alikes(CONFUSABLE_GROUPS)
SUSPECT = re.compile(f"[{re.escape(''.join(CONFUSABLE))}]")

jieba.setLogLevel(logging.WARNING)


@cache
def word_frequencies() -> dict[str, int]:
    """jieba's dictionary: word to frequency (0 for the prefixes jieba keeps beside its words).

    jieba builds it once per process, lazily; the parser's paragraph joins (joins.py) segment
    with jieba and load it anyway, so the checks share that one copy instead of a second.
    """
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


@dataclass(frozen=True)
class Finding:
    """A suspect character of one text: the window ``start:end`` would read ``replacement``."""

    start: int
    end: int
    replacement: str
    evidence: str  # "issue" or "dictionary"
    reason: Note  # why, without the field and the fix (``check_item`` adds them)


@dataclass(frozen=True)
class IssueSpellings:
    """How often the issue spells each window of ``ISSUE_WINDOW`` characters around a confusable one.

    Only those windows: one without a confusable character has no variant to compare with, and
    counting every window would cost the parser more than all the checks. ``pairs`` holds their
    two-character pieces, a quick test that a variant cannot have been seen.
    """

    counts: Counter
    pairs: frozenset[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> IssueSpellings:
        n = ISSUE_WINDOW
        counts: Counter = Counter()
        for text in texts:
            starts = {s for m in SUSPECT.finditer(text) for s in _window_starts(text, m.start(), n)}
            counts.update(text[s : s + n] for s in starts)
        return cls(counts, frozenset(w[k : k + 2] for w in counts for k in range(n - 1)))


def _window_starts(text: str, i: int, n: int) -> range:
    """Starts of the windows of ``n`` characters of ``text`` that cover position ``i``."""
    return range(max(0, i - n + 1), min(i, len(text) - n) + 1)


def find_confusions(text: str, spellings: IssueSpellings) -> list[Finding]:
    """Suspect characters of ``text``, at most one finding each, issue evidence first."""
    found = []
    for match in SUSPECT.finditer(text):
        i = match.start()
        for swap in CONFUSABLE[text[i]]:
            finding = _issue_finding(text, i, swap, spellings) or _dictionary_finding(text, i, swap)
            if finding:
                found.append(finding)
                break
    return found


def _words(text: str, i: int, ch: str) -> Iterator[tuple[int, str, int]]:
    """Start, text and frequency of each dictionary word covering ``i`` once ``ch`` stands there."""
    freq = word_frequencies()
    for n in WORD_LENGTHS:
        for start in _window_starts(text, i, n):
            word = text[start:i] + ch + text[i + 1 : start + n]
            if freq.get(word):
                yield start, word, freq[word]


def _best_word(text: str, i: int, ch: str) -> tuple[int, str, int]:
    """The commonest word covering ``i`` with ``ch`` there, or ``(i, "", 0)``."""
    return max(_words(text, i, ch), key=lambda w: w[2], default=(i, "", 0))


def _pairs(text: str, i: int, ch: str) -> tuple[str, str]:
    """The two-character pieces ``ch`` forms at ``i`` with its neighbours: one is in any word there."""
    return text[i - 1 : i] + ch, ch + text[i + 1 : i + 2]


@cache
def _common_pairs() -> frozenset[str]:
    """Two-character pieces around a confusable character of the words common enough to suggest."""
    return frozenset(
        piece
        for word, freq in word_frequencies().items()
        if freq >= MIN_WORD_FREQ and len(word) <= WORD_LENGTHS[-1]
        for k, ch in enumerate(word)
        if ch in CONFUSABLE
        for piece in _pairs(word, k, ch)
        if len(piece) == 2
    )


def _issue_finding(text: str, i: int, swap: str, spellings: IssueSpellings) -> Finding | None:
    """The issue spells a window around ``i`` with ``swap`` more often than as printed.

    A tie (once each) goes to the spelling whose character forms the commoner word; the
    dictionary can also veto a spelling the language makes far likelier as printed.
    """
    if spellings.pairs.isdisjoint(_pairs(text, i, swap)):
        return None
    n, counts = ISSUE_WINDOW, spellings.counts
    for start in sorted(_window_starts(text, i, n), key=lambda s: abs(i - s - n // 2)):
        window = text[start : start + n]
        variant = window[: i - start] + swap + window[i - start + 1 :]
        seen, other = counts[window], counts[variant]
        if not other or other < seen or not all(map(is_han, window)):
            continue
        printed, alike = _best_word(text, i, text[i])[2], _best_word(text, i, swap)[2]
        if (other == seen and alike <= printed) or printed >= MIN_RATIO * max(alike, 1):
            continue
        reason = Note.of(NoteCode.OCR_ISSUE_SPELLING, variant=variant, other=other, window=window, seen=seen)
        return Finding(start, start + n, variant, "issue", reason)
    return None


def _dictionary_finding(text: str, i: int, swap: str) -> Finding | None:
    """With ``swap`` the character forms a common word; as printed, none or a far rarer one.

    The printed text may segment into words of its own that the suggested word would break
    (导入 in 导入数据 against 人数, 党龄 in 两人党龄 against 入党): then the two readings are a
    matter of segmentation, not evidence, unless those words are dictionary oddities.
    """
    if _common_pairs().isdisjoint(_pairs(text, i, swap)):
        return None
    start, word, freq = _best_word(text, i, swap)
    if freq < MIN_WORD_FREQ:
        return None
    end = start + len(word)
    if freq < MIN_RATIO * word_frequencies().get(text[start:end], 0):
        return None
    if any(rival >= BOUND_FREQ for rival in _rivals(text, i, start, end)):
        return None
    printed = text[start:end]
    reason = Note.of(
        NoteCode.OCR_DICTIONARY,
        word=word,
        freq=freq,
        printed=printed,
        printed_freq=word_frequencies().get(printed, 0),
    )
    return Finding(start, end, word, "dictionary", reason)


def _rivals(text: str, i: int, start: int, end: int) -> Iterator[int]:
    """Frequencies of the printed words that reading ``start:end`` as one word would break.

    Those are the windows that cover the suspect character ``i`` or cross an edge of the span.
    """
    freq = word_frequencies()
    for n in WORD_LENGTHS:
        for a in range(max(0, start - n + 1), min(end, len(text) - n + 1)):
            b = a + n
            if (a, b) != (start, end) and (a <= i < b or a < start < b or a < end < b):
                yield freq.get(text[a:b], 0)


def suggestion_for(field: str, index: int, text: str, finding: Finding, found: Sequence[Finding]) -> Suggestion:
    """The finding as a fix on its field, ``original`` widened until replacing it is exact.

    Exact means every occurrence of ``original`` in the text is a spot of ``found`` with the
    same replacement: usually it occurs once; a paragraph that repeats the same misspelling
    gets one suggestion that fixes every copy.
    """
    spots = {(f.start, f.replacement) for f in found}
    start, end = finding.start, finding.end

    def exact() -> bool:
        shift = finding.start - start
        return all((p + shift, finding.replacement) in spots for p in _occurrences(text, text[start:end]))

    while (end - start < MIN_CONTEXT or not exact()) and end - start < MAX_CONTEXT:
        wider = _widen(text, start, end)
        if wider == (start, end):
            break
        start, end = wider
    original = text[start:end]
    replacement = text[start : finding.start] + finding.replacement + text[finding.end : end]
    return Suggestion(field, index, original, replacement, finding.evidence)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """One more character of context, within the line: Han before punctuation, right before left."""
    right = end < len(text) and text[end] != "\n"
    left = start > 0 and text[start - 1] != "\n"
    if right and (is_han(text[end]) or not (left and is_han(text[start - 1]))):
        return start, end + 1
    return (start - 1, end) if left else (start, end)


def _occurrences(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def item_texts(item: Item) -> Iterator[tuple[str, int, str]]:
    """Every text of an item a reader sees, as (field, index, text)."""
    for field in ("kicker", "headline", "subheadline"):
        if getattr(item, field):
            yield field, 0, getattr(item, field)
    for k, paragraph in enumerate(item.paragraphs):
        yield "paragraph", k, paragraph.text
    for k, photo in enumerate(item.photos):
        yield "caption", k, photo.caption


def check_item(item: Item, spellings: IssueSpellings) -> Item:
    """The item with a ``POSSIBLE_OCR_ERROR`` flag, notes and suggestions for what it finds."""
    suggestions: list[Suggestion] = []
    notes: list[Note] = []
    for field, index, text in item_texts(item):
        found = find_confusions(text, spellings)
        for finding in found:
            suggestion = suggestion_for(field, index, text, finding, found)
            if suggestion not in suggestions:
                suggestions.append(suggestion)
                fix = {"field": field, "original": suggestion.original, "replacement": suggestion.replacement}
                notes.append(Note.of(finding.reason.code, **fix, **dict(finding.reason.params)))
    if not suggestions:
        return item
    return replace(
        item,
        flags=_with_flag(item.flags),
        notes=_with_notes(item.notes, tuple(notes)),
        suggestions=item.suggestions + tuple(suggestions),
    )


def _with_flag(flags: tuple[str, ...]) -> tuple[str, ...]:
    return flags if Flag.POSSIBLE_OCR_ERROR in flags else (*flags, Flag.POSSIBLE_OCR_ERROR)


def _with_notes(
    notes: tuple[tuple[str, tuple[Note, ...]], ...], found: tuple[Note, ...]
) -> tuple[tuple[str, tuple[Note, ...]], ...]:
    code = Flag.POSSIBLE_OCR_ERROR
    if any(c == code for c, _ in notes):
        return tuple((c, (*ev, *found) if c == code else ev) for c, ev in notes)
    return (*notes, (code, found))


def flag_ocr_errors(pages: Sequence[Page]) -> list[Page]:
    """The pages with every item checked against the issue's own spellings and the dictionary."""
    spellings = IssueSpellings.of([text for page in pages for item in page.items for _, _, text in item_texts(item)])
    return [replace(page, items=tuple(check_item(item, spellings) for item in page.items)) for page in pages]
