"""Pending revisions at the desk: the item form keeps an editor's change to a published item
as a revision, and its diff page lets a chief editor publish or discard it (desk/revisions.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article, ArticleRevision
from desk import revisions
from desk import tools as editing

# Fields of an item that no revision carries: read-only for whoever's edits would wait.
LIVE_ONLY = ("kind", "continued_from_page", "continued_to_page", "continues")
SAVED = "已存为待发布修改：读者仍看到已发布的文字，主编发布后生效。可以继续修改。"
UNCHANGED = "内容与已发布的一致：没有待发布修改。"


def _waits(request, article: Article | None) -> bool:
    return article is not None and not revisions.edits_go_live(request.user, article)


class LiveEditInline:
    """An item's inline (photos, credits): changed only by those whose edits of the item go live."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _waits(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _waits(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _waits(request, obj)


class RevisionEditing:
    """For the item admin: whoever's edits wait sees and edits the item's pending revision."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, *(f for f in LIVE_ONLY if f not in fields)) if _waits(request, obj) else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        pending = revisions.pending_revision(obj) if _waits(request, obj) else None
        if pending is None:
            return form
        proposed = pending.values()

        class PendingRevisionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**proposed, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return PendingRevisionForm

    def propose(self, request, obj: Article, form) -> None:
        """Keep the form's text as the item's pending revision instead of saving the item."""
        values = {name: getattr(obj, name) for name in ArticleRevision.FIELDS if name in form.cleaned_data}
        request.proposed_revision = revisions.do_propose(obj, values, request.user)

    def response_change(self, request, obj):
        if not hasattr(request, "proposed_revision"):
            return super().response_change(request, obj)
        self.message_user(request, SAVED if request.proposed_revision else UNCHANGED, messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pending = None
        if str(object_id).isdigit():
            pending = revisions.queue().filter(article=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "pending_revision": pending,
            "edits_wait": pending is not None and _waits(request, pending.article),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """The item's history: restoring an old version is a structural change (see tools)."""
        article = self.get_object(request, object_id) if request.method == "POST" else None
        if article is not None and self.has_change_permission(request, article) and _waits(request, article):
            messages.error(request, f"恢复失败：{revisions.REFUSAL}")
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        return super().revision_view(request, object_id, version_id, extra_context)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    """The list of revisions; each one's page is its diff with publish and discard."""

    list_display = ("__str__", "issue_date", "state", "author", "updated_at", "decided_by", "decided_at")
    list_filter = ("state",)
    list_select_related = ("article__page__issue", "author", "decided_by")
    search_fields = ("headline", "article__headline")
    ordering = ("-updated_at", "-pk")

    @admin.display(description="日期", ordering="article__page__issue__date")
    def issue_date(self, obj):
        return obj.article.page.issue.date

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        extra = [
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="articles_articlerevision_publish",
            ),
            path(
                "<int:object_id>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="articles_articlerevision_discard",
            ),
        ]
        return extra + super().get_urls()

    def _revision(self, request, object_id) -> ArticleRevision:
        if not self.has_view_permission(request):
            raise PermissionDenied
        revision = self.get_object(request, object_id)
        if revision is None:
            raise Http404("没有这份修改稿")
        return revision

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The side-by-side diff of a revision against the item as readers see it."""
        revision = self._revision(request, object_id)
        article = Article.objects.select_related("page__issue").get(pk=revision.article_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"修改稿：{article}",
            "revision": revision,
            "article": article,
            "diffs": revisions.field_diffs(revision, article),
            "pending": revision.state == ArticleRevision.State.PENDING,
            "may_publish": revisions.may_publish(request.user),
            "may_discard": revisions.may_discard(request.user, revision),
        }
        return TemplateResponse(request, "admin/articles/articlerevision/diff.html", context)

    def publish_view(self, request, object_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = self._revision(request, object_id)
        if not revisions.may_publish(request.user):
            raise PermissionDenied
        return self._done(request, revision, revisions.do_publish_revision, "已发布修改稿：读者现在看到新的文字。")

    def discard_view(self, request, object_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = self._revision(request, object_id)
        if not revisions.may_discard(request.user, revision):
            raise PermissionDenied
        return self._done(request, revision, revisions.do_discard_revision, "已放弃修改稿：读者看到的保持不变。")

    @staticmethod
    def _done(request, revision: ArticleRevision, action, success: str):
        try:
            action(revision, request.user)
        except editing.EditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
        return redirect(reverse("admin:articles_article_change", args=[revision.article_id]))
