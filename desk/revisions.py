"""Pending revisions: a change to an item readers already see waits for a chief editor.

The rule is ``edits_go_live``: an edit goes live at once unless the item's issue is visible
to readers and the editor may not publish revisions (``articles.publish_revision``, the
chief editors'). Otherwise its text (title lines, byline, dateline, body, correction note)
is kept as the item's one pending ``ArticleRevision`` (``do_propose``), and the structural
tools, which rewrite items in place, are refused (``require_live_edit``). A chief editor
looks at the side-by-side diff (``field_diffs``) and publishes the revision
(``do_publish_revision``: one recorded, undoable edit through desk/tools.py, so the caches
follow through reader/signals.py) or discards it. Chief editors' own saves go live directly.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from itertools import zip_longest

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Article, ArticleRevision
from desk import tools as editing

PUBLISH = "articles.publish_revision"
REFUSAL = (
    "本期已发布，读者正在看：合并、拆分、移动段落、改标题角色、恢复版面等直接改动的操作只有主编可以做。"
    "改文字请在稿件页编辑并保存，会存为待发布修改，由主编发布。"
)
SUBHEAD_MARK = "［小标题］"


def edits_go_live(user, article: Article) -> bool:
    """Whether ``user``'s change to ``article`` reaches readers at once: yes while readers
    cannot see the item (its issue is not visible), and for those who may publish revisions."""
    return not article.page.issue.is_visible() or may_publish(user)


def require_live_edit(user, article: Article) -> None:
    """Refuse (``EditError``, in Chinese) a structural change that could not wait as a revision."""
    if not edits_go_live(user, article):
        raise editing.EditError(REFUSAL)


def may_publish(user) -> bool:
    return user is not None and user.has_perm(PUBLISH)


def may_discard(user, revision: ArticleRevision) -> bool:
    """Chief editors discard any revision, an editor their own."""
    return may_publish(user) or (revision.author_id is not None and revision.author_id == user.pk)


def pending_revision(article: Article) -> ArticleRevision | None:
    return ArticleRevision.objects.pending().filter(article=article).first()


def queue():
    """Pending revisions, oldest first, with what the review queue shows of them."""
    return (
        ArticleRevision.objects.pending().select_related("article__page__issue", "author").order_by("created_at", "pk")
    )


def live_values(article: Article) -> dict:
    """The item's current value of every field a revision carries."""
    return {name: getattr(article, name) for name in ArticleRevision.FIELDS}


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def do_propose(article: Article, values: dict, user) -> ArticleRevision | None:
    """Keep ``values`` (some of ``ArticleRevision.FIELDS``) as the item's pending revision.

    They go over the pending revision if there is one (else over the item's live text); the
    item itself is not written. Returns the pending revision, or None when the proposal is
    what readers already see (a pending revision is then discarded: nothing is left to publish).
    """
    live = Article.objects.select_for_update().get(pk=article.pk)
    pending = ArticleRevision.objects.pending().select_for_update().filter(article=live).first()
    current = live_values(live)
    proposed = {**(pending.values() if pending else current)}
    proposed.update({name: value for name, value in values.items() if name in ArticleRevision.FIELDS})
    if proposed == current:
        if pending is not None:
            _decide(pending, ArticleRevision.State.DISCARDED, user)
        return None
    if pending is None:
        pending = ArticleRevision(article=live, author=_actor(user))
    for name, value in proposed.items():
        setattr(pending, name, value)
    pending.edited_by = _actor(user)
    pending.save()
    return pending


def do_correct(article: Article, text: str, user) -> Article | ArticleRevision | None:
    """The 更正 tool: a correction note goes live for chief editors, else waits as a revision."""
    if edits_go_live(user, article):
        editing.do_add_correction(article, text, user=user)
        return article
    return do_propose(article, {"correction": text.strip()}, user)


@transaction.atomic
def do_publish_revision(revision: ArticleRevision, user) -> Article:
    """Apply a pending revision to its item, recorded in the page's history; readers see it."""
    if not may_publish(user):
        raise editing.EditError("只有主编可以发布修改稿。")
    revision = _locked(revision)
    article = revision.article
    values = {name: value for name, value in revision.values().items() if value != getattr(article, name)}
    if "correction" in values:
        values["corrected_at"] = timezone.localdate() if values["correction"] else None
    proposed = copy.copy(article)
    for name, value in values.items():
        setattr(proposed, name, value)
    named = str(article) if str(proposed) == str(article) else f"{article} → {proposed}"
    author = revision.author.get_username() if revision.author else "—"
    editing.do_set_fields(article, values, f"发布修改稿：{named}（{author} 提交）", user=user)
    _decide(revision, ArticleRevision.State.PUBLISHED, user)
    return article


@transaction.atomic
def do_discard_revision(revision: ArticleRevision, user) -> None:
    """Drop a pending revision: the item stays as readers see it."""
    revision = _locked(revision)
    if not may_discard(user, revision):
        raise editing.EditError("只有主编或提交人可以放弃这份修改稿。")
    _decide(revision, ArticleRevision.State.DISCARDED, user)


def _locked(revision: ArticleRevision) -> ArticleRevision:
    row = ArticleRevision.objects.select_for_update().get(pk=revision.pk)
    if row.state != ArticleRevision.State.PENDING:
        raise editing.EditError(f"这份修改稿{row.get_state_display()}，不能再处理。")
    row.article = Article.objects.select_related("page__issue").get(pk=row.article_id)
    return row


def _decide(revision: ArticleRevision, state: ArticleRevision.State, user) -> None:
    revision.state = state
    revision.decided_by = _actor(user)
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])


# The diff ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side diff: the live and proposed sides, escaped HTML."""

    live: SafeString
    proposed: SafeString
    changed: bool


@dataclass(frozen=True)
class FieldDiff:
    label: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def field_diffs(revision: ArticleRevision, article: Article) -> list[FieldDiff]:
    """Every field of the revision against the item as readers see it, per paragraph for the body."""
    diffs = []
    for name in ArticleRevision.FIELDS:
        label = str(ArticleRevision._meta.get_field(name).verbose_name)
        live, proposed = getattr(article, name), getattr(revision, name)
        if name == "body":
            rows = _paragraph_rows([_paragraph(p) for p in live], [_paragraph(p) for p in proposed])
        else:
            rows = [_row(live or "", proposed or "")]
        diffs.append(FieldDiff(label, rows))
    return diffs


def _paragraph(block: dict) -> str:
    text = str(block.get("text", ""))
    return SUBHEAD_MARK + text if block.get("kind") == "subhead" else text


def _paragraph_rows(live: list[str], proposed: list[str]) -> list[Row]:
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, live, proposed, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row(escape(text), escape(text), False) for text in live[i1:i2]]
            continue
        for old, new in zip_longest(live[i1:i2], proposed[j1:j2]):
            rows.append(_row(old, new))
    return rows


def _row(old: str | None, new: str | None) -> Row:
    """Both sides of one text, the removed and added characters marked."""
    if old == new:
        return Row(escape(old), escape(new), False)
    if old is None or new is None:
        return Row(_marked("del", old or ""), _marked("ins", new or ""), True)
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(escape(old[i1:i2]))
            right.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            left.append(_marked("del", old[i1:i2]))
        if j2 > j1:
            right.append(_marked("ins", new[j1:j2]))
    return Row(_joined(left), _joined(right), True)


def _marked(tag: str, text: str) -> SafeString:
    if not text:
        return escape("")
    return format_html("<del>{}</del>", text) if tag == "del" else format_html("<ins>{}</ins>", text)


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))
