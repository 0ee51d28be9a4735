"""The desk's history: one list per page and per item (desk.changes.history), and the three
ways back from an entry, each confirmed before it acts: undo this operation, restore this
item to this version, restore the whole page to after this step.

Mixed into PageAdmin and ArticleAdmin; their ``history`` URLs show this list instead of
django-reversion's per-object one, so there is one history and it reads the same everywhere.
"""

from __future__ import annotations

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import Article
from desk import changes, undo
from desk import tools as editing
from issues.models import Page


def history_link(page_id: int, text: str = "改动历史") -> str:
    """A link to a page's history, for the messages after an edit."""
    return format_html('<a href="{}">{}</a>', reverse("admin:issues_page_history", args=[page_id]), text)


def _may_view(request) -> bool:
    return request.user.has_perm("articles.view_article") or request.user.has_perm("articles.change_article")


def _may_edit(request) -> bool:
    return request.user.has_perm("articles.change_article")


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _render(model_admin, request, template: str, **context) -> TemplateResponse:
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context}
    return TemplateResponse(request, template, context)


class PageHistoryMixin:
    """A page's history, the undo of one operation and the page-wide restore."""

    def history_view(self, request, object_id, extra_context=None):
        page = get_object_or_404(Page.objects.select_related("issue"), pk=object_id)
        if not (self.has_view_or_change_permission(request, page) and _may_view(request)):
            raise PermissionDenied
        entries = changes.history(editing.page_revisions(page))
        return _render(
            self,
            request,
            "admin/desk/history.html",
            title=f"改动历史：{page}",
            page=page,
            entries=entries,
            may_edit=_may_edit(request),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/undo/<int:revision_id>/",
                self.admin_site.admin_view(self.undo_view),
                name="issues_page_undo",
            ),
            path(
                "<int:object_id>/restore/<int:revision_id>/",
                self.admin_site.admin_view(self.restore_page_view),
                name="issues_page_restore",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id: int, revision_id: int):
        page = get_object_or_404(Page.objects.select_related("issue"), pk=object_id)
        if not (self.has_change_permission(request, page) and _may_edit(request)):
            raise PermissionDenied
        return page, get_object_or_404(editing.page_revisions(page), pk=revision_id)

    def undo_view(self, request, object_id: int, revision_id: int):
        """Confirm, then revert what one operation changed and nothing else."""
        page, revision = self._editable(request, object_id, revision_id)
        back = reverse("admin:issues_page_history", args=[page.pk])
        if _confirmed(request):
            try:
                undo.do_undo_operation(revision, request.user)
            except editing.EditError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, format_html("已撤销“{}”。{}", undo.label(revision), history_link(page.pk)))
            return redirect(back)
        op = changes.operation(revision)
        existing = set(Article.objects.filter(pk__in=op.items).values_list("pk", flat=True))
        return _render(
            self,
            request,
            "admin/desk/confirm.html",
            title=f"撤销此操作：{undo.label(revision)}",
            lead=f"{changes.when(revision)} {changes.who(revision)}：{undo.label(revision)}",
            explain="只撤销这一步改动的稿件，其他稿件（包括别人之后的改动）保持不变；撤销本身也记入历史，可以再撤销。",
            listed=[(pk, op.title(pk), pk in existing) for pk in sorted(op.items)],
            listed_title="这一步改动的稿件",
            refusal=undo.refusal(op),
            button="确认撤销",
            back=back,
        )

    def restore_page_view(self, request, object_id: int, revision_id: int):
        """Confirm, then put the whole page back as it was after one step."""
        page, revision = self._editable(request, object_id, revision_id)
        back = reverse("admin:issues_page_history", args=[page.pk])
        if _confirmed(request):
            try:
                editing.do_restore_revision(revision, user=request.user)
            except editing.EditError as exc:
                messages.error(request, f"恢复失败：{exc}")
            else:
                messages.success(
                    request,
                    format_html("已把整版恢复到“{}”之后的样子。{}", undo.label(revision), history_link(page.pk)),
                )
            return redirect(back)
        later = changes.history(editing.page_revisions(page).filter(pk__gt=revision.pk))
        return _render(
            self,
            request,
            "admin/desk/confirm.html",
            title=f"恢复整版到此步之后：{page}",
            lead=f"{changes.when(revision)} {changes.who(revision)}：{undo.label(revision)}",
            explain="整版恢复到这一步之后的样子：之后的这些改动（包括别人的）都会被撤销。恢复本身也记入历史，可以再撤销。",
            later=later,
            button="确认恢复整版",
            back=back,
        )


class ItemHistoryMixin:
    """An item's history, the restore of one item to a version, and deletions recorded as
    edits of their page (so that the history knows the item went, and the step can be undone)."""

    def log_change(self, request, obj, message):
        """Name the item in the step's comment, as the tools do."""
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(f"{entry.get_change_message().rstrip('。.')}：{obj}")
        return entry

    def delete_model(self, request, obj):
        with editing._revision(request.user, f"删除稿件：{obj}", obj.page):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        pages = list(Page.objects.filter(articles__in=queryset).distinct())
        titles = "、".join(str(a) for a in queryset[:3]) + ("等" if queryset.count() > 3 else "")
        with editing._revision(request.user, f"删除稿件：{titles}", *pages):
            super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        entries = changes.history(changes.item_revisions(article), item=article.pk)
        return _render(
            self,
            request,
            "admin/desk/history.html",
            title=f"改动历史：{article}",
            page=article.page,
            article=article,
            entries=entries,
            may_edit=_may_edit(request),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/restore-item/<int:revision_id>/",
                self.admin_site.admin_view(self.restore_item_view),
                name="articles_article_restore_item",
            ),
            *super().get_urls(),
        ]

    def restore_item_view(self, request, object_id: int, revision_id: int):
        """Confirm, then put one item back as one step left it (its place on the page stays)."""
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        if not (self.has_change_permission(request, article) and _may_edit(request)):
            raise PermissionDenied
        revision = get_object_or_404(changes.item_revisions(article), pk=revision_id)
        back = reverse("admin:articles_article_history", args=[article.pk])
        if _confirmed(request):
            try:
                undo.do_restore_item(article, revision, request.user)
            except editing.EditError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    format_html(
                        "已把“{}”恢复到 {} 的版本。{}", article, changes.when(revision), history_link(article.page_id)
                    ),
                )
            return redirect(back)
        version = changes.Ledger(revision.version_set.all()).recorded(revision.pk)[(Article, article.pk)]
        return _render(
            self,
            request,
            "admin/desk/confirm.html",
            title=f"恢复此稿到此版本：{article}",
            lead=f"{changes.when(revision)} {changes.who(revision)}：{undo.label(revision)}",
            explain="只恢复这篇稿件的标题、正文、署名、标记、图片和署名人；它在版面上的位置保持不变，其他稿件不受影响。恢复也记入历史，可以撤销。",
            version_title=changes.display_title(version.fields),
            version_body=[p.get("text", "") for p in version.fields.get("body") or []],
            button="确认恢复此稿",
            back=back,
        )
