"""The desk: items with their raw text, the correction tools, the review queue, history."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from articles.flags import Flag
from articles.images import make_renditions, normalised, validate_image
from articles.models import Article, ArticleFlag, ArticleRevision, Credit, Person, Photo
from desk import changes, revisions, spreadsheets
from desk import tools as editing
from desk.admin.history_views import ItemHistoryMixin, history_link
from desk.admin.revisions import SAVED, LiveEditInline, RevisionEditing
from desk.forms import ArticleForm
from desk.history import HistoryAdmin
from desk.paragraphs import TextListField
from desk.resources import ArticleResource, CreditResource, PhotoResource
from desk.workspace import swap_default
from issues.models import Page

LOCK_SECONDS = 10 * 60
ROLE_CHOICES = [(r, label) for r, label in zip(editing.TITLE_ROLES, ("引题", "主题", "副题"), strict=True)]

# name: (label, parameters the form asks for, destroys structure)
TOOLS = {
    "merge-previous": ("并入上一篇", (), True),
    "merge-next": ("并入下一篇", (), True),
    "split": ("在所选段落前拆分", ("block",), True),
    "move-block": ("把段落移到另一篇", ("block", "target"), False),
    "promote": ("段落升为标题", ("block", "role"), False),
    "demote": ("标题降为正文", ("role",), False),
    "swap": ("交换标题角色", ("role", "role_b"), False),
    "subhead": ("标为/取消小标题", ("block",), False),
    "kind": ("文章/图片互转", ("kind",), False),
    "link": ("链接/取消接续", ("earlier",), False),
    "move-page": ("移到其他版", ("page",), False),
    "reorder": ("调整本版顺序", ("order",), True),
    "correction": ("更正（已发布稿件）", ("text",), False),
    "reviewed": ("标为已审（清除全部标记，限总编辑）", (), False),
}


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Exports and corrections as CSV or XLSX with every formula prefix neutralised."""

    formats = spreadsheets.FORMATS
    export_form_class = spreadsheets.ExportForm


class FlagFilter(admin.SimpleListFilter):
    title = "待审标记"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("any", "任何标记"), *Flag.choices()]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.flagged()
        return queryset.with_flag(self.value()) if self.value() else queryset


class PhotoForm(forms.ModelForm):
    photographers = TextListField(label="摄影")

    class Meta:
        model = Photo
        fields = ("position", "caption", "credit", "photographers", "image")
        # A plain file field: forms.ImageField would refuse bad files with one generic
        # message before validate_image can say which rule they broke.
        field_classes = {"image": forms.FileField}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            validate_image(image)
            return normalised(image)
        return image


class PhotoInline(LiveEditInline, admin.StackedInline):
    model = Photo
    form = PhotoForm
    extra = 0


