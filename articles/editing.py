"""The editors' tools: every structural correction of an item, one atomic function each.

Each ``do_*`` function runs in one transaction inside a django-reversion revision (who, when,
a comment saying what), marks the items it touches as edited so that a re-import never
overwrites them, and clears the flags its fix resolves. django-reversion keeps whole-object
versions grouped per revision, so any tool's effect can be reverted from the item's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

import reversion
from django.db import transaction
from django.db.models import F, Max

from articles.models import Article, Credit, Photo
from issues.models import Page

TITLE_ROLES = ("kicker", "headline", "subheadline")


class EditError(ValueError):
    """A tool that cannot apply here; the message says why."""


@contextmanager
def _revision(user, comment: str):
    with reversion.create_revision():
        if user is not None and getattr(user, "is_authenticated", False):
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def _touch(article: Article, *resolved: str) -> None:
    article.edited = True
    if resolved:
        article.flags = [f for f in article.flags if f not in resolved]
        article.flag_notes = {k: v for k, v in article.flag_notes.items() if k not in resolved}
    if article.headline and "missing_headline" in article.flags:
        article.flags = [f for f in article.flags if f != "missing_headline"]
        article.flag_notes.pop("missing_headline", None)


def _renumber(page: Page, ordered: Iterable[Article]) -> None:
    """Give ``ordered`` positions 1..n on ``page`` without tripping the unique constraint."""
    ordered = list(ordered)
    pages = {page.pk, *(a.page_id for a in ordered)}
    top = (Article.objects.filter(page__in=pages).aggregate(m=Max("position"))["m"] or 0) + len(ordered) + 1
    Article.objects.filter(pk__in=[a.pk for a in ordered]).update(position=F("position") + top)
    for number, article in enumerate(ordered, start=1):
        Article.objects.filter(pk=article.pk).update(position=number, page=page)
        article.position, article.page = number, page


def _save(*articles: Article) -> None:
    for article in articles:
        article.save()


def _neighbour(article: Article, direction: str) -> Article:
    siblings = Article.objects.filter(page=article.page)
    if direction == "previous":
        other = siblings.filter(position__lt=article.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=article.position).order_by("position").first()
    if other is None:
        raise EditError(f"there is no {direction} item on this page to merge with")
    return other


@transaction.atomic
def do_merge_articles(article: Article, direction: str, user=None) -> Article:
    """Merge ``article`` into the previous or next item on its page; returns the survivor.

    The survivor keeps its title lines and takes the merged item's where it has none; any
    title line left over becomes a body block at the join, so no text is lost.
    """
    survivor = _neighbour(article, direction)
    first, second = (survivor, article) if direction == "previous" else (article, survivor)
    with _revision(user, f"合并稿件：{first} + {second}"):
        leftover = []
        for role in TITLE_ROLES:
            mine = getattr(article, role)
            if mine and not getattr(survivor, role):
                setattr(survivor, role, mine)
            elif mine:
                leftover.append({"kind": "text", "text": mine})
        if direction == "previous":
            survivor.body = [*survivor.body, *leftover, *article.body]
        else:
            survivor.body = [*leftover, *article.body, *survivor.body]
        survivor.raw_text = "\n\n".join(t for t in (first.raw_text, second.raw_text) if t)
        survivor.byline = survivor.byline or article.byline
        survivor.source = survivor.source or article.source
        survivor.continued_to_page = second.continued_to_page or first.continued_to_page
        survivor.continued_from_page = first.continued_from_page or second.continued_from_page
        survivor.flags = sorted((set(first.flags) | set(second.flags)) - {"missing_headline"})
        Photo.objects.filter(article=article).update(article=survivor)
        for credit in Credit.objects.filter(article=article):
            Credit.objects.get_or_create(article=survivor, person=credit.person, role=credit.role)
        Article.objects.filter(continues=article).update(continues=survivor)
        page = article.page
        article.delete()
        _touch(survivor)
        if not survivor.headline:
            survivor.flags = [*survivor.flags, "missing_headline"]
        _save(survivor)
        _renumber(page, Article.objects.filter(page=page).order_by("position"))
    return survivor


@transaction.atomic
def do_split_article(article: Article, at_block: int, user=None) -> Article:
    """Split before block ``at_block``: the blocks from there on become a new item after it."""
    if not 0 < at_block < len(article.body):
        raise EditError("choose a block after the first one to split at")
    with _revision(user, f"拆分稿件：{article}，自第{at_block + 1}段起"):
        siblings = list(Article.objects.filter(page=article.page).order_by("position"))
        new = Article(
            page=article.page,
            position=0,
            kind=Article.Kind.ARTICLE,
            body=article.body[at_block:],
            edited=True,
            flags=["missing_headline"],
            issue_date=article.issue_date,
            issue_published_at=article.issue_published_at,
            continued_to_page=article.continued_to_page,
        )
        article.body = article.body[:at_block]
        article.continued_to_page = None
        _touch(article)
        top = (max(a.position for a in siblings) if siblings else 0) + 1
        new.position = top + len(siblings) + 1
        new.save()
        _save(article)
        index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
        _renumber(article.page, [*siblings[: index + 1], new, *siblings[index + 1 :]])
    return new


@transaction.atomic
def do_move_block(article: Article, block: int, target: Article, user=None) -> None:
    """Move one body block to the end (or start, if it came from the next item) of ``target``."""
    if not 0 <= block < len(article.body):
        raise EditError("no such block")
    if target.pk == article.pk:
        raise EditError("choose another item")
    with _revision(user, f"移动段落：{article} → {target}"):
        moved = article.body[block]
        article.body = article.body[:block] + article.body[block + 1 :]
        same_page_after = target.page_id == article.page_id and target.position > article.position
        target.body = [moved, *target.body] if same_page_after else [*target.body, moved]
        _touch(article)
        _touch(target)
        _save(article, target)


@transaction.atomic
def do_promote_block(article: Article, block: int, role: str, user=None) -> None:
    """Make a body block a title line (its role's current text goes back into the body)."""
    if role not in TITLE_ROLES or not 0 <= block < len(article.body):
        raise EditError("choose a block and a title role")
    with _revision(user, f"段落升为{role}：{article}"):
        text = article.body[block]["text"]
        body = article.body[:block] + article.body[block + 1 :]
        if getattr(article, role):
            body.insert(block, {"kind": "text", "text": getattr(article, role)})
        article.body = body
        setattr(article, role, text)
        _touch(article, "uncertain_title_split")
        _save(article)


@transaction.atomic
def do_demote_title(article: Article, role: str, user=None) -> None:
    """Move a title line to the top of the body."""
    if role not in TITLE_ROLES or not getattr(article, role):
        raise EditError("that title line is empty")
    with _revision(user, f"{role}降为正文：{article}"):
        article.body = [{"kind": "text", "text": getattr(article, role)}, *article.body]
        setattr(article, role, "")
        _touch(article, "uncertain_title_split")
        if not article.headline and "missing_headline" not in article.flags:
            article.flags = [*article.flags, "missing_headline"]
        _save(article)


@transaction.atomic
def do_swap_titles(article: Article, a: str, b: str, user=None) -> None:
    if a not in TITLE_ROLES or b not in TITLE_ROLES or a == b:
        raise EditError("choose two different title roles")
    with _revision(user, f"交换标题：{a} ⇄ {b}"):
        first, second = getattr(article, a), getattr(article, b)
        setattr(article, a, second)
        setattr(article, b, first)
        _touch(article, "uncertain_title_split")
        _save(article)


@transaction.atomic
def do_toggle_subhead(article: Article, block: int, user=None) -> None:
    if not 0 <= block < len(article.body):
        raise EditError("no such block")
    with _revision(user, f"切换小标题：{article}"):
        body = [dict(p) for p in article.body]
        body[block]["kind"] = "text" if body[block]["kind"] == "subhead" else "subhead"
        article.body = body
        _touch(article)
        _save(article)


@transaction.atomic
def do_set_kind(article: Article, kind: str, user=None) -> None:
    """Turn an article into a photo item (body becomes the caption) or back."""
    if kind not in Article.Kind.values or kind == article.kind:
        raise EditError("the item is already of that kind")
    with _revision(user, f"改为{Article.Kind(kind).label}：{article}"):
        if kind == Article.Kind.PHOTO:
            caption = "\n".join(p["text"] for p in article.body)
            Photo.objects.create(article=article, caption=caption)
            article.body = []
        else:
            photos = list(article.photos.all())
            article.body = [{"kind": "text", "text": p.caption} for p in photos if p.caption]
            Photo.objects.filter(article=article, image="").delete()
        article.kind = kind
        _touch(article)
        _save(article)


@transaction.atomic
def do_link_continuation(part: Article, earlier: Article | None, user=None) -> None:
    """Say ``part`` continues ``earlier`` (None unlinks it)."""
    if earlier is not None and earlier.pk == part.pk:
        raise EditError("an item cannot continue itself")
    with _revision(user, f"{'链接' if earlier else '取消链接'}接续：{part}"):
        part.continues = earlier
        if earlier is not None:
            part.continued_from_page = earlier.page.number
            earlier.continued_to_page = part.page.number
            _touch(earlier)
            _save(earlier)
        _touch(part)
        _save(part)


@transaction.atomic
def do_reorder(page: Page, ordered_ids: list[int], user=None) -> None:
    articles = {a.pk: a for a in Article.objects.filter(page=page)}
    if sorted(ordered_ids) != sorted(articles):
        raise EditError("the new order must list every item of the page once")
    with _revision(user, f"调整顺序：{page}"):
        ordered = [articles[pk] for pk in ordered_ids]
        _renumber(page, ordered)
        for article in ordered:
            _touch(article)
            _save(article)


@transaction.atomic
def do_move_to_page(article: Article, page: Page, user=None) -> None:
    if page.issue_id != article.page.issue_id:
        raise EditError("an item can only move to another page of the same issue")
    if page.pk == article.page_id:
        raise EditError("the item is already on that page")
    with _revision(user, f"移到{page}：{article}"):
        old = article.page
        _renumber(page, [*Article.objects.filter(page=page).order_by("position"), article])
        _renumber(old, Article.objects.filter(page=old).order_by("position"))
        _touch(article)
        _save(article)
