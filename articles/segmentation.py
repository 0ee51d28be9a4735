"""Chinese word segmentation for search and keywords: one interface, one pass per text.

Search text is jieba's search-mode tokens joined by spaces, punctuation dropped so that no
database parser glues a CJK comma to a word. Two engines give the same tokens: jieba (pure
Python, ~0.5 M chars/s here) and rjieba (jieba-rs, same dictionary, ~20x faster), used when
installed unless ``NEWSROOM_SEGMENTER=jieba``. tests/test_segmentation.py proves the two
agree on every fixture. Keywords are TF-IDF over the same tokens with jieba's IDF table.
"""

from __future__ import annotations

import heapq
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable

import jieba
import jieba.analyse

jieba.setLogLevel(logging.WARNING)

WORD = re.compile(r"\w+")
_lock = threading.Lock()
_idf: tuple[dict[str, float], float, set[str]] | None = None


def _engine() -> tuple[str, Callable[[str], list[str]]]:
    if os.environ.get("NEWSROOM_SEGMENTER", "auto") != "jieba":
        try:
            import rjieba

            return "rjieba", rjieba.cut_for_search
        except ImportError:
            pass
    return "jieba", jieba.lcut_for_search


ENGINE, _cut_for_search = _engine()


def tokens(text: str, cut: Callable[[str], list[str]] | None = None) -> list[str]:
    """Search-mode tokens of ``text``: words only, punctuation and spaces dropped."""
    # One pass over the tokens joined by spaces: no word runs across a space, so this is
    # each token's words in turn.
    return WORD.findall(" ".join((cut or _cut_for_search)(text)))


def search_text(text: str) -> str:
    return " ".join(tokens(text))


def query_tokens(query: str) -> list[str]:
    """Tokens of a reader's query, segmented exactly like indexed text."""
    return tokens(query)


def _idf_table() -> tuple[dict[str, float], float, set[str]]:
    global _idf
    with _lock:
        if _idf is None:
            extractor = jieba.analyse.default_tfidf
            _idf = (extractor.idf_freq, extractor.median_idf, set(extractor.stop_words))
    return _idf


def keywords(words: list[str], limit: int = 8) -> list[str]:
    """The ``limit`` words with the highest TF-IDF, from already segmented ``words``."""
    idf, median, stop = _idf_table()
    # Counted first, then filtered: each distinct word is tested once, not each occurrence.
    counts = {w: n for w, n in Counter(words).items() if len(w) >= 2 and not w.isdigit() and w.lower() not in stop}
    total = sum(counts.values()) or 1
    scored = [(-(n / total) * idf.get(w, median), w) for w, n in counts.items()]
    return [word for _, word in heapq.nsmallest(limit, scored)]
