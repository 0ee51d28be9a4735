"""The page workspace: one page's raw text beside its items, every structural tool on the
paragraph or item it acts on. Each button is a small POST form that runs one desk tool and
comes back to the workspace at that item; works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.body import BlockKind
from articles.models import Article
from desk import forms as desk_forms
from desk import revisions, workspace
from desk import tools as editing
from desk.admin.articles import edit_lock
from desk.admin.history_views import history_link
from desk.forms import ROLE_CHOICES
from issues.models import Page


@dataclass(frozen=True)
class Action:
    label: str
    form: type[desk_forms.StampedForm]
    run: Callable


def _titles(article, data, user):
    return editing.do_set_titles(article, user, **{role: data[role] for role in editing.TITLE_ROLES})


ACTIONS = {
    "titles": Action("保存标题", desk_forms.TitlesForm, _titles),
    "paragraph": Action(
        "保存本段",
        desk_forms.ParagraphEditForm,
        lambda a, d, u: editing.do_edit_paragraph(a, d["block"], d["text"], d["kind"], user=u),
    ),
    "split": Action("在此拆分", desk_forms.BlockForm, lambda a, d, u: editing.do_split_article(a, d["block"], user=u)),
    "join": Action(
        "与下段拼接", desk_forms.BlockForm, lambda a, d, u: editing.do_join_paragraphs(a, d["block"], user=u)
    ),
    "delete": Action(
        "删除本段", desk_forms.BlockForm, lambda a, d, u: editing.do_delete_paragraph(a, d["block"], user=u)
    ),
    "raise": Action(
        "上移本段", desk_forms.BlockForm, lambda a, d, u: editing.do_raise_paragraph(a, d["block"], user=u)
    ),
    "subhead": Action(
        "切换小标题", desk_forms.BlockForm, lambda a, d, u: editing.do_toggle_subhead(a, d["block"], user=u)
    ),
    "promote": Action(
        "升为标题", desk_forms.PromoteForm, lambda a, d, u: editing.do_promote_block(a, d["block"], d["role"], user=u)
    ),
    "move": Action(
        "移到另一篇", desk_forms.MoveForm, lambda a, d, u: editing.do_move_block(a, d["block"], d["target"], user=u)
    ),
    "demote": Action("降为正文", desk_forms.RoleForm, lambda a, d, u: editing.do_demote_title(a, d["role"], user=u)),
    "swap": Action(
        "交换标题角色", desk_forms.SwapForm, lambda a, d, u: editing.do_swap_titles(a, d["swap_a"], d["swap_b"], user=u)
    ),
    "merge": Action(
        "并入上一篇", desk_forms.MergeForm, lambda a, d, u: editing.do_merge_articles(a, "previous", user=u)
    ),
}


class WorkspaceMixin:
    """For the Page admin: the workspace view and the one view its buttons post to."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:page_id>/workspace/", view(self.workspace_view), name="issues_page_workspace"),
            path(
                "<int:page_id>/workspace/<int:article_id>/<slug:action>/",
                view(self.workspace_action),
                name="issues_page_workspace_action",
            ),
            *super().get_urls(),
        ]

    def _may_edit_items(self, request) -> bool:
        """Changing the page's items: the page's and the items' change permissions."""
        items = self.admin_site.get_model_admin(Article)
        return self.has_change_permission(request) and items.has_change_permission(request)

    def workspace_view(self, request, page_id: int):
        page = get_object_or_404(Page.objects.select_related("issue__publication"), pk=page_id)
        if not self._may_edit_items(request):
            raise PermissionDenied
        items = workspace.workspace_items(page)
        for item in items:
            item.lock = edit_lock(item.article, request.user, claim=False)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"版面工作台：{page}",
            "is_nav_sidebar_enabled": False,  # the page needs the width
            "page": page,
            "items": items,
            "roles": ROLE_CHOICES,
            "kinds": BlockKind.choices,
            "max_paragraph": editing.body_rules.MAX_PARAGRAPH_CHARS,
            "headline_max": editing.HEADLINE_MAX,
        }
        return TemplateResponse(request, "admin/issues/page/workspace.html", context)

    def workspace_action(self, request, page_id: int, article_id: int, action: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=article_id, page=page_id)
        if action not in ACTIONS:
            raise Http404
        if not self._may_edit_items(request):
            raise PermissionDenied
        spec = ACTIONS[action]
        form = spec.form(request.POST, article=article)
        if not form.is_valid():
            messages.error(request, f"{spec.label}：{first_error(form)}")
            return self._back(page_id, article.pk)
        if action == "merge" and not form.cleaned_data["confirm"]:
            return self._confirm_merge(request, article, form)
        if lock := edit_lock(article, request.user, claim=False):
            messages.warning(request, f"{lock['user']} 自 {lock['since']} 起正在稿件页编辑这篇稿件：请与其确认。")
        try:
            revisions.require_live_edit(request.user, article)
            result = spec.run(article, form.cleaned_data, request.user)
        except editing.EditError as exc:
            messages.error(request, f"{spec.label}：{exc}")
            return self._back(page_id, article.pk)
        if result is False:
            messages.info(request, f"{spec.label}：没有改动。")
        else:
            messages.success(
                request,
                format_html("{}：完成。可在{}中撤销这一步。", spec.label, history_link(page_id, "版面改动历史")),
            )
        return self._back(page_id, result.pk if isinstance(result, Article) else article.pk)

    def _confirm_merge(self, request, article: Article, form):
        previous = (
            Article.objects.filter(page=article.page, position__lt=article.position).order_by("-position").first()
        )
        if previous is None:
            messages.error(request, "并入上一篇：本版没有上一篇稿件可以合并")
            return self._back(article.page_id, article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "确认合并",
            "page": article.page,
            "article": article,
            "previous": previous,
            "stamp": form.cleaned_data["stamp"],
        }
        return TemplateResponse(request, "admin/issues/page/workspace_merge.html", context)

    @staticmethod
    def _back(page_id: int, article_id: int):
        return redirect(reverse("admin:issues_page_workspace", args=[page_id]) + f"#item-{article_id}")


def first_error(form) -> str:
    """The form's first error as one line (the stale-form message before any other)."""
    errors = form.errors.as_data()
    if "stamp" in errors:
        return desk_forms.STALE
    name, found = next(iter(errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}：{found[0].messages[0]}" if label else found[0].messages[0]


@admin.display(description="工作台")
def workspace_link(admin_instance, page: Page) -> str:
    """A column for lists of pages: the way into the page's workspace."""
    if page.pk is None:
        return "—"
    return format_html('<a href="{}">版面工作台</a>', reverse("admin:issues_page_workspace", args=[page.pk]))
