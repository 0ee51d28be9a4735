"""Chinese word segmentation for search and keywords: one place, one jieba pass per text.

Search text is jieba's search-mode tokens joined by spaces, with punctuation dropped so that
no database parser glues a CJK comma to a word. Keywords are TF-IDF over the same tokens,
using jieba's own IDF table, so an import segments each text once.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter

import jieba
import jieba.analyse

jieba.setLogLevel(logging.WARNING)

WORD = re.compile(r"\w", re.UNICODE)
_lock = threading.Lock()
_idf: tuple[dict[str, float], float] | None = None


def tokens(text: str) -> list[str]:
    """Search-mode tokens of ``text`` with whitespace and punctuation removed."""
    return [tok for tok in jieba.lcut_for_search(text) if WORD.search(tok) and not tok.isspace()]


def search_text(text: str) -> str:
    return " ".join(tokens(text))


def query_tokens(query: str) -> list[str]:
    """Tokens of a reader's query, segmented exactly like indexed text."""
    return tokens(query)


def _idf_table() -> tuple[dict[str, float], float]:
    global _idf
    with _lock:
        if _idf is None:
            extractor = jieba.analyse.default_tfidf
            _idf = (extractor.idf_freq, extractor.median_idf)
    return _idf


def keywords(words: list[str], limit: int = 8) -> list[str]:
    """The ``limit`` words with the highest TF-IDF, from already segmented ``words``."""
    idf, median = _idf_table()
    stop = jieba.analyse.default_tfidf.stop_words
    counts = Counter(w for w in words if len(w) >= 2 and not w.isdigit() and w.lower() not in stop)
    total = sum(counts.values()) or 1
    scored = sorted(counts.items(), key=lambda kv: (-(kv[1] / total) * idf.get(kv[0], median), kv[0]))
    return [word for word, _ in scored[:limit]]
