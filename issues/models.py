import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone

from reader import links


class Publication(models.Model):
    name = models.CharField("报名", max_length=100, unique=True)
    name_en = models.CharField("英文名", max_length=100, blank=True)
    slug = models.SlugField("网址名", unique=True, help_text="用在网址和命令行参数里的简称（字母、数字、连字符）。")
    aliases = models.JSONField(
        "报头别名", default=list, blank=True, help_text="报头上可能出现的其他写法（如英文报名），每行一个。"
    )

    class Meta:
        verbose_name = "报纸"
        verbose_name_plural = "报纸"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def masthead_names(self) -> list[str]:
        return [self.name, self.name_en, *self.aliases]


def visible_q(prefix: str = "", now: dt.datetime | None = None) -> Q:
    """The one rule of what readers may see: an issue that is published and whose publication
    time has come (a scheduled issue is published with a time ahead; no time, never seen).

    ``prefix`` is the path from the model queried to its issue (``"page__issue__"`` for an
    item); every queryset's ``visible()`` composes this. ``Issue.is_visible`` is its one-row
    twin; the stored edition's SQL lookup and search's ``Article.issue_published_at`` column
    restate it for speed, and tests/reader/test_visibility.py proves they agree.
    """
    return Q(**{f"{prefix}status": Issue.Status.PUBLISHED, f"{prefix}published_at__lte": now or timezone.now()})


def printed_at(day: dt.date) -> dt.datetime:
    """The moment an issue's date stands for: 00:00 of that day in the newsroom's time zone
    (``settings.TIME_ZONE``). Feeds date entries by it and sitemaps start ``lastmod`` from it,
    not from the moment an issue was imported or published (a 2022 paper is 2022's news)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def can_preview(user) -> bool:
    """Staff who may view issues at the desk see every issue at its public address, marked as
    a preview (an unpublished, in-review, scheduled or retracted one); everyone else sees what
    ``visible_q`` allows. Anonymous users cost no query."""
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm("issues.view_issue"))


class IssueQuerySet(models.QuerySet):
    def visible(self, now: dt.datetime | None = None):
        """Issues readers may see (``visible_q``)."""
        return self.filter(visible_q("", now))

    def viewable_by(self, user, now: dt.datetime | None = None):
        """Issues ``user`` may open at their public address: ``visible()`` for readers, every
        issue for staff who may preview (``can_preview``). Search, feeds, sitemaps and the
        API never use this: they show what ``visible()`` shows, to everyone."""
        return self if can_preview(user) else self.visible(now)

    def scheduled(self, now: dt.datetime | None = None):
        """Published issues whose time has not come yet: they appear without a save."""
        return self.filter(status=Issue.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def newest_pk(self) -> int | None:
        """The primary key of the latest issue by date (the one the home page shows)."""
        return self.order_by("-date", "pk").values_list("pk", flat=True).first()

    def for_reading(self):
        """Without the import's bookkeeping (raw text, warnings): what reader pages show."""
        return self.defer(*Issue.IMPORT_RECORD)


