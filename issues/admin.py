"""Issues in the admin: workflow (review, publish, schedule, unpublish) and raw-file upload
with a preview of the parse before anything is saved."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.admin import VersionAdmin

from articles.images import validate_page_file
from articles.models import Article
from issues.importer import ParseError
from issues.importing import ImportRefused, do_import_issue
from issues.models import Issue, Page, Publication

UPLOADS = Path(settings.MEDIA_ROOT) / "imports"
MAX_UPLOAD = 20 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(d, initial) for d in data] if isinstance(data, list | tuple) else [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="原始文本文件（可多选）")
    publish = forms.BooleanField(label="导入后立即发布", required=False)


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ("name", "image")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            validate_page_file(image)
        return image


class PageInline(admin.TabularInline):
    model = Page
    form = PageForm
    extra = 0
    fields = ("number", "name", "image")
    readonly_fields = ("number",)
    show_change_link = True


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Issue)
class IssueAdmin(VersionAdmin):
    list_display = ("date", "number", "publication", "status", "published_at", "flagged_items", "page_count")
    list_filter = ("status", "publication")
    date_hierarchy = "date"
    readonly_fields = ("source_name", "source_sha256", "source_encoding", "warnings", "imported_at", "masthead")
    fields = (
        ("publication", "date", "number"),
        ("weekday", "lunar_date", "page_count"),
        ("status", "published_at"),
        "warnings",
        ("source_name", "source_encoding", "imported_at"),
        "source_sha256",
        "masthead",
    )
    inlines = [PageInline]
    actions = ["mark_in_review", "publish", "unpublish"]
    change_list_template = "admin/issues/issue/change_list.html"

    @admin.display(description="待审稿件")
    def flagged_items(self, obj):
        return Article.objects.filter(page__issue=obj).exclude(flags=[]).count()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("issues.publish_issue"):
            fields += ["status", "published_at"]
        return fields

    def has_publish_permission(self, request):
        return request.user.has_perm("issues.publish_issue")

    @admin.action(description="送审（审校中）", permissions=["change"])
    def mark_in_review(self, request, queryset):
        updated = queryset.exclude(status=Issue.Status.PUBLISHED).update(status=Issue.Status.IN_REVIEW)
        self.message_user(request, f"{updated} 期已送审。")

    @admin.action(description="发布（未审标记需总编辑确认）", permissions=["publish"])
    def publish(self, request, queryset):
        override = request.user.has_perm("issues.override_flags")
        for issue in queryset:
            flagged = Article.objects.filter(page__issue=issue).exclude(flags=[]).count()
            if flagged and not (override and request.POST.get("override") == "1"):
                self.message_user(
                    request,
                    f"{issue}：还有 {flagged} 篇未审稿件，未发布。"
                    + ("总编辑可勾选“忽略未审标记”后再发布。" if override else ""),
                    messages.ERROR,
                )
                continue
            at = issue.published_at if issue.published_at and issue.published_at > timezone.now() else None
            issue.publish(at=at)
            self.message_user(request, f"{issue} 已{'定时' if at else ''}发布。")

    @admin.action(description="撤回发布", permissions=["publish"])
    def unpublish(self, request, queryset):
        for issue in queryset:
            issue.unpublish()
        self.message_user(request, f"{queryset.count()} 期已撤回。")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"status", "published_at", "date"} & set(form.changed_data):
            obj.sync_articles()

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="issues_issue_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Step 1: upload and preview (nothing saved). Step 2: confirm, then import."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入报纸"}
        if request.method == "POST" and request.POST.get("confirm"):
            publish = request.POST.get("publish") == "1" and self.has_publish_permission(request)
            for digest in request.POST.getlist("sha"):
                stored = UPLOADS / f"{digest}.txt"
                if len(digest) != 64 or not stored.is_file():
                    messages.error(request, "预览已过期，请重新上传。")
                    continue
                data = stored.read_bytes()
                if hashlib.sha256(data).hexdigest() != digest:
                    messages.error(request, "上传的文件已被改动，请重新上传。")
                    continue
                name = request.POST.get(f"name-{digest}", "upload.txt")
                try:
                    result = do_import_issue(data, source_name=name, publish=publish)
                except (ParseError, ImportRefused) as exc:
                    messages.error(request, f"{name}：{exc}")
                else:
                    messages.success(request, result.summary())
                stored.unlink(missing_ok=True)
            return redirect(reverse("admin:issues_issue_changelist"))
        form = UploadForm(request.POST or None, request.FILES or None)
        previews = []
        if request.method == "POST" and form.is_valid():
            UPLOADS.mkdir(parents=True, exist_ok=True)
            for upload in form.cleaned_data["files"]:
                if upload.size > MAX_UPLOAD:
                    previews.append({"name": upload.name, "error": "文件太大（上限 20 MB）。"})
                    continue
                data = upload.read()
                try:
                    result = do_import_issue(data, source_name=upload.name, dry_run=True)
                except (ParseError, ImportRefused) as exc:
                    previews.append({"name": upload.name, "error": str(exc)})
                    continue
                digest = hashlib.sha256(data).hexdigest()
                (UPLOADS / f"{digest}.txt").write_bytes(data)
                previews.append({"name": upload.name, "sha": digest, "result": result, "parse": result.parse})
        context.update(
            form=form,
            previews=previews,
            publish=form.cleaned_data.get("publish") if form.is_bound and form.is_valid() else False,
        )
        return TemplateResponse(request, "admin/issues/issue/upload.html", context)


@admin.register(Page)
class PageAdmin(VersionAdmin):
    form = PageForm
    list_display = ("__str__", "issue", "number", "name")
    list_filter = ("issue__publication",)
    search_fields = ("name",)
