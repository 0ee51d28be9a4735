from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from articles import segmentation
from issues.models import Issue, Page


class Person(models.Model):
    name = models.CharField("姓名", max_length=50, unique=True)

    class Meta:
        verbose_name = "署名人"
        verbose_name_plural = "署名人"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reader:person", kwargs={"pk": self.pk})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(page__issue__status=Issue.Status.PUBLISHED, page__issue__published_at__lte=timezone.now())

    def flagged(self):
        return self.exclude(flags=[])

    def with_credits(self):
        """Prefetch each item's credits with their people, in one query."""
        return self.prefetch_related(models.Prefetch("credits", queryset=Credit.objects.select_related("person")))

    def with_lead(self):
        """Annotate the first words of each item's body, for ``Article.display_title`` of
        untitled items when the body itself is not loaded (lists that load title columns only)."""
        return self.annotate(lead=Substr(KT("body__0__text"), 1, UNTITLED_WORDS + 1))

    def for_listing(self):
        """Without the text columns a list of items never shows (raw, segmented and plain text)."""
        return self.defer("raw_text", "plain_text", "search_text", "flag_notes")


UNTITLED = "无标题"  # the one wording for an item printed without title lines
UNTITLED_WORDS = 16  # how many of its first characters label it


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        PHOTO = "photo", "图片"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    kicker = models.CharField("引题", max_length=200, blank=True)
    headline = models.CharField("主题", max_length=200, blank=True)
    subheadline = models.CharField("副题", max_length=200, blank=True)
    byline = models.CharField("署名", max_length=200, blank=True, help_text="As printed, e.g. 本报讯(记者毛浓曦)")
    source = models.CharField("来源", max_length=50, blank=True, help_text="本报 or an agency")
    dateline_place = models.CharField("电头地点", max_length=50, blank=True)
    dateline_date = models.CharField("电头日期", max_length=20, blank=True)
    body = models.JSONField(
        "正文", default=list, blank=True, help_text='Paragraphs: [{"kind": "text"|"subhead", "text": "…"}]'
    )
    continued_to_page = models.PositiveSmallIntegerField("下转版次", null=True, blank=True)
    continued_from_page = models.PositiveSmallIntegerField("上接版次", null=True, blank=True)
    continues = models.ForeignKey(
        "self",
        verbose_name="上接",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
        help_text="The earlier part of the same story, for a part that starts with (上接第N版).",
    )
    flags = models.JSONField("待审标记", default=list, blank=True)
    flag_notes = models.JSONField("标记说明", default=dict, blank=True)
    raw_text = models.TextField("原始文本", blank=True)
    plain_text = models.TextField("全文", blank=True, editable=False, help_text="Titles, body and captions as read.")
    search_text = models.TextField("分词文本", blank=True, editable=False)
    keywords = models.JSONField("关键词", default=list, blank=True)
    edited = models.BooleanField("编辑已修改", default=False, help_text="Set when an editor changes the item.")
    correction = models.TextField("更正", blank=True)
    corrected_at = models.DateField("更正日期", null=True, blank=True)
    people = models.ManyToManyField(Person, through="Credit", related_name="articles")
    # Copies of the issue's date and publication time, so that search walks one table in
    # date order; Issue.publish()/unpublish() keep them in step.
    issue_date = models.DateField(null=True, editable=False)
    issue_published_at = models.DateTimeField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["page_id", "position"]
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="one_item_per_position")]
        indexes = [models.Index(fields=["-issue_date", "-id"], name="article_newest_first")]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "plain_text", "search_text", "keywords"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "reader:article",
            kwargs={"date": self.page.issue.date.isoformat(), "page": self.page.number, "position": self.position},
        )

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

    def refresh_search_fields(self, captions: list[str] | None = None) -> None:
        """Recompute the plain text, its segmentation and keywords from the item's fields."""
        self.plain_text = self.compose_plain_text(captions)
        words = segmentation.tokens(self.plain_text)
        self.search_text = " ".join(words)
        self.keywords = segmentation.keywords(words)


class Photo(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    caption = models.TextField("图片说明", blank=True)
    credit = models.CharField("图片署名", max_length=200, blank=True)
    photographers = models.JSONField("摄影", default=list, blank=True)
    image = models.ImageField("图片", upload_to="photos/%Y/%m/", blank=True, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)

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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person", "role"], name="one_credit_per_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person}"
