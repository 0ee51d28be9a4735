"""OCR confusions worth an editor's look: a word the same issue spells differently elsewhere."""

from __future__ import annotations

from collections import Counter

# Characters OCR and PDF extraction confuse with one another.
CONFUSABLE = {"人": "入", "入": "人", "己": "已", "已": "己", "未": "末", "末": "未", "土": "士", "士": "土"}


def ngram_counts(texts: list[str], n: int = 4) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        counts.update(text[i : i + n] for i in range(len(text) - n + 1))
    return counts


def suspicious_spellings(text: str, counts: Counter, n: int = 4) -> list[str]:
    """Windows of ``text`` that occur once while their one-character variant occurs elsewhere."""
    found = []
    for i, ch in enumerate(text):
        swap = CONFUSABLE.get(ch)
        if not swap:
            continue
        for start in sorted(range(max(0, i - n + 1), i + 1), key=lambda k: abs(i - k - (n - 1) // 2 - 1)):
            window = text[start : start + n]
            if len(window) < n or not all("\u4e00" <= c <= "\u9fff" for c in window):
                continue
            variant = window[: i - start] + swap + window[i - start + 1 :]
            if counts[variant] >= 1 and counts[window] <= 1:
                found.append(f"{window} (elsewhere {variant})")
                break
    return found
