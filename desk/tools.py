"""The editors' tools: every structural correction of an item, one atomic function each.

Each ``do_*`` function runs in one transaction inside a django-reversion revision (who, when,
a comment saying what), marks the items it touches as edited so that a re-import never
overwrites them, and clears the flags its fix resolves. django-reversion keeps whole-object
versions grouped per revision, so any tool's effect can be reverted from the item's history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import reversion
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from reversion.models import Revision, Version

from articles import body as body_rules
from articles.body import BlockKind
from articles.flags import Flag
from articles.models import NOTE_SEPARATOR, Article, ArticleFlag, Credit, Photo
from desk import history
from issues.importer.text import quotes_paired
from issues.importer.titles import lacks_headline
from issues.models import Issue, Page
from reader import signals

TITLE_ROLES = ("kicker", "headline", "subheadline")
ROLE_LABELS = {"kicker": "引题", "headline": "主题", "subheadline": "副题"}
BASELINE_COMMENT = "改稿前原样"
HEADLINE_MAX = Article._meta.get_field("headline").max_length
# Positions are parked this far up while a restore rewrites them (PositiveSmallIntegerField
# is a smallint on PostgreSQL, so stay well below 32767).
PARK = 10_000


NO_BLOCK = "没有这一段：稿件可能已被改动，请刷新后再试"


class EditError(ValueError):
    """A tool that cannot apply here; the message says why, in Chinese."""


def snapshot_page(page: Page) -> None:
    """Add the page and every item on it, as they are now, to the open revision.

    Items bring their photos, credits and flags (they follow them); flags are added again
    explicitly, so that a flag recorded earlier in the revision is recorded as it ends up.
    """
    for article in Article.objects.filter(page=page):
        reversion.add_to_revision(article)
    for flag in ArticleFlag.objects.filter(article__page=page):
        reversion.add_to_revision(flag)
    reversion.add_to_revision(page)


def ensure_baseline(*pages: Page) -> None:
    """Record pages nobody has edited yet exactly as imported, so the first edit can be undone."""
    missing = [page for page in pages if not Version.objects.get_for_object(page).exists()]
    if missing:
        with reversion.create_revision():
            reversion.set_comment(BASELINE_COMMENT)
            for page in missing:
                snapshot_page(page)


@contextmanager
def _revision(user, comment: str, *pages: Page) -> Iterator[None]:
    """One revision for one tool: the whole of each page it touched, after the change.

    Snapshotting whole pages (not only the saved rows) records positions renumbered with
    ``update()`` too, so restoring any revision puts the page back in that exact order.
    """
    pages = tuple({page.pk: page for page in pages if page is not None}.values())
    ensure_baseline(*pages)
    with reversion.create_revision():
        if user is not None and getattr(user, "is_authenticated", False):
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield
        for page in pages:
            snapshot_page(page)
    # Positions renumbered with update() send no signal: tell the reader side here.
    signals.invalidate({page.issue_id for page in pages})


def touch(article: Article, *resolved: Flag) -> list[Flag]:
    """Mark an item edited (unsaved), remove the flags the fix resolved and those the checks
    run again no longer find (written now); returns the latter."""
    article.edited = True
    article.settle_flags(*resolved)
    return recheck_flags(article)


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
    """Save what the tools change; never page or position, which only ``_renumber`` writes
    (a stale instance must not put an item back where another now stands)."""
    fields = [
        f.name
        for f in Article._meta.concrete_fields
        if not f.primary_key and f.name not in {"page", "position", "created_at"}
    ]
    for article in articles:
        article.save(update_fields=fields)


def _neighbour(article: Article, direction: str) -> Article:
    siblings = Article.objects.filter(page=article.page)
    if direction == "previous":
        other = siblings.filter(position__lt=article.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=article.position).order_by("position").first()
    if other is None:
        raise EditError(f"本版没有{'上' if direction == 'previous' else '下'}一篇稿件可以合并")
    return other


@transaction.atomic
def do_merge_articles(article: Article, direction: str, user=None) -> Article:
    """Merge ``article`` into the previous or next item on its page; returns the survivor.

    The survivor keeps its title lines and takes the merged item's where it has none; any
    title line left over becomes a body block at the join, so no text is lost.
    """
    survivor = _neighbour(article, direction)
    first, second = (survivor, article) if direction == "previous" else (article, survivor)
    with _revision(user, f"合并稿件：{first} + {second}", article.page):
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
        survivor.absorb_flags(article)
        Photo.objects.filter(article=article).update(article=survivor)
        for credit in Credit.objects.filter(article=article):
            Credit.objects.get_or_create(article=survivor, person=credit.person, role=credit.role)
        Article.objects.filter(continues=article).update(continues=survivor)
        page = article.page
        article.delete()
        touch(survivor)
        if not survivor.headline:
            survivor.add_flag(Flag.MISSING_HEADLINE)
        _save(survivor)
        _renumber(page, Article.objects.filter(page=page).order_by("position"))
    return survivor


@transaction.atomic
def do_split_article(article: Article, at_block: int, user=None) -> Article:
    """Split before block ``at_block``: the blocks from there on become a new item after it.

    A subhead where the split falls becomes the new item's headline (it is the title of the
    part that follows it); otherwise the new item is flagged as missing one.
    """
    if not 0 < at_block < len(article.body):
        raise EditError("请选第二段或之后的段落拆分：从第一段拆分等于不拆")
    with _revision(user, f"拆分稿件：{article}，自第{at_block + 1}段起", article.page):
        siblings = list(Article.objects.filter(page=article.page).order_by("position"))
        headline, tail = _leading_subhead(article.body[at_block:])
        new = Article(
            page=article.page,
            position=0,
            kind=Article.Kind.ARTICLE,
            headline=headline,
            body=tail,
            edited=True,
            issue_date=article.issue_date,
            issue_published_at=article.issue_published_at,
            continued_to_page=article.continued_to_page,
        )
        article.body = article.body[:at_block]
        article.continued_to_page = None
        touch(article)
        top = (max(a.position for a in siblings) if siblings else 0) + 1
        new.position = top + len(siblings) + 1
        new.save()
        if not headline:
            new.add_flag(Flag.MISSING_HEADLINE)
        _save(article)
        index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
        _renumber(article.page, [*siblings[: index + 1], new, *siblings[index + 1 :]])
    return new


def _leading_subhead(blocks: list[dict]) -> tuple[str, list[dict]]:
    """A subhead opening ``blocks`` as a headline (if it fits one), and the blocks after it."""
    first = blocks[0]
    if first.get("kind") == BlockKind.SUBHEAD and len(first["text"]) <= HEADLINE_MAX:
        return first["text"], blocks[1:]
    return "", blocks


@transaction.atomic
def do_join_paragraphs(article: Article, block: int, user=None) -> None:
    """Join paragraph ``block`` with the next one: a paragraph a column break cut in two.

    The lost-text finding the importer made at that break (the paragraph "ended mid-sentence")
    is resolved by the join and goes; the flag goes with its last finding.
    """
    if not 0 <= block < len(article.body) - 1:
        raise EditError("请选一段与它的下一段拼接：最后一段后面没有段落")
    try:
        merged = body_rules.joined(article.body[block], article.body[block + 1])
    except body_rules.BodyError as exc:
        raise EditError(str(exc)) from exc
    with _revision(user, f"拼接段落：{article}，第{block + 1}段与第{block + 2}段", article.page):
        _drop_lost_text_finding(article, article.body[block]["text"])
        article.body = [*article.body[:block], merged, *article.body[block + 2 :]]
        touch(article)
        _save(article)


def _drop_lost_text_finding(article: Article, text: str) -> None:
    """Remove the lost-text findings that quote the end of ``text`` (each ends "…<tail>")."""
    row = article.flag_set.filter(code=Flag.POSSIBLE_LOST_TEXT).first()
    if row is None:
        return
    findings = [f for f in row.note.split(NOTE_SEPARATOR) if f]
    kept = [f for f in findings if not ("…" in f and text.endswith(f.rsplit("…", 1)[1]))]
    if len(kept) == len(findings):
        return
    if kept:
        row.note = NOTE_SEPARATOR.join(kept)
        row.store()
        article.drop_flag_cache()
    else:
        article.clear_flags(Flag.POSSIBLE_LOST_TEXT)


@transaction.atomic
def do_edit_paragraph(article: Article, block: int, text: str, kind: str, user=None) -> bool:
    """Rewrite one paragraph (its text and kind); False if nothing changed."""
    if not 0 <= block < len(article.body):
        raise EditError(NO_BLOCK)
    try:
        changed = body_rules.paragraph(kind, text)
    except body_rules.BodyError as exc:
        raise EditError(str(exc)) from exc
    if changed == {"kind": article.body[block].get("kind"), "text": article.body[block]["text"]}:
        return False
    with _revision(user, f"修改第{block + 1}段：{article}", article.page):
        article.body = [*article.body[:block], changed, *article.body[block + 1 :]]
        touch(article)
        _save(article)
    return True


@transaction.atomic
def do_delete_paragraph(article: Article, block: int, user=None) -> None:
    """Remove one paragraph (undoable from the history like any tool)."""
    if not 0 <= block < len(article.body):
        raise EditError(NO_BLOCK)
    with _revision(user, f"删除第{block + 1}段：{article}", article.page):
        article.body = [*article.body[:block], *article.body[block + 1 :]]
        touch(article)
        _save(article)


@transaction.atomic
def do_raise_paragraph(article: Article, block: int, user=None) -> None:
    """Move one paragraph up one place."""
    if not 0 < block < len(article.body):
        raise EditError("第一段已在最前：请选后面的段落上移")
    with _revision(user, f"第{block + 1}段上移：{article}", article.page):
        body = list(article.body)
        body[block - 1], body[block] = body[block], body[block - 1]
        article.body = body
        touch(article)
        _save(article)


@transaction.atomic
def do_set_titles(article: Article, user=None, **titles: str) -> bool:
    """Write the title lines given (kicker, headline, subheadline); False if none changed.

    A headline written clears 缺主题; a headline emptied raises it.
    """
    new = {role: titles[role].strip() for role in TITLE_ROLES if role in titles}
    for role, text in new.items():
        if len(text) > HEADLINE_MAX:
            raise EditError(f"{ROLE_LABELS[role]}太长：最多 {HEADLINE_MAX} 字")
    if all(getattr(article, role) == text for role, text in new.items()):
        return False
    had_headline = bool(article.headline)
    with _revision(user, f"修改标题：{article}", article.page):
        for role, text in new.items():
            setattr(article, role, text)
        touch(article)
        if had_headline and not article.headline:
            article.add_flag(Flag.MISSING_HEADLINE)
        _save(article)
    return True


@transaction.atomic
def do_move_block(article: Article, block: int, target: Article, user=None) -> None:
    """Move one body block to the end (or start, if it came from the next item) of ``target``."""
    if not 0 <= block < len(article.body):
        raise EditError(NO_BLOCK)
    if target.pk == article.pk:
        raise EditError("请选另一篇稿件")
    with _revision(user, f"移动段落：{article} → {target}", article.page, target.page):
        moved = article.body[block]
        article.body = article.body[:block] + article.body[block + 1 :]
        same_page_after = target.page_id == article.page_id and target.position > article.position
        target.body = [moved, *target.body] if same_page_after else [*target.body, moved]
        touch(article)
        touch(target)
        _save(article, target)


@transaction.atomic
def do_promote_block(article: Article, block: int, role: str, user=None) -> None:
    """Make a body block a title line (its role's current text goes back into the body)."""
    if role not in TITLE_ROLES or not 0 <= block < len(article.body):
        raise EditError("请选一个段落和一个标题角色")
    with _revision(user, f"段落升为{ROLE_LABELS[role]}：{article}", article.page):
        text = article.body[block]["text"]
        body = article.body[:block] + article.body[block + 1 :]
        if getattr(article, role):
            body.insert(block, {"kind": "text", "text": getattr(article, role)})
        article.body = body
        setattr(article, role, text)
        touch(article, Flag.UNCERTAIN_TITLE_SPLIT)
        _save(article)


@transaction.atomic
def do_demote_title(article: Article, role: str, user=None) -> None:
    """Move a title line to the top of the body."""
    if role not in TITLE_ROLES or not getattr(article, role):
        raise EditError("这一行标题是空的")
    with _revision(user, f"{ROLE_LABELS[role]}降为正文：{article}", article.page):
        article.body = [{"kind": "text", "text": getattr(article, role)}, *article.body]
        setattr(article, role, "")
        touch(article, Flag.UNCERTAIN_TITLE_SPLIT)
        if not article.headline:
            article.add_flag(Flag.MISSING_HEADLINE)
        _save(article)


@transaction.atomic
def do_swap_titles(article: Article, a: str, b: str, user=None) -> None:
    if a not in TITLE_ROLES or b not in TITLE_ROLES or a == b:
        raise EditError("请选两个不同的标题角色")
    with _revision(user, f"交换标题：{ROLE_LABELS[a]} ⇄ {ROLE_LABELS[b]}：{article}", article.page):
        first, second = getattr(article, a), getattr(article, b)
        setattr(article, a, second)
        setattr(article, b, first)
        touch(article, Flag.UNCERTAIN_TITLE_SPLIT)
        _save(article)


@transaction.atomic
def do_toggle_subhead(article: Article, block: int, user=None) -> None:
    if not 0 <= block < len(article.body):
        raise EditError(NO_BLOCK)
    with _revision(user, f"切换小标题：{article}", article.page):
        body = [dict(p) for p in article.body]
        body[block]["kind"] = "text" if body[block]["kind"] == "subhead" else "subhead"
        article.body = body
        touch(article)
        _save(article)


@transaction.atomic
def do_set_kind(article: Article, kind: str, user=None) -> None:
    """Turn an article into a photo item (body becomes the caption) or back."""
    if kind not in Article.Kind.values or kind == article.kind:
        raise EditError("稿件已经是这个类型")
    with _revision(user, f"改为{Article.Kind(kind).label}：{article}", article.page):
        if kind == Article.Kind.PHOTO:
            caption = "\n".join(p["text"] for p in article.body)
            Photo.objects.create(article=article, caption=caption)
            article.body = []
        else:
            photos = list(article.photos.all())
            article.body = [{"kind": "text", "text": p.caption} for p in photos if p.caption]
            Photo.objects.filter(article=article, image="").delete()
        article.kind = kind
        touch(article)
        _save(article)


@transaction.atomic
def do_link_continuation(part: Article, earlier: Article | None, user=None) -> None:
    """Say ``part`` continues ``earlier`` (None unlinks it, clearing both page references)."""
    if earlier is not None and earlier.pk == part.pk:
        raise EditError("稿件不能接续自己")
    if earlier is not None and earlier.page.issue_id != part.page.issue_id:
        raise EditError("接续的两部分必须在同一期")
    previous = part.continues
    if earlier is None and previous is None:
        raise EditError("这篇稿件没有上接的部分")
    pages = [part.page, earlier.page if earlier else None, previous.page if previous else None]
    with _revision(user, f"{'链接' if earlier else '取消链接'}接续：{part}", *pages):
        if previous is not None and (earlier is None or previous.pk != earlier.pk):
            if previous.continued_to_page == part.page.number:
                previous.continued_to_page = None
            touch(previous)
            _save(previous)
        part.continues = earlier
        part.continued_from_page = earlier.page.number if earlier else None
        if earlier is not None:
            earlier.continued_to_page = part.page.number
            touch(earlier)
            _save(earlier)
        touch(part)
        _save(part)


@transaction.atomic
def do_reorder(page: Page, ordered_ids: list[int], user=None) -> None:
    articles = {a.pk: a for a in Article.objects.filter(page=page)}
    if sorted(ordered_ids) != sorted(articles):
        raise EditError("新顺序必须把本版每篇稿件各列一次")
    with _revision(user, f"调整顺序：{page}", page):
        ordered = [articles[pk] for pk in ordered_ids]
        _renumber(page, ordered)
        for article in ordered:
            touch(article)
            _save(article)


@transaction.atomic
def do_move_to_page(article: Article, page: Page, user=None) -> None:
    if page.issue_id != article.page.issue_id:
        raise EditError("稿件只能移到同一期的其他版")
    if page.pk == article.page_id:
        raise EditError("稿件已在这一版")
    with _revision(user, f"移到{page}：{article}", article.page, page):
        old = article.page
        _renumber(page, [*Article.objects.filter(page=page).order_by("position"), article])
        _renumber(old, Article.objects.filter(page=old).order_by("position"))
        touch(article)
        _save(article)


def page_revisions(page: Page) -> QuerySet[Revision]:
    """The revisions that recorded ``page``, newest first: its undo history."""
    return Revision.objects.filter(version__in=Version.objects.get_for_object(page)).order_by("-date_created", "-pk")


@transaction.atomic
def do_restore_revision(revision: Revision, user=None) -> list[Page]:
    """Put the pages a revision recorded back as they were then: undo every later edit.

    Items the revision holds come back (merged-away items reappear, split-off items go),
    photos, credits and flags follow their items, and positions are parked first so the
    unique (page, position) rule never sees two items in one place half-way through.
    """
    page_ids: set[int] = set()
    article_ids: set[int] = set()
    legacy: dict[int, dict[str, str]] = {}
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model is Page:
            page_ids.add(int(version.object_id))
        elif model is Article:
            article_ids.add(int(version.object_id))
            page_ids.add(version.field_dict["page_id"])
            flags = _legacy_flags(version)
            if flags is not None:
                legacy[int(version.object_id)] = flags
    if not page_ids:
        raise EditError("这条历史记录没有记下版面")
    page_ids |= set(Article.objects.filter(pk__in=article_ids).values_list("page_id", flat=True))
    pages = list(Page.objects.filter(pk__in=page_ids))
    when = timezone.localtime(revision.date_created)
    with _revision(user, f"恢复到 {when:%Y-%m-%d %H:%M:%S}（{revision.comment}）之后的样子", *pages):
        Article.objects.filter(page__in=pages).exclude(pk__in=article_ids).filter(
            created_at__gt=revision.date_created
        ).delete()
        Article.objects.filter(page__in=pages).update(position=F("position") + PARK)
        history.revert(revision, delete=True)
        for article in Article.objects.filter(pk__in=legacy):
            for code, note in legacy[article.pk].items():
                article.add_flag(code, note)
        for page in pages:
            _renumber(page, Article.objects.filter(page=page).order_by("position", "pk"))
    return pages


def _legacy_flags(version: Version) -> dict[str, str] | None:
    """An item's flags as a version recorded before flags became rows (code → note), else None.

    Those versions carry the JSON columns ``flags`` and ``flag_notes`` and no flag rows, so
    a restore would otherwise drop the item's flags: they are raised again from the JSON.
    """
    fields = json.loads(version.serialized_data)[0]["fields"] if version.format == "json" else {}
    if "flags" not in fields:
        return None
    notes = fields.get("flag_notes") or {}
    known = {flag.value for flag in Flag}
    return {code: str(notes.get(code, "")) for code in fields["flags"] if code in known}


@transaction.atomic
def may_clear_all_flags(user) -> bool:
    """Clearing every flag of items at once empties the chief's check: chief editors only
    (the permission to override flags). Anyone who may change an item reviews its flags one by one."""
    return user.has_perm("issues.override_flags")


def recheck_flags(article: Article) -> list[Flag]:
    """Run again the importer's checks that apply to edited text (quotes pair, a headline is
    there) and clear the flags they no longer find; returns the flags cleared."""
    texts = [article.kicker, article.headline, article.subheadline, *(p.get("text", "") for p in article.body)]
    fixed = []
    if not lacks_headline(article.kicker, article.headline):
        fixed.append(Flag.MISSING_HEADLINE)
    if quotes_paired(texts):
        fixed.append(Flag.UNBALANCED_QUOTES)
    cleared = [flag for flag in fixed if article.flag_set.filter(code=flag).exists()]
    if cleared:
        article.clear_flags(*cleared)
    return cleared


def do_mark_reviewed(articles: Iterable[Article], user=None, codes: Iterable[Flag] = ()) -> int:
    """Record that ``user`` checked the items' flags (only ``codes`` if given).

    Returns how many items had such unreviewed flags. Reviewed items count as edited, so a
    re-import cannot bring the flags back silently. The revision names the flags reviewed.
    """
    articles, codes = list(articles), [Flag(code) for code in codes]
    rows = ArticleFlag.objects.unreviewed().filter(article__in=articles)
    if codes:
        rows = rows.filter(code__in=codes)
    flagged_ids = set(rows.values_list("article_id", flat=True))
    flagged = [a for a in articles if a.pk in flagged_ids]
    pages = {a.page_id: a.page for a in flagged}.values()
    what = "、".join(f"“{code.label}”" for code in codes) if codes else "全部标记"
    names = "、".join(str(a) for a in flagged[:3]) + ("等" if len(flagged) > 3 else "")
    with _revision(user, f"标为已审（{what}）：{len(flagged)} 篇（{names}）", *pages):
        rows.mark_reviewed(user)
        for article in flagged:
            article.edited = True
            article.drop_flag_cache()
            article.save(update_fields=["edited", "updated_at"])
    return len(flagged)


@transaction.atomic
def do_add_correction(article: Article, text: str, user=None, on: dt.date | None = None) -> None:
    """Attach a correction note (更正) to a published item, dated today unless ``on``."""
    if article.page.issue.status != Issue.Status.PUBLISHED:
        raise EditError("更正只用于已发布的稿件：发布前请直接修改稿件")
    text = text.strip()
    with _revision(user, f"更正：{article}", article.page):
        article.correction = text
        article.corrected_at = (on or timezone.localdate()) if text else None
        touch(article)
        _save(article)


@transaction.atomic
def do_apply_suggestion(flag: ArticleFlag, number: int, user=None) -> Article:
    """Apply suggestion ``number`` of a flag (an OCR flag's proposed spelling) to its item.

    A recorded edit like any other tool's; the flag goes once its last suggestion is applied.
    """
    suggestions = list(flag.suggestions)
    if not 0 <= number < len(suggestions):
        raise EditError("没有这条建议写法")
    suggestion = suggestions.pop(number)
    article = flag.article
    comment = f"采用建议写法：{suggestion['original']} → {suggestion['replacement']}：{article}"
    with _revision(user, comment, article.page):
        _replace_text(article, suggestion)
        if suggestions:
            flag.suggestions = suggestions
            flag.store()
        else:
            article.clear_flags(flag.code)
        touch(article)
        _save(article)
    return article


def _replace_text(article: Article, suggestion: dict) -> None:
    """Replace the suggestion's original text by its replacement in the field it names."""
    field, index = suggestion["field"], int(suggestion["index"])
    original, replacement = suggestion["original"], suggestion["replacement"]
    if field in TITLE_ROLES:
        text = getattr(article, field)
        _require(original, text)
        setattr(article, field, text.replace(original, replacement))
    elif field == "paragraph" and 0 <= index < len(article.body):
        _require(original, article.body[index]["text"])
        body = [dict(p) for p in article.body]
        body[index]["text"] = body[index]["text"].replace(original, replacement)
        article.body = body
    elif field == "caption" and (photo := article.photos.order_by("position")[index : index + 1].first()):
        _require(original, photo.caption)
        photo.caption = photo.caption.replace(original, replacement)
        photo.save(update_fields=["caption"])
    else:
        raise EditError("建议所指的位置已不存在：稿件可能已被改动")


def _require(original: str, text: str) -> None:
    if original not in text:
        raise EditError(f"“{original}”已不在原处：可能已经改过，请手工核对")


@transaction.atomic
def do_set_fields(article: Article, values: dict, comment: str, user=None) -> Article:
    """Write ``values`` (field name → value) to the item as one recorded edit named by
    ``comment`` (desk/revisions.py publishes a revision through it)."""
    with _revision(user, comment, article.page):
        for name, value in values.items():
            setattr(article, name, value)
        touch(article)
        _save(article)
    return article
