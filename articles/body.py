"""An item's body: the paragraph vocabulary and the rules every writer of ``Article.body`` keeps.

``Article.body`` is stored as a list of blocks ``{"kind": "text"|"subhead", "text": "…"}``;
editors never see that form. The desk's paragraph editor and tools build blocks here.
"""

from __future__ import annotations

from django.db import models

# Long enough for any printed paragraph (the sample's longest is a few hundred characters),
# short enough that one paragraph cannot swell a page without bound.
MAX_PARAGRAPH_CHARS = 5000
MAX_PARAGRAPHS = 300


class BlockKind(models.TextChoices):
    TEXT = "text", "正文"
    SUBHEAD = "subhead", "小标题"


class BodyError(ValueError):
    """A paragraph that breaks a body rule; the message says which, in Chinese."""


def paragraph(kind: str, text: str) -> dict[str, str]:
    """One block, checked: a known kind, text trimmed, not empty and not too long."""
    if kind not in BlockKind.values:
        raise BodyError("段落类型只能是正文或小标题")
    text = clean_text(text)
    if not text:
        raise BodyError("段落不能为空")
    if len(text) > MAX_PARAGRAPH_CHARS:
        raise BodyError(f"段落太长：最多 {MAX_PARAGRAPH_CHARS} 字，现有 {len(text)} 字，请拆成几段")
    return {"kind": kind, "text": text}


def clean_text(text: str) -> str:
    """Trimmed, with line breaks typed inside a paragraph taken out (a paragraph is one line)."""
    return "".join(line.strip() for line in text.splitlines())


def joined(first: dict, second: dict) -> dict[str, str]:
    """Two paragraphs a column break cut apart, as one (no separator: Chinese text runs on)."""
    if first.get("kind") != BlockKind.TEXT or second.get("kind") != BlockKind.TEXT:
        raise BodyError("小标题不能与别的段落合并：请先把它改为正文")
    return paragraph(BlockKind.TEXT, first["text"] + second["text"])
