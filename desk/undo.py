"""Undo one operation, or restore one item to a version, leaving everyone else's work alone.

Beside the page-wide restore (``desk.tools.do_restore_revision``), which puts a whole page
back as it was, these revert only what one recorded edit changed (desk/changes.py says
what): the items it touched come back as they were before it, items it created go, items
it deleted return, and their positions are put back among the items that are there now.
An undo that would overwrite a later change to the same items is refused, naming that
change. Both are recorded edits like any tool (so an undo can be undone), and go through
``desk.history.content_only``: an issue's state and publication time never change.
"""

from __future__ import annotations

import json

from django.core import serializers
from django.db import transaction
from django.db.models import F
from reversion.models import Revision, Version

from articles.models import Article, ArticleFlag, Credit, Person, Photo
from desk import changes, history
from desk.changes import CHILDREN, DERIVED, Change, Key, Operation, State
from desk.tools import BASELINE_COMMENT, PARK, EditError, _renumber, _revision
from issues.models import Page

UNDO = "撤销："
# Where restored items wait while the page is renumbered: clear of the parked ones (PARK up)
# and of those not parked (at most a few hundred), within a smallint.
WAITING = PARK // 2
# An item's fields a version restores into the item: not where it stands, nor what follows.
KEPT = DERIVED[Article] | {"page"}
CHILD_LABELS = {Photo: "图片", Credit: "署名", ArticleFlag: "标记"}


def label(revision: Revision) -> str:
    return revision.get_comment() or "（无说明）"


@transaction.atomic
def do_undo_operation(revision: Revision, user=None) -> Operation:
    """Revert exactly what ``revision`` changed; refused (EditError) if a later edit changed
    the same items, or if there is nothing to undo. Returns what was undone."""
    op = changes.operation(revision)
    if reason := refusal(op):
        raise EditError(reason)
    touched = op.items
    page_ids = op.pages | set(Article.objects.filter(pk__in=touched).values_list("page_id", flat=True))
    page_ids |= {c.before.fields["page"] for c in op.changes if c.model is Article and c.before}
    pages = list(Page.objects.filter(pk__in=page_ids))
    with _revision(user, f"{UNDO}{label(revision)}", *pages):
        standing = {
            p.pk: list(Article.objects.filter(page=p).order_by("position").values_list("pk", flat=True)) for p in pages
        }
        Article.objects.filter(page__in=pages).update(position=F("position") + PARK)
        with history.content_only() as issues:
            _remove_created(op)
            _bring_back(op)
        history.settle(issues)
        for page in pages:
            _renumber(page, _articles(_restored_order(op, page.pk, standing[page.pk])))
    return op


def _remove_created(op: Operation) -> None:
    for model in (*CHILDREN, Article):
        pks = [c.pk for c in op.of(model, "created")]
        model.objects.filter(pk__in=pks).delete()


def _bring_back(op: Operation) -> None:
    """Write back the state before the operation of every row it changed or deleted."""
    for model in (Page, Article, *CHILDREN):
        restored = [c for c in op.changes if c.model is model and c.before is not None]
        for number, change in enumerate(restored, start=1):
            _write(change.before, position=WAITING + number if model is Article else None)


def _write(state: State, *, position: int | None = None) -> None:
    """Save a recorded state as it was (a raw save, as reversion's revert), an item waiting
    at ``position`` until the page is renumbered."""
    saved = state.version._object_version
    if position is not None:
        saved.object.position = position
    saved.save()


def _restored_order(op: Operation, page: int, standing: list[int]) -> list[int]:
    """The page's items after the undo: those there now, in their current order, with the
    items the undo brings back (or whose order it restores) placed after the item they
    followed before the operation."""
    back = {c.pk: c.before.fields["page"] for c in op.changes if c.model is Article and c.before}
    created = {c.pk for c in op.of(Article, "created")}
    leaving = {pk for pk in standing if pk in created or back.get(pk, page) != page}
    placed = {pk for pk, was in back.items() if was == page and pk not in standing} | set(op.moved.get(page, []))
    order = [pk for pk in standing if pk not in leaving | placed]
    before = op.before_order.get(page, [])
    for index, pk in enumerate(before):
        if pk not in placed:
            continue
        anchor = next((p for p in reversed(before[:index]) if p in order), None)
        order.insert(order.index(anchor) + 1 if anchor is not None else 0, pk)
    rest = Article.objects.filter(page_id=page).exclude(pk__in=order).order_by("position")
    return order + list(rest.values_list("pk", flat=True))


