"""Issues in the admin: workflow (review, publish, schedule, unpublish) and raw-file upload
with a preview of the parse before anything is saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.images import clean_page_file
from articles.models import Article
from desk import jobs
from desk.admin.history_views import PageHistoryMixin
from desk.admin.workspace import WorkspaceMixin, workspace_link
from desk.forms import PublicationForm
from desk.history import HistoryAdmin
from desk.workflow import (
    IDENTITY_FIELDS,
    TransitionRefused,
    do_publish_issue,
    do_retract_issue,
    do_send_to_review,
    may_change_identity,
    moves_for,
    unreviewed_count,
)
from issues.importer.notes import render_chinese
from issues.models import ImportJob, Issue, Page, Publication


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
    publish = forms.BooleanField(label="导入后立即发布（有未审标记时不发布）", required=False)
    replace = forms.BooleanField(
        label="替换已导入的期次",
        required=False,
        help_text="同一期已导入、文件又有改动时勾选：按新文件重建版面和稿件。编辑改过稿件时拒绝替换，以免覆盖改动。",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if refusal := jobs.upload_refusal([upload.size for upload in files]):
            raise forms.ValidationError(refusal)
        return files


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="发布时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="留空则立即发布；填将来的时间即定时发布。",
    )
    override = forms.BooleanField(label="忽略未审标记（总编辑）", required=False)
    reason = forms.CharField(label="理由", required=False, max_length=500, help_text="忽略未审标记时必填，记入历史。")

    def __init__(self, *args, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override"]
            del self.fields["reason"]


class RetractForm(forms.Form):
    reason = forms.CharField(label="理由", required=False, max_length=500, help_text="记入历史。")


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ("name", "image")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            return clean_page_file(image)
        return image


class PageInline(admin.TabularInline):
    model = Page
    form = PageForm
    extra = 0
    fields = ("number", "name", "image", "workspace")
    readonly_fields = ("number", "workspace")
    show_change_link = True
    workspace = workspace_link


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationForm
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


# The issue page's buttons: the list's action, its label and the states it moves to.
WORKFLOW_BUTTONS = (
    ("mark_in_review", "送审", {Issue.State.IN_REVIEW}),
    ("publish", "发布 / 定时发布…", {Issue.State.PUBLISHED, Issue.State.SCHEDULED}),
    ("unpublish", "撤回发布…", {Issue.State.RETRACTED}),
)


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    list_display = ("date", "number", "publication", "state_label", "published_at", "flagged_items", "page_count")
    list_filter = ("status", "publication")
    date_hierarchy = "date"
    readonly_fields = ("source_name", "source_sha256", "source_encoding", "warning_list", "imported_at", "masthead")
    fields = (
        ("publication", "date", "number"),
        ("weekday", "lunar_date", "page_count"),
        ("status", "published_at"),
        "warning_list",
        ("source_name", "source_encoding", "imported_at"),
        "source_sha256",
        "masthead",
    )
    inlines = [PageInline]
    actions = ["mark_in_review", "publish", "unpublish"]
    change_list_template = "admin/issues/issue/change_list.html"

    @admin.display(description="状态", ordering="status")
    def state_label(self, obj):
        return obj.state.label

    @admin.display(description="导入警告")
    def warning_list(self, obj):
        if not obj.warnings:
            return "—"
        items = format_html_join("", "<li>{}</li>", ((render_chinese(w),) for w in obj.warnings))
        return format_html('<ul class="warnings">{}</ul>', items)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unreviewed_items=Article.objects.flagged_count("page__issue"))

    @admin.display(description="待审稿件", ordering="unreviewed_items")
    def flagged_items(self, obj):
        return obj.unreviewed_items

    def get_readonly_fields(self, request, obj=None):
        # Status and publication time change only through the actions, which enforce the
        # review rule and record who did it; what identifies an issue is the chief editor's.
        chief = obj is None or may_change_identity(request.user)
        identity = () if chief else IDENTITY_FIELDS
        return [*super().get_readonly_fields(request, obj), "status", "published_at", *identity]

    def has_publish_permission(self, request):
        return request.user.has_perm("issues.publish_issue")

    @admin.action(description="送审（审校中）", permissions=["change"])
    def mark_in_review(self, request, queryset):
        for issue in queryset:
            try:
                do_send_to_review(issue, request.user)
            except TransitionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"{issue} 已送审。")

    @admin.action(description="发布 / 定时发布…", permissions=["publish"])
    def publish(self, request, queryset):
        """Ask for the time (and, for a chief editor, an override); act on the confirming POST."""
        may_override = request.user.has_perm("issues.override_flags")
        confirmed = request.POST.get("confirm") == "yes"
        form = PublishForm(request.POST if confirmed else None, may_override=may_override)
        if confirmed and form.is_valid():
            override = may_override and form.cleaned_data.get("override", False)
            for issue in queryset:
                try:
                    do_publish_issue(
                        issue,
                        request.user,
                        at=form.cleaned_data["at"],
                        override=override,
                        reason=form.cleaned_data.get("reason", ""),
                    )
                except TransitionRefused as exc:
                    hint = (
                        "（总编辑可勾选“忽略未审标记”并写明理由）" if may_override else "（请先审完，或请总编辑发布）"
                    )
                    self.message_user(request, f"未发布：{exc}{hint}", messages.ERROR)
                else:
                    when = timezone.localtime(issue.published_at)
                    self.message_user(request, f"{issue} {issue.state.label}（{when:%Y-%m-%d %H:%M}）。")
            return None
        return self.confirm(request, queryset, "publish", "发布", form)

    @admin.action(description="撤回发布…", permissions=["publish"])
    def unpublish(self, request, queryset):
        confirmed = request.POST.get("confirm") == "yes"
        form = RetractForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            for issue in queryset:
                try:
                    do_retract_issue(issue, request.user, reason=form.cleaned_data["reason"])
                except TransitionRefused as exc:
                    self.message_user(request, f"未撤回：{exc}", messages.ERROR)
                else:
                    self.message_user(request, f"{issue} 已撤回，读者不再能看到。")
            return None
        return self.confirm(request, queryset, "unpublish", "撤回发布", form)

    def confirm(self, request, queryset, action: str, label: str, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"确认{label}",
            "label": label,
            "action": action,
            "issues": [(issue, unreviewed_count(issue)) for issue in queryset],
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/issues/issue/confirm_action.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The issue's page offers the list's workflow actions for this one issue."""
        issue = self.get_object(request, object_id) if str(object_id).isdigit() else None
        context = {"workflow_actions": self.workflow_actions(request, issue), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def workflow_actions(self, request, issue: Issue | None) -> list[tuple[str, str]]:
        """(action, label) of each workflow action the user may take on ``issue`` now."""
        if issue is None:
            return []
        targets = set(moves_for(issue, request.user))
        actions = self.get_actions(request)
        return [(name, label) for name, label, wanted in WORKFLOW_BUTTONS if name in actions and targets & wanted]

    def changelist_view(self, request, extra_context=None):
        # Not inside VersionAdmin's one revision for the whole request: each issue an action
        # moves gets its own revision from the workflow, with its own comment.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return admin.ModelAdmin.changelist_view(self, request, context)

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="issues_issue_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Store the files and queue their previews; the job pages show them when ready."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
            queued = jobs.store_upload(
                files,
                user=request.user,
                publish=form.cleaned_data["publish"] and self.has_publish_permission(request),
                replace=form.cleaned_data["replace"],
            )
            messages.success(request, f"已收到 {len(queued)} 个文件，正在后台预览；预览好了请在任务页确认导入。")
            if len(queued) == 1:
                return redirect(reverse("admin:issues_importjob_change", args=[queued[0].pk]))
            ids = ",".join(str(job.pk) for job in queued)
            return redirect(reverse("admin:issues_importjob_changelist") + f"?id__in={ids}")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入报纸", "form": form}
        return TemplateResponse(request, "admin/issues/issue/upload.html", context)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports uploaded through the admin: who, what, how far, and the outcome."""

    list_display = ("source_name", "status", "progress_bar", "issue", "created_by", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("source_name",)
    list_select_related = ("issue__publication", "created_by")
    fields = (
        "source_name",
        "status",
        "progress_bar",
        "summary",
        "issue",
        "replace",
        "publish",
        "created_by",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def get_urls(self):
        return [
            path(
                "<int:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="issues_importjob_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request, object_id: int):
        """The uploader confirms a previewed job (POST only): a worker imports it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._uploader(request):
            raise PermissionDenied
        publish = request.POST.get("publish") == "1" and request.user.has_perm("issues.publish_issue")
        if jobs.queue([object_id], user=request.user, publish=publish):
            messages.success(request, "已排队导入，进度见本页。")
        else:
            messages.error(request, "不能确认：这个预览已过期、已导入、导入会被拒绝，或不是你上传的。")
        return redirect(reverse("admin:issues_importjob_change", args=[object_id]))

    @admin.display(description="进度")
    def progress_bar(self, obj):
        return format_html(
            '<progress max="100" value="{}">{}%</progress> {}%', obj.progress, obj.progress, obj.progress
        )

    def _uploader(self, request) -> bool:
        return request.user.has_perm("issues.add_issue")

    def has_view_permission(self, request, obj=None):
        return self._uploader(request)

    def has_module_permission(self, request):
        return self._uploader(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._uploader(request) and (obj is None or obj.finished)

    def changelist_view(self, request, extra_context=None):
        pending = self.get_queryset(request).filter(status__in=jobs.MOVING).exists()
        return super().changelist_view(request, {**(extra_context or {}), "refresh": pending})

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["refresh"] = obj is not None and obj.pending
        context["may_confirm"] = obj is not None and jobs.may_confirm(obj, request.user)
        context["may_publish"] = request.user.has_perm("issues.publish_issue")
        context["preview_warnings"] = [render_chinese(w) for w in obj.preview.get("warnings", [])] if obj else []
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(Page)
class PageAdmin(WorkspaceMixin, PageHistoryMixin, HistoryAdmin):
    form = PageForm
    list_display = ("__str__", "issue", "number", "name", "workspace")
    workspace = workspace_link
    list_filter = ("issue__publication",)
    search_fields = ("name",)