class Issue(models.Model):
    class Status(models.TextChoices):
        IMPORTED = "imported", "已导入"
        IN_REVIEW = "in_review", "审校中"
        PUBLISHED = "published", "已发布"
        RETRACTED = "unpublished", "已撤回"

    class State(models.TextChoices):
        """The state people see: a stored status, with "scheduled" told apart from "published"
        by the clock (PUBLISHED with a publication time still ahead). desk/workflow.py moves
        an issue between them."""

        IMPORTED = "imported", "已导入"
        IN_REVIEW = "in_review", "审校中"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"
        RETRACTED = "unpublished", "已撤回"

    publication = models.ForeignKey(Publication, verbose_name="报纸", on_delete=models.PROTECT, related_name="issues")
    date = models.DateField("出版日期")
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    weekday = models.PositiveSmallIntegerField("星期", help_text="1 为星期一，7 为星期日")
    lunar_date = models.CharField("农历", max_length=40, blank=True)
    page_count = models.PositiveSmallIntegerField("版数", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.IMPORTED)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    source_name = models.CharField("源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("源文件 SHA-256", max_length=64, blank=True)
    source_encoding = models.CharField("编码", max_length=20, blank=True)
    raw_text = models.TextField("原始文本", blank=True)
    masthead = models.TextField("报头", blank=True)
    warnings = models.JSONField("导入警告", default=list, blank=True)
    unassigned = models.JSONField("未归属文本", default=list, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Bumped by every change its public pages show (issues/edition.py).
    edition_revision = models.PositiveIntegerField(default=0, editable=False)

    objects = IssueQuerySet.as_manager()

    # Kept for editors and re-imports; readers' pages never load them.
    IMPORT_RECORD = ("raw_text", "masthead", "warnings", "unassigned", "source_sha256", "source_encoding")
    NEIGHBOUR_FIELDS = ("date", "updated_at")  # what a link to the issue before or after shows

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "date"], name="one_issue_per_publication_date"),
            models.UniqueConstraint(fields=["publication", "number"], name="unique_serial_per_publication"),
        ]
        indexes = [models.Index(fields=["status", "-date"], name="issue_status_date")]
        permissions = [
            ("publish_issue", "Can publish, schedule and unpublish issues"),
            ("override_flags", "Can publish an issue that still has unreviewed flags"),
        ]

    def __str__(self):
        return f"{self.publication} {self.date:%Y-%m-%d}" + (f" 第{self.number}期" if self.number else "")

    def get_absolute_url(self):
        return links.path("reader:issue", date=self.date)

    def neighbours(self) -> tuple["Issue | None", "Issue | None"]:
        """The published issues before and after this one (dates and last changes only), in one
        statement: every reader's first page of an issue asks."""
        return self.sides(Issue.neighbour_rows(self.publication_id, self.date))

    def sides(self, found) -> tuple["Issue | None", "Issue | None"]:
        """``found``, the visible issues next to this one (``neighbour_rows``), as (before, after)."""
        by_side = {issue.date < self.date: issue for issue in found}
        return by_side.get(True), by_side.get(False)

    @staticmethod
    def neighbour_queries(publication, date, now=None) -> tuple[models.QuerySet, models.QuerySet]:
        """The visible issues of ``publication`` before ``date``, nearest first, and after it
        (values or expressions: reader/edition.py composes them once with placeholders)."""
        published = Issue.objects.visible(now).filter(publication_id=publication)
        return published.filter(date__lt=date).order_by("-date"), published.filter(date__gt=date).order_by("date")

    @staticmethod
    def neighbour_rows(publication, date, now=None) -> models.QuerySet:
        """The visible issues of ``publication`` right before and after ``date``."""
        before, after = Issue.neighbour_queries(publication, date, now)
        # Scalar subqueries (``id = (…) OR id = (…)``): two probes of the primary key, where
        # ``IN (…) OR IN (…)`` had PostgreSQL scan the issues.
        nearest = Q(pk=Subquery(before.values("pk")[:1])) | Q(pk=Subquery(after.values("pk")[:1]))
        return Issue.objects.filter(nearest).only(*Issue.NEIGHBOUR_FIELDS)

    @property
    def weekday_name(self) -> str:
        return "星期" + "一二三四五六日"[self.weekday - 1] if self.weekday else ""

    def is_visible(self, now: dt.datetime | None = None) -> bool:
        """``visible_q`` for this row as it is in memory."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    @property
    def state(self) -> "Issue.State":
        """Where the issue stands in the workflow, scheduled told apart from published."""
        if self.status == self.Status.PUBLISHED and self.published_at and self.published_at > timezone.now():
            return self.State.SCHEDULED
        return self.State(self.status)

    @property
    def is_public(self) -> bool:
        return self.is_visible()

    @property
    def items_published_at(self) -> dt.datetime | None:
        """The time the issue's items carry as ``Article.issue_published_at``: its publication
        time while it is published, else None, so that ``issue_published_at <= now`` is
        ``visible_q`` on the items' own table (search reads it there)."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    def sync_articles(self) -> None:
        """Copy date and publication time onto the issue's items that lack them (for search).

        Every save of an issue runs this (``articles.signals``), whichever path saved it.
        """
        articles = self._meta.apps.get_model("articles", "Article").objects
        published_at = self.items_published_at
        stale = ~Q(issue_date=self.date) | (
            ~Q(issue_published_at=published_at) if published_at else Q(issue_published_at__isnull=False)
        )
        articles.filter(page__issue=self).filter(stale).update(issue_date=self.date, issue_published_at=published_at)

    def missing_page_numbers(self, present: list[int] | None = None) -> list[int]:
        """Pages the masthead announced that the issue lacks."""
        if not self.page_count:
            return []
        if present is None:
            present = list(self.pages.values_list("number", flat=True))
        return [n for n in range(1, self.page_count + 1) if n not in set(present)]