def _articles(pks: list[int]) -> list[Article]:
    found = Article.objects.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


# --- refusals: nothing to undo, or a later edit of the same items --------------------------


def refusal(op: Operation) -> str | None:
    """Why ``op`` cannot be undone (one sentence), or None."""
    if op.revision.comment == BASELINE_COMMENT:
        return "“改稿前原样”记录的是导入时的样子，不是一次操作，不能撤销。"
    if not op.changes and not op.moved:
        return "这一步没有改动任何稿件，无需撤销。"
    return conflict(op)


def conflict(op: Operation) -> str | None:
    """Why undoing ``op`` would overwrite later work (a sentence naming the later edit), or None."""
    current = _current([c.key for c in op.changes])
    for change in op.changes:
        now = current.get(change.key)
        if change.after is None:
            clash = now is not None
        else:
            clash = now is None or not changes.same(change.model, now, change.after.fields)
        if clash:
            return _refusal(op, change, _culprit(op, change))
    for page, moved in op.moved.items():
        if culprit := _reordered_since(op, page, moved):
            return _refusal(op, None, culprit)
    return None


def _current(keys: list[Key]) -> dict[Key, dict]:
    """Rows as they are now, serialised as reversion serialises them."""
    found = {}
    for model in {model for model, _ in keys}:
        rows = model._default_manager.filter(pk__in=[pk for m, pk in keys if m is model])
        for row in json.loads(serializers.serialize("json", rows)):
            found[(model, int(row["pk"]))] = row["fields"]
    return found


def _culprit(op: Operation, change: Change) -> Revision | None:
    """The first later edit that recorded the row otherwise than the operation left it, or,
    for a row that has gone since, the first later edit of its page after its last record."""
    later = Version.objects.get_for_object_reference(change.model, change.pk).filter(revision_id__gt=op.revision.pk)
    last = op.revision.pk
    for version in later.order_by("revision_id").select_related("revision__user"):
        if change.after is None or not changes.same(change.model, changes.fields_of(version), change.after.fields):
            return version.revision
        last = version.revision_id
    page = _page_of(change)
    if page is None:
        return None
    pages = Version.objects.get_for_object_reference(Page, page).filter(revision_id__gt=last)
    return Revision.objects.filter(pk__in=pages.values("revision_id")).select_related("user").order_by("pk").first()


def _page_of(change: Change) -> int | None:
    state = change.after or change.before
    if change.model is Article:
        return state.fields["page"]
    if change.model is Page:
        return change.pk
    return Article.objects.filter(pk=state.fields["article"]).values_list("page_id", flat=True).first()


def _reordered_since(op: Operation, page: int, moved: list[int]) -> Revision | None:
    """The first later edit of the page that changed the order of a moved item among the others."""
    later = (
        Version.objects.get_for_object_reference(Page, page)
        .filter(revision_id__gt=op.revision.pk)
        .values_list("revision_id", flat=True)
    )
    versions = Version.objects.filter(
        revision_id__in=later,
        content_type_id=changes.content_type_id(Article),
        object_id__in=[str(pk) for pk in op.after_order[page]],
    ).order_by("revision_id")
    orders: dict[int, list[tuple[int, int]]] = {}
    for version in versions:
        fields = changes.fields_of(version)
        if fields["page"] == page:
            orders.setdefault(version.revision_id, []).append((fields["position"], int(version.object_id)))
    for revision_id, placed in orders.items():
        if _flipped(op.after_order[page], [pk for _, pk in sorted(placed)], moved):
            return Revision.objects.select_related("user").get(pk=revision_id)
    standing = list(Article.objects.filter(page_id=page).order_by("position").values_list("pk", flat=True))
    if _flipped(op.after_order[page], standing, moved):
        return Revision(comment="未记入历史的改动")
    return None


