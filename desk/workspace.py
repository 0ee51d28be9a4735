"""The page workspace's reading of a page: its items in order, each paragraph with the flags
that point at it, and the stamp that tells a stale form from a current one.

No writes here: the workspace's buttons call the tools (desk/tools.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.flags import Flag
from articles.models import NOTE_SEPARATOR, Article, ArticleFlag
from desk.tools import TITLE_ROLES
from issues.models import Page

CHARS_PER_ROW = 38  # about one line of the workspace's paragraph box at 1280 px
MAX_ROWS = 10


@dataclass
class Paragraph:
    index: int
    kind: str
    text: str
    flags: list[ArticleFlag] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def rows(self) -> int:
        return min(MAX_ROWS, max(2, len(self.text) // CHARS_PER_ROW + 1))


@dataclass
class Item:
    article: Article
    paragraphs: list[Paragraph]
    swap: tuple[str, str]
    previous: Article | None = None
    lock: dict | None = None

    @property
    def stamp(self) -> str:
        return stamp(self.article)


def stamp(article: Article) -> str:
    """What a form shows it was made from: the item's last change, to the microsecond."""
    return article.updated_at.isoformat() if article.updated_at else ""


def page_items(page: Page) -> list[Article]:
    """The page's items in order with their flags and photos: a fixed number of queries."""
    return list(Article.objects.filter(page=page).order_by("position").with_flags().prefetch_related("photos"))


def workspace_items(page: Page) -> list[Item]:
    articles = page_items(page)
    return [
        Item(article=article, paragraphs=paragraphs(article), swap=swap_default(article), previous=previous)
        for previous, article in zip([None, *articles], articles, strict=False)
    ]


def paragraphs(article: Article) -> list[Paragraph]:
    """The item's paragraphs, each with the unreviewed flags whose findings point at it."""
    out = [Paragraph(i, block.get("kind", "text"), block.get("text", "")) for i, block in enumerate(article.body)]
    for flag in article.open_flags:
        for index in sorted(_flagged_paragraphs(flag, out)):
            out[index].flags.append(flag)
    return out


def _flagged_paragraphs(flag: ArticleFlag, paras: list[Paragraph]) -> set[int]:
    """Indexes of the paragraphs a flag's suggestions or findings quote."""
    found = {
        int(s["index"])
        for s in flag.suggestions
        if s.get("field") == "paragraph" and str(s.get("index", "")).isdigit() and int(s["index"]) < len(paras)
    }
    for finding in flag.note.split(NOTE_SEPARATOR):
        quoted = finding.rsplit(": …", 1)[-1].rstrip("…") if ": …" in finding else ""
        if not quoted:
            continue
        if flag.code == Flag.JOINED_PARAGRAPH:
            found |= {p.index for p in paras if quoted.replace("|", "") in p.text}
        else:
            found |= {p.index for p in paras if p.text.endswith(quoted)}
    return found


def swap_default(article: Article) -> tuple[str, str]:
    """The two title roles a swap most likely means: the first two lines that hold text."""
    filled = [role for role in TITLE_ROLES if getattr(article, role)]
    if len(filled) >= 2:
        return filled[0], filled[1]
    if filled == ["subheadline"]:
        return "headline", "subheadline"
    return "kicker", "headline"
