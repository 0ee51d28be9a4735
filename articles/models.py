from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from articles import flags, segmentation
from articles.flags import Flag
from issues.models import Page, printed_at, visible_q
from reader import links


class PersonQuerySet(models.QuerySet):
    def visible(self, now: dt.datetime | None = None):
        """People credited in at least one item readers may see."""
        credited = Credit.objects.filter(visible_q("article__page__issue__", now), person=OuterRef("pk"))
        return self.filter(Exists(credited))


class Person(models.Model):
    name = models.CharField("姓名", max_length=50, unique=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "署名人"
        verbose_name_plural = "署名人"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.path("reader:person", pk=self.pk)


# Saved after its issue became visible: ``issue_published_at`` is the issue's publication time
# while it is published (``Issue.items_published_at``), so this is never true of a hidden item.
CHANGED_AFTER_PUBLICATION = models.Q(updated_at__gt=F("issue_published_at"))


class ArticleQuerySet(models.QuerySet):
    def visible(self, now: dt.datetime | None = None):
        """Items of issues readers may see (``visible_q``)."""
        return self.filter(visible_q("page__issue__", now))

    def flagged(self):
        """Items with at least one unreviewed flag: what holds an issue back from publication."""
        return self.filter(pk__in=ArticleFlag.objects.unreviewed().values("article_id"))

    def with_flag(self, code: str, *, reviewed: bool = False):
        """Items carrying flag ``code`` unreviewed (or, with ``reviewed``, in any state).

        An indexed lookup on ArticleFlag (the partial index of unreviewed rows by code).
        """
        rows = ArticleFlag.objects.filter(code=code)
        return self.filter(pk__in=(rows if reviewed else rows.unreviewed()).values("article_id"))

    def with_flags(self):
        """Prefetch each item's flags, reviewed ones too, with their reviewers, in one query."""
        if any(getattr(lookup, "prefetch_to", lookup) == "flag_set" for lookup in self._prefetch_related_lookups):
            return self  # already asked for (e.g. by the admin's queryset, then by an export)
        return self.prefetch_related(
            models.Prefetch("flag_set", queryset=ArticleFlag.objects.select_related("reviewed_by"))
        )

    def flagged_count(self, outer: str) -> Coalesce:
        """How many of these items have unreviewed flags, per row of an outer query.

        ``outer`` is the path from an item to the outer model, e.g. ``Issue.objects.annotate(
        flagged=Article.objects.flagged_count("page__issue"))``: one correlated subquery, so a
        list page counts flags without a query per row.
        """
        counted = (
            self.flagged()
            .filter(**{outer: models.OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(models.Subquery(counted), 0)

    def with_credits(self):
        """Prefetch each item's credits with their people, in one query."""
        return self.prefetch_related(models.Prefetch("credits", queryset=Credit.objects.select_related("person")))

    def with_lead(self):
        """Annotate the first words of each untitled item's body (None for the others), for
        ``Article.display_title`` when the body itself is not loaded (lists that load title
        columns only). Only untitled items are read into: a list of fifty items would
        otherwise unpack fifty bodies for the one or two that have no title."""
        lead = Substr(KT("body__0__text"), 1, UNTITLED_WORDS + 1)
        return self.annotate(lead=Case(When(NO_TITLE, then=lead), default=None))

    def changed_after_publication(self):
        """Items saved after their issue became visible (``changed_since_published`` is set)."""
        return self.filter(CHANGED_AFTER_PUBLICATION)

    def with_changed_at(self):
        """Annotate ``changed_at`` (``changed_since_published``) on each item."""
        return self.annotate(changed_at=changed_since_published())

    def for_listing(self):
        """Without the text columns a list of items never shows (raw, segmented and plain text)."""
        return self.defer("raw_text", "plain_text", "search_text")


def changed_since_published() -> Case:
    """An item's ``updated_at`` when it moved after its issue became visible to readers (an
    editor's fix or a dated correction, 更正), else NULL.

    The one rule of "the last change readers could see": saves made while the issue was being
    imported and reviewed happened before any reader saw the page, so they do not count, and
    an archive imported in 2026 stays dated by its printed days. ``last_change`` puts the
    printed date under it; Atom ``updated`` and sitemap ``lastmod`` both read it.
    """
    return Case(
        When(CHANGED_AFTER_PUBLICATION, then=F("updated_at")),
        default=None,
        output_field=DateTimeField(),
    )


def last_change(day: dt.date, *changed: dt.datetime | None) -> dt.datetime:
    """The printed moment of ``day`` (``issues.models.printed_at``), or a later change among
    ``changed`` (values of ``changed_since_published``)."""
    return max([printed_at(day), *(moment for moment in changed if moment)])


UNTITLED = "无标题"  # the one wording for an item printed without title lines
NO_TITLE = models.Q(kicker="", headline="", subheadline="")  # printed without title lines (``is_untitled``)
UNTITLED_WORDS = 16  # how many of its first characters label it


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        PHOTO = "photo", "图片"

    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    kicker = models.CharField("引题", max_length=200, blank=True)
    headline = models.CharField("主题", max_length=200, blank=True)
    subheadline = models.CharField("副题", max_length=200, blank=True)
    byline = models.CharField("署名", max_length=200, blank=True, help_text="照版面原样，如：本报讯(记者毛浓曦)")
    source = models.CharField("来源", max_length=50, blank=True, help_text="本报或通讯社名")
    dateline_place = models.CharField("电头地点", max_length=50, blank=True)
    dateline_date = models.CharField("电头日期", max_length=20, blank=True)
    body = models.JSONField("正文", default=list, blank=True, help_text="正文各段，依次排列；小标题单独成段。")
    continued_to_page = models.PositiveSmallIntegerField("下转版次", null=True, blank=True)
    continued_from_page = models.PositiveSmallIntegerField("上接版次", null=True, blank=True)
    continues = models.ForeignKey(
        "self",
        verbose_name="上接",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
        help_text="同一篇稿件的前一部分：本部分以“(上接第N版)”开头时填写。",
    )
    raw_text = models.TextField("原始文本", blank=True)
    plain_text = models.TextField("全文", blank=True, editable=False, help_text="标题、正文和图片说明的纯文本。")
    search_text = models.TextField("分词文本", blank=True, editable=False)
    keywords = models.JSONField("关键词", default=list, blank=True)
    edited = models.BooleanField(
        "编辑已修改", default=False, help_text="编辑改动过稿件后自动勾选；重新导入不会覆盖改过的稿件。"
    )
    correction = models.TextField("更正", blank=True)
    corrected_at = models.DateField("更正日期", null=True, blank=True)
    people = models.ManyToManyField(Person, verbose_name="署名人", through="Credit", related_name="articles")
    # Copies of the issue's date and ``Issue.items_published_at``, so that search walks one
    # table in date order; articles/signals.py keeps them in step on every save.
    issue_date = models.DateField("出版日期", null=True, editable=False)
    issue_published_at = models.DateTimeField("发布时间", null=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["page_id", "position"]
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="one_item_per_position")]
        indexes = [
            models.Index(fields=["-issue_date", "-id"], name="article_newest_first"),
            # The few items changed after publication (``changed_since_published``): the sitemap
            # index finds them here instead of reading every item.
            models.Index(fields=["issue_date"], condition=CHANGED_AFTER_PUBLICATION, name="article_changed_published"),
        ]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        if kwargs.get("update_fields") is not None:
            derived = {"plain_text", "search_text", "keywords", "issue_date", "issue_published_at"}
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.path("reader:article", date=self.page.issue.date, page=self.page.number, position=self.position)

    @property
    def title(self) -> str:
        return self.headline or self.kicker or self.subheadline

    @property
    def is_untitled(self) -> bool:
        """Printed without kicker, headline and subheadline."""
        return not self.title

    @property
    def display_title(self) -> str:
        """The title line, or for an untitled item "无标题：" and its first words.

        Templates, API and feeds show it; the untitled form is styled apart from headlines
        (``is_untitled``), since it is not a title the paper printed.
        """
        if self.title:
            return self.title
        words = self._first_words()
        return f"{UNTITLED}：{words}" if words else UNTITLED

    def _first_words(self) -> str:
        lead = getattr(self, "lead", None)
        if lead is None and "body" not in self.get_deferred_fields():
            lead = next((p["text"] for p in self.body if p.get("text")), "")
        words = " ".join((lead or "").split())
        return words[:UNTITLED_WORDS] + "…" if len(words) > UNTITLED_WORDS else words

    def body_text(self) -> str:
        return "\n".join(p["text"] for p in self.body)

    def compose_plain_text(self, captions: list[str] | None = None) -> str:
        """Everything a reader reads in the item, one line per part: what search indexes."""
        if captions is None:
            captions = [f"{p.caption}\n{p.credit}" for p in self.photos.all()] if self.pk else []
        parts = [self.kicker, self.headline, self.subheadline, self.byline, *(p["text"] for p in self.body), *captions]
        return "\n".join(part for part in parts if part)

    @property
    def open_flags(self) -> list[ArticleFlag]:
        """The item's unreviewed flags (from ``with_flags()``'s prefetch when there is one)."""
        return [row for row in self.flag_set.all() if row.reviewed_at is None]

    def has_flag(self, code: str) -> bool:
        return any(row.code == code for row in self.open_flags)

    def add_flag(self, code: str, note: str = "", suggestions: Iterable[dict] = ()) -> ArticleFlag:
        """Raise flag ``code`` on the item. Raised again, it reopens and gathers the new findings."""
        code = Flag(code)  # an unknown code is a programming error: ValueError
        row = self.flag_set.filter(code=code).first()
        if row is None:
            row = ArticleFlag(article=self, code=code, note=note, suggestions=list(suggestions))
            ArticleFlag.objects.bulk_create([row])
        else:
            row.note = joined_notes(row.note, note)
            row.suggestions = [*row.suggestions, *(s for s in suggestions if s not in row.suggestions)]
            row.reviewed_at = row.reviewed_by = None
            row.store()
        self.drop_flag_cache()
        return row

    def clear_flags(self, *codes: str) -> int:
        """Remove the flags a fix resolved (every flag if no code is given); returns how many."""
        rows = self.flag_set.filter(code__in=codes) if codes else self.flag_set.all()
        removed, _ = rows.delete()
        self.drop_flag_cache()
        return removed

    def settle_flags(self, *resolved: str) -> None:
        """Drop the flags an edit resolved (the desk's checks run again after any edit:
        desk.tools.recheck_flags)."""
        if resolved:
            self.clear_flags(*resolved)

    def mark_reviewed(self, user, *codes: str) -> int:
        """Record that ``user`` checked the item's flags (only ``codes`` if given); returns how many."""
        rows = self.flag_set.unreviewed()
        count = (rows.filter(code__in=codes) if codes else rows).mark_reviewed(user)
        self.drop_flag_cache()
        return count

    def absorb_flags(self, other: Article) -> None:
        """Take over ``other``'s flags (a merge): a code both carry keeps one row with both notes."""
        mine = {row.code: row for row in self.flag_set.all()}
        for row in other.flag_set.all():
            if row.code in mine:
                kept = mine[row.code]
                kept.note = joined_notes(kept.note, row.note)
                kept.suggestions = [*kept.suggestions, *(s for s in row.suggestions if s not in kept.suggestions)]
                if row.reviewed_at is None:
                    kept.reviewed_at = kept.reviewed_by = None
                kept.store()
                ArticleFlag.objects.filter(pk=row.pk).delete()
            else:
                ArticleFlag.objects.filter(pk=row.pk).update(article=self)
        self.drop_flag_cache()

    def drop_flag_cache(self) -> None:
        """Forget flags prefetched by ``with_flags()`` once they changed in the database."""
        getattr(self, "_prefetched_objects_cache", {}).pop("flag_set", None)

    def refresh_search_fields(self, captions: list[str] | None = None) -> None:
        """Recompute the plain text, its segmentation and keywords from the item's fields."""
        self.plain_text = self.compose_plain_text(captions)
        words = segmentation.tokens(self.plain_text)
        self.search_text = " ".join(words)
        self.keywords = segmentation.keywords(words)


class PhotoQuerySet(models.QuerySet):
    def visible(self, now: dt.datetime | None = None):
        return self.filter(visible_q("article__page__issue__", now))


# How the findings behind one flag of an item are joined into its note (and split again).
NOTE_SEPARATOR = "；"


def joined_notes(*notes: str) -> str:
    """Findings gathered into one note, each once."""
    return NOTE_SEPARATOR.join(dict.fromkeys(note for note in notes if note))


class ArticleFlagQuerySet(models.QuerySet):
    def unreviewed(self):
        return self.filter(reviewed_at__isnull=True)

    def counts_by_code(self) -> dict[str, int]:
        """Rows per flag code, in one query."""
        return dict(self.order_by().values_list("code").annotate(n=models.Count("pk")))

    def mark_reviewed(self, user) -> int:
        reviewer = user if user is not None and getattr(user, "is_authenticated", False) else None
        return self.update(reviewed_at=timezone.now(), reviewed_by=reviewer)


class ArticleFlag(models.Model):
    """One doubt about one item, raised by the importer or a desk check, until an editor reviews it.

    One row per code and item: the note gathers every finding of that kind (the importer's
    evidence), ``suggestions`` the fixes findings propose (for OCR flags: field, index,
    original, replacement, evidence). Rows not yet reviewed hold the issue back from
    publication. Written through the Article methods (add_flag, clear_flags, mark_reviewed),
    with queryset writes that send no save signal: django-reversion then records the rows
    only as the revision's page snapshot finds them at its end, never a state half-way.
    """

    # The unique (article, code) index serves lookups by item; no separate one on article.
    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="flag_set", db_index=False
    )
    code = models.CharField("标记", max_length=40, choices=flags.choices)
    note = models.TextField("依据", blank=True)
    suggestions = models.JSONField("建议写法", default=list, blank=True)
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审阅人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleFlagQuerySet.as_manager()

    class Meta:
        verbose_name = "待审标记"
        verbose_name_plural = "待审标记"
        ordering = ["article_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "code"], name="one_flag_per_code")]
        indexes = [
            models.Index(
                fields=["code", "article"], condition=models.Q(reviewed_at__isnull=True), name="flag_unreviewed"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return flags.flag_label(self.code)

    def store(self) -> None:
        """Write the row's state (no save signal; see the class docstring)."""
        fields = ("note", "suggestions", "reviewed_at", "reviewed_by")
        ArticleFlag.objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in fields})

    @property
    def explanation(self) -> str:
        return flags.flag_explanation(self.code)


class Photo(models.Model):
    article = models.ForeignKey(Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    caption = models.TextField("图片说明", blank=True)
    credit = models.CharField("图片署名", max_length=200, blank=True)
    photographers = models.JSONField("摄影", default=list, blank=True)
    image = models.ImageField("图片", upload_to="photos/%Y/%m/", blank=True, width_field="width", height_field="height")
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True, editable=False)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["article_id", "position"]

    def __str__(self):
        return self.caption[:30] or self.credit


class Credit(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "记者"
        CORRESPONDENT = "correspondent", "通讯员"
        INTERN = "intern", "实习生"
        PHOTOGRAPHER = "photographer", "摄影"
        COMMENTATOR = "commentator", "评论员"

    article = models.ForeignKey(Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, verbose_name="署名人", on_delete=models.CASCADE, related_name="credits")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person", "role"], name="one_credit_per_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person}"


class ArticleRevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ArticleRevision.State.PENDING)


class ArticleRevision(models.Model):
    """A change to an item readers already see, waiting for a chief editor.

    It holds the proposed text of the item's content fields; readers keep seeing the item as
    it is until the revision is published, which applies it to the item (desk/revisions.py,
    the only writer of these rows). One pending revision per item: whoever edits it again
    edits that one.
    """

    class State(models.TextChoices):
        PENDING = "pending", "待发布"
        PUBLISHED = "published", "已发布"
        DISCARDED = "discarded", "已放弃"

    # The item's fields a revision carries, in the order the diff shows them.
    FIELDS = (
        "kicker",
        "headline",
        "subheadline",
        "byline",
        "source",
        "dateline_place",
        "dateline_date",
        "body",
        "correction",
    )

    article = models.ForeignKey(Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="revisions")
    kicker = models.CharField("引题", max_length=200, blank=True)
    headline = models.CharField("主题", max_length=200, blank=True)
    subheadline = models.CharField("副题", max_length=200, blank=True)
    byline = models.CharField("署名", max_length=200, blank=True)
    source = models.CharField("来源", max_length=50, blank=True)
    dateline_place = models.CharField("电头地点", max_length=50, blank=True)
    dateline_date = models.CharField("电头日期", max_length=20, blank=True)
    body = models.JSONField("正文", default=list, blank=True)
    correction = models.TextField("更正", blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布或放弃人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    decided_at = models.DateTimeField("发布或放弃时间", null=True, blank=True)

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "修改稿"
        verbose_name_plural = "修改稿"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=models.Q(state="pending"), name="one_pending_revision_per_article"
            )
        ]
        permissions = [("publish_revision", "可以发布已发布稿件的修改稿")]

    def __str__(self):
        return f"{self.article}（{self.get_state_display()}）"

    def values(self) -> dict:
        """The proposed value of every field the revision carries."""
        return {name: getattr(self, name) for name in self.FIELDS}