def _flipped(then: list[int], now: list[int], moved: list[int]) -> bool:
    """Whether any moved item stands otherwise among the others than it did."""
    common = [pk for pk in then if pk in set(now)]
    rank = {pk: i for i, pk in enumerate(pk for pk in now if pk in set(common))}
    for pk in moved:
        if pk not in rank:
            return True
        for other in common:
            if other != pk and (common.index(other) < common.index(pk)) != (rank[other] < rank[pk]):
                return True
    return False


def _refusal(op: Operation, change: Change | None, culprit: Revision | None) -> str:
    what = f"“{label(op.revision)}”"
    item = _item_named(op, change)
    if culprit is None or culprit.pk is None:
        return f"不能撤销{what}：{item}此后又被改动过（未记入历史）。请改用“恢复此稿到此版本”。"
    later = f"{changes.who(culprit)} 于 {changes.when(culprit)} 的“{label(culprit)}”"
    if label(culprit) == f"{UNDO}{label(op.revision)}":
        return f"不能撤销{what}：它已被撤销（{later}）。"
    return f"不能撤销{what}：此后{later}又改动了{item}。请先撤销那一步，或改用“恢复此稿到此版本”。"


def _item_named(op: Operation, change: Change | None) -> str:
    if change is None:
        return "本版的顺序"
    pks = sorted(change.items)
    if not pks:
        return "版面"
    article = Article.objects.filter(pk=pks[0]).first()
    return f"稿件“{article.display_title if article else op.title(pks[0])}”"


# --- restore one item to a version ---------------------------------------------------------


@transaction.atomic
def do_restore_item(article: Article, revision: Revision, user=None) -> None:
    """Put one item's fields, body, flags, photos and credits back as ``revision`` recorded
    them; its page and position stay as they are now. Refused (EditError) where the version's
    rows now belong to another item or name a person no longer on file."""
    recorded = changes.Ledger(revision.version_set.all()).recorded(revision.pk)
    state = recorded.get((Article, article.pk))
    if state is None:
        raise EditError("这一步没有记录这篇稿件，无法恢复到此版本。")
    rows = {
        m: [s for (model, _), s in recorded.items() if model is m and s.fields["article"] == article.pk]
        for m in CHILDREN
    }
    _check_rows(article, rows)
    comment = f"恢复此稿到 {changes.when(revision)} 的版本：{changes.display_title(state.fields)}"
    with _revision(user, comment, article.page):
        fields = [f for f in Article._meta.concrete_fields if f.name in state.fields and f.name not in KEPT]
        for field in fields:
            value = state.fields[field.name]
            setattr(article, field.attname, field.to_python(value) if not field.is_relation else value)
        if article.continues_id and not Article.objects.filter(pk=article.continues_id).exists():
            article.continues_id = None
        article.edited = True
        article.save(update_fields={*(f.name for f in fields), "edited", "continues", "updated_at"})
        for model, states in rows.items():
            model.objects.filter(article=article).exclude(pk__in=[s.version.object_id for s in states]).delete()
        with history.content_only():
            for model in CHILDREN:
                for child in rows[model]:
                    _write(child)
        article.drop_flag_cache()


def _check_rows(article: Article, rows: dict[type, list[State]]) -> None:
    for model, states in rows.items():
        pks = [int(s.version.object_id) for s in states]
        taken = model.objects.filter(pk__in=pks).exclude(article=article).select_related("article").first()
        if taken is not None:
            raise EditError(
                f"这一版本的{CHILD_LABELS[model]}现在属于稿件“{taken.article}”，不能恢复到此版本；请先撤销挪走它的那一步。"
            )
    people = {s.fields["person"] for s in rows[Credit]}
    if len(Person.objects.filter(pk__in=people)) < len(people):
        raise EditError("这一版本的署名人已被删除，不能恢复到此版本。")
