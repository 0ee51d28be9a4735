"""Does a block that ends mid-sentence continue in the next one, or did its tail get lost?

A column break cuts words ("…是陕" + "西省总…"); lost text leaves two blocks that share no
word across the cut. jieba's dictionary tells which: it is the only evidence we have that
does not depend on the page's words.
"""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)

CONTINUES = "，。、；：！？）)》」』…—,.;:!?%"
OPENING_QUOTES = '“「『"‘'
# Particles that attach to what precedes them: a block starting with one continues a clause.
NEVER_OPENS = "的地得了着过们吗呢吧"
# Prepositions and conjunctions that need what follows them: a block ending with one continues.
NEVER_CLOSES = "为在对和与及把被将从向以或并而的"


def tail_lost(before: str, after: str) -> bool:
    """True when ``before`` probably lost its end rather than continuing into ``after``."""
    if not before or not after:
        return True
    if after[0] in CONTINUES or after[0] in "(（":
        return False
    if before[-1] in "，、：；,:;（(《“‘—":
        return False
    if after[0] in OPENING_QUOTES:
        return True
    if after[0] in NEVER_OPENS or before[-1] in NEVER_CLOSES:
        return False
    if before[-1].isdigit() and (after[0].isdigit() or "\u4e00" <= after[0] <= "\u9fff"):
        return False
    tail, head = before[-4:], after[:4]
    pos = 0
    for token in jieba.lcut(tail + head, HMM=False):
        if pos < len(tail) < pos + len(token):
            return False
        pos += len(token)
    return True