class CreditInline(LiveEditInline, admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ("person",)


class ToolForm(forms.Form):
    block = forms.TypedChoiceField(label="段落", coerce=int, required=False)
    target = forms.TypedChoiceField(label="目标稿件", coerce=int, required=False)
    role = forms.ChoiceField(label="标题角色", choices=ROLE_CHOICES, required=False)
    role_b = forms.ChoiceField(label="与之交换", choices=ROLE_CHOICES, required=False)
    kind = forms.ChoiceField(label="改为", choices=Article.Kind.choices, required=False)
    earlier = forms.TypedChoiceField(label="上接哪一篇", coerce=int, required=False, empty_value=None)
    page = forms.TypedChoiceField(label="目标版", coerce=int, required=False)
    text = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, article: Article, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.siblings = list(Article.objects.filter(page=article.page).order_by("position"))
        if "order" in fields:
            for sibling in self.siblings:
                self.fields[f"pos_{sibling.pk}"] = forms.IntegerField(
                    label=f"{sibling.position}. {sibling}", initial=sibling.position, min_value=1
                )
        if "text" in fields:
            self.fields["text"].initial = article.correction
        for name in list(self.fields):
            if name.startswith("pos_"):
                continue
            if name not in fields:
                del self.fields[name]
            else:
                self.fields[name].required = name not in {"earlier", "text"}
        others = Article.objects.filter(page__issue=article.page.issue).exclude(pk=article.pk).select_related("page")
        choices = {
            "block": [(i, f"{i + 1}. {p['text'][:40]}") for i, p in enumerate(article.body)],
            "target": [(a.pk, f"第{a.page.number}版 {a.position}. {a}") for a in others],
            "earlier": [("", "（取消接续）"), *((a.pk, f"第{a.page.number}版 {a.position}. {a}") for a in others)],
            "page": [(p.pk, str(p)) for p in Page.objects.filter(issue=article.page.issue).exclude(pk=article.page_id)],
        }
        for name, values in choices.items():
            if name in self.fields:
                self.fields[name].choices = values
        if "role_b" in self.fields:
            self.fields["role"].initial, self.fields["role_b"].initial = swap_default(article)

    def ordered_ids(self) -> list[int]:
        """The page's items sorted by the positions typed in (ties keep their old order)."""
        return [a.pk for a in sorted(self.siblings, key=lambda a: (self.cleaned_data[f"pos_{a.pk}"], a.position))]


@admin.register(Article)
class ArticleAdmin(RevisionEditing, ItemHistoryMixin, SpreadsheetAdmin, HistoryAdmin):
    resource_classes = [ArticleResource]
    form = ArticleForm
    list_display = ("__str__", "kind", "issue_date", "page_number", "position", "flag_list", "edited")
    list_filter = (FlagFilter, "kind", "edited", "page__issue", "page__number")
    list_select_related = ("page__issue",)
    search_fields = ("headline", "kicker", "subheadline", "byline")
    ordering = ("-page__issue__date", "page__number", "position")
    readonly_fields = ("page", "position", "raw_text", "flag_list", "issue_date", "correction", "corrected_at")
    inlines = [PhotoInline, CreditInline]
    actions = ["mark_reviewed"]
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = (
        ("标题", {"fields": ("kicker", "headline", "subheadline"), "classes": ("titles",)}),
        ("署名与电头", {"fields": ("byline", "source", ("dateline_place", "dateline_date"))}),
        ("正文", {"fields": ("kind", "body")}),
        ("接续", {"fields": (("continued_from_page", "continued_to_page"), "continues")}),
        ("审校", {"fields": ("flag_list", ("correction", "corrected_at"))}),
        ("来源", {"fields": ("page", "position", "raw_text"), "classes": ("collapse",)}),
    )
    raw_id_fields = ("continues",)

    @admin.display(description="日期", ordering="page__issue__date")
    def issue_date(self, obj):
        return obj.page.issue.date

    @admin.display(description="版", ordering="page__number")
    def page_number(self, obj):
        return obj.page.number

    def get_queryset(self, request):
        return super().get_queryset(request).with_flags()

    @admin.display(description="待审标记")
    def flag_list(self, obj):
        return "、".join(row.label for row in obj.open_flags) or "—"

    @admin.action(description="标为已审（清除全部标记，限总编辑）", permissions=["clear_flags"])
    def mark_reviewed(self, request, queryset):
        count = editing.do_mark_reviewed(queryset.select_related("page"), user=request.user)
        self.message_user(request, f"{count} 篇稿件已标为已审，记入版面改动历史。")

    def has_clear_flags_permission(self, request) -> bool:
        return editing.may_clear_all_flags(request.user)

    def save_model(self, request, obj, form, change):
        if change and not revisions.edits_go_live(request.user, obj):
            return self.propose(request, obj, form)
        cleared = editing.touch(obj) if change and form.changed_data else []
        super().save_model(request, obj, form, change)
        if cleared:
            labels = "、".join(flag.label for flag in cleared)
            messages.info(request, f"已重新检查：{labels}的问题已改好，标记已清除。")
        if reversion.is_active():
            editing.snapshot_page(obj.page)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for photo in form.instance.photos.exclude(image=""):
            make_renditions(photo.image)

    def process_import(self, request, *args, **kwargs):
        """The confirming POST of a spreadsheet correction: one revision, undoable."""
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("表格导入：更正标题")
            return super().process_import(request, *args, **kwargs)

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path("review/", self.admin_site.admin_view(self.review_view), name="articles_article_review"),
            path(
                "<int:object_id>/tool/<slug:tool>/",
                self.admin_site.admin_view(self.tool_view),
                name="articles_article_tool",
            ),
            path(
                "<int:object_id>/suggestion/<int:flag_id>/<int:number>/",
                self.admin_site.admin_view(self.suggestion_view),
                name="articles_article_suggestion",
            ),
            path(
                "<int:object_id>/flag/<int:flag_id>/review/",
                self.admin_site.admin_view(self.flag_review_view),
                name="articles_article_flag_review",
            ),
            path(
                "<int:object_id>/restore/<int:revision_id>/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return extra + urls

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            return super().change_view(request, object_id, form_url, extra_context)
        lock = edit_lock(article, request.user, claim=request.method == "GET")
        if lock:
            messages.warning(
                request,
                f"{lock['user']} 自 {lock['since']} 起正在编辑这篇稿件：保存前请先与其确认，以免互相覆盖。",
            )
        if request.method == "POST" and self.has_change_permission(request, article):
            editing.ensure_baseline(article.page)
        extra_context = {
            **(extra_context or {}),
            "tools": self.tools_for(request),
            "flags": list(article.flag_set.select_related("reviewed_by")),
            "siblings": Article.objects.filter(page=article.page).order_by("position").with_flags(),
            "page_history": changes.history(editing.page_revisions(article.page), limit=10),
        }
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and response.status_code == 302:
            release_lock(article, request.user)
        return response

    def tool_view(self, request, object_id: int, tool: str):
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        if tool not in self.tools_for(request) or not self.has_change_permission(request, article):
            raise PermissionDenied
        label, params, destructive = TOOLS[tool]
        form = ToolForm(request.POST if request.method == "POST" else None, article=article, fields=params)
        if request.method == "POST" and form.is_valid():
            try:
                result = self.run_tool(tool, article, form, request.user)
            except editing.EditError as exc:
                messages.error(request, f"{label}：{exc}")
            else:
                target = result if isinstance(result, Article) else article
                if isinstance(result, ArticleRevision):
                    messages.success(request, f"{label}：{SAVED}")
                else:
                    messages.success(
                        request, format_html("{}：完成。可在{}中撤销这一步。", label, history_link(target.page_id))
                    )
                return redirect(reverse("admin:articles_article_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "form": form,
            "label": label,
            "destructive": destructive,
            "title": f"{label}：{article}",
        }
        return TemplateResponse(request, "admin/articles/article/tool.html", context)

    def tools_for(self, request) -> dict:
        """The tools this user may use: clearing every flag at once is the chief's."""
        if self.has_clear_flags_permission(request):
            return TOOLS
        return {name: tool for name, tool in TOOLS.items() if name != "reviewed"}

    def flag_review_view(self, request, object_id: int, flag_id: int):
        """One flag checked (POST only): recorded with who and when, undoable from history."""
        flag = get_object_or_404(ArticleFlag.objects.select_related("article__page"), pk=flag_id, article=object_id)
        if not self.has_change_permission(request, flag.article):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if editing.do_mark_reviewed([flag.article], user=request.user, codes=[flag.code]):
            messages.success(request, f"已审过“{flag.label}”。可在“版面改动历史”中恢复。")
        else:
            messages.info(request, f"“{flag.label}”已经审过了。")
        return redirect(reverse("admin:articles_article_change", args=[flag.article_id]))

    def suggestion_view(self, request, object_id: int, flag_id: int, number: int):
        """One click applies a flag's suggested spelling (POST only; recorded like any tool)."""
        flag = get_object_or_404(ArticleFlag.objects.select_related("article__page"), pk=flag_id, article=object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, flag.article):
            raise PermissionDenied
        try:
            revisions.require_live_edit(request.user, flag.article)
            editing.do_apply_suggestion(flag, number, request.user)
        except editing.EditError as exc:
            messages.error(request, f"采用建议写法：{exc}")
        else:
            link = history_link(flag.article.page_id)
            messages.success(request, format_html("已采用建议写法。可在{}中撤销这一步。", link))
        return redirect(reverse("admin:articles_article_change", args=[flag.article_id]))

    @staticmethod
    def run_tool(tool: str, article: Article, form: ToolForm, user):
        data = form.cleaned_data
        if tool == "correction":  # an editor's note on a published item waits as a revision
            return revisions.do_correct(article, data["text"], user)
        if tool != "reviewed":
            revisions.require_live_edit(user, article)
        if tool in {"merge-previous", "merge-next"}:
            return editing.do_merge_articles(article, tool.split("-")[1], user=user)
        if tool == "split":
            return editing.do_split_article(article, data["block"], user=user)
        if tool == "move-block":
            return editing.do_move_block(article, data["block"], Article.objects.get(pk=data["target"]), user=user)
        if tool == "promote":
            return editing.do_promote_block(article, data["block"], data["role"], user=user)
        if tool == "demote":
            return editing.do_demote_title(article, data["role"], user=user)
        if tool == "swap":
            return editing.do_swap_titles(article, data["role"], data["role_b"], user=user)
        if tool == "subhead":
            return editing.do_toggle_subhead(article, data["block"], user=user)
        if tool == "kind":
            return editing.do_set_kind(article, data["kind"], user=user)
        if tool == "link":
            earlier = Article.objects.get(pk=data["earlier"]) if data.get("earlier") else None
            return editing.do_link_continuation(article, earlier, user=user)
        if tool == "reorder":
            return editing.do_reorder(article.page, form.ordered_ids(), user=user)
        if tool == "reviewed":
            return editing.do_mark_reviewed([article], user=user)
        return editing.do_move_to_page(article, Page.objects.get(pk=data["page"]), user=user)

    def restore_view(self, request, object_id: int, revision_id: int):
        """Confirm, then put the item's page back as it was after one recorded edit."""
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(editing.page_revisions(article.page), pk=revision_id)
        if request.method == "POST":
            try:
                revisions.require_live_edit(request.user, article)
                editing.do_restore_revision(revision, user=request.user)
            except editing.EditError as exc:
                messages.error(request, f"恢复失败：{exc}")
            else:
                messages.success(request, f"已恢复到“{revision.comment}”之后的样子。")
            survivor = Article.objects.filter(pk=article.pk).first()
            if survivor is None:
                return redirect(reverse("admin:articles_article_changelist"))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "revision": revision,
            "later": editing.page_revisions(article.page).filter(date_created__gt=revision.date_created),
            "title": f"恢复版面：{article.page}",
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def review_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        flagged = Article.objects.flagged()
        counts = ArticleFlag.objects.unreviewed().counts_by_code()
        issues = (
            flagged.values("page__issue__id", "page__issue__date")
            .annotate(n=Count("id"))
            .order_by("-page__issue__date")[:50]
        )
        pages = (
            flagged.values("page__id", "page__number", "page__issue__date")
            .annotate(n=Count("id"))
            .order_by("-page__issue__date", "page__number")[:100]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "待审队列",
            "counts": [(flag, counts.get(flag, 0)) for flag in Flag],
            "issues": issues,
            "pages": pages,
            "total": flagged.count(),
            "pending_revisions": revisions.queue(),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)


def edit_lock(article: Article, user, *, claim: bool) -> dict | None:
    """Who else holds the item (None if nobody); ``claim`` takes the lock for ``user``.

    A soft lock in the cache: it warns, it never blocks, and it expires on its own.
    """
    key = f"edit-lock:article:{article.pk}"
    holder = cache.get(key)
    if claim and (holder is None or holder["user"] == user.get_username()):
        since = timezone.localtime().strftime("%H:%M")
        cache.set(key, {"user": user.get_username(), "since": since}, LOCK_SECONDS)
    return holder if holder and holder["user"] != user.get_username() else None


def release_lock(article: Article, user) -> None:
    key = f"edit-lock:article:{article.pk}"
    holder = cache.get(key)
    if holder and holder["user"] == user.get_username():
        cache.delete(key)


@admin.register(Photo)
class PhotoAdmin(SpreadsheetAdmin, HistoryAdmin):
    resource_classes = [PhotoResource]
    form = PhotoForm
    list_display = ("__str__", "article", "credit", "width", "height")
    raw_id_fields = ("article",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.image:
            make_renditions(obj.image)


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    search_fields = ("name",)
    list_display = ("name",)


@admin.register(Credit)
class CreditAdmin(SpreadsheetAdmin):
    resource_classes = [CreditResource]
    list_display = ("person", "role", "article")
    list_filter = ("role",)
    raw_id_fields = ("article", "person")