class PageQuerySet(models.QuerySet):
    def visible(self, now: dt.datetime | None = None):
        return self.filter(visible_q("issue__", now))


class Page(models.Model):
    issue = models.ForeignKey(Issue, verbose_name="期", on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("版次")
    name = models.CharField("版名", max_length=50, blank=True)
    header = models.CharField("版头", max_length=200, blank=True)
    furniture = models.JSONField(
        "版面信息", default=list, blank=True, help_text="版面上的编辑、电话等信息，如：本版编辑:陈晓"
    )
    image = models.FileField("版面图", upload_to="pages/%Y/%m/", blank=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["issue_id", "number"]
        constraints = [models.UniqueConstraint(fields=["issue", "number"], name="one_page_number_per_issue")]

    def __str__(self):
        return f"{self.issue} 第{self.number}版" + (f" {self.name}" if self.name else "")

    def get_absolute_url(self):
        return links.path("reader:page", date=self.issue.date, number=self.number)


class ImportStage(models.TextChoices):
    """The stages ``issues.importing.do_import_issue`` reports; an import job shows them as its status."""

    PARSING = "parsing", "解析中"
    SAVING = "saving", "写入中"


class ImportJob(models.Model):
    """One raw issue file uploaded through the admin, from preview to its import by a worker.

    The file's bytes live in the row, so that whichever app server takes the confirmation
    and whichever worker runs the preview and the import see the same upload without shared
    disk. The upload only stores the file (CHECKING); a worker parses it into ``preview``
    (PREVIEW, waiting for the uploader's confirmation); the confirmation queues the import.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", "预览中"
        PREVIEW = "preview", "待确认"
        QUEUED = "queued", "排队中"
        PARSING = ImportStage.PARSING.value, ImportStage.PARSING.label
        SAVING = ImportStage.SAVING.value, ImportStage.SAVING.label
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    # How far along each status is, for the progress bar.
    PROGRESS = {
        Status.CHECKING: 0,
        Status.PREVIEW: 0,
        Status.QUEUED: 5,
        Status.PARSING: 20,
        Status.SAVING: 60,
        Status.DONE: 100,
        Status.FAILED: 100,
    }

    source_name = models.CharField("文件名", max_length=255)
    data = models.BinaryField("文件内容", editable=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.CHECKING)
    sha256 = models.CharField("文件 SHA-256", max_length=64, blank=True)
    publish = models.BooleanField("导入后发布", default=False)
    replace = models.BooleanField("替换已导入的期次", default=False)
    preview = models.JSONField("预览", default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        "auth.User", verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    summary = models.TextField("结果", blank=True)
    issue = models.ForeignKey(
        Issue, verbose_name="期", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.source_name}（{self.get_status_display()}）"

    @property
    def progress(self) -> int:
        return self.PROGRESS.get(self.status, 0)

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def pending(self) -> bool:
        """Still moving on its own (a worker has it or will)."""
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.PARSING, self.Status.SAVING}


class EditionPage(models.Model):
    """One public page of a published issue, rendered and kept (issues/edition.py)."""

    path = models.CharField(max_length=255)
    variant = models.CharField(max_length=4)
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    build = models.CharField(max_length=16)
    html = models.TextField()
    etag = models.CharField(max_length=40)
    last_modified = models.CharField(max_length=40, blank=True)  # the HTTP header, as sent
    expires_at = models.DateTimeField(null=True)
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = "已渲染页面"
        verbose_name_plural = "已渲染页面"
        constraints = [models.UniqueConstraint(fields=["path", "variant"], name="one_rendering_per_path")]

    def __str__(self):
        return f"{self.path} ({self.variant})"


class PublicRevision(models.Model):
    """The site-wide revision of what readers see, shared by every process (reader/revision.py).

    The revision is the sum of ``weight`` over all rows. A change adds a row of weight 1 in
    its own transaction (an insert: no lock that writers wait on), so the revision moves
    exactly when the change commits; after commit the rows are folded into the oldest one.
    """

    weight = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "读者站点版本"
        verbose_name_plural = "读者站点版本"

    def __str__(self):
        return f"+{self.weight}"
