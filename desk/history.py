"""Edit history: which models django-reversion records, and the rule that history restores
content, never state.

Reversion stores whole-object versions (every field, serialised) grouped in revisions that
carry the user and a comment, so one editor's tool, which may touch several items, photos
and credits at once, is one entry that can be restored as a whole. Article follows its
photos, credits and flags so that they travel with it (an undo brings flags back too); Page is recorded by the desk tools together
with every item on it (``desk.tools.snapshot_page``).

A version also holds an issue's status and publication time, and items' copies of them.
Every revert (the admin's history and recover views, the desk's page restore) goes through
``content_only``: an issue saved by a revert keeps the state it has now (a recovered one
starts again as imported), and afterwards the items of every issue the revert touched get
their copies of the issue's date and publication time back in step, and its stored pages
are retired. Only desk/workflow.py moves an issue between states.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_save
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from articles.models import Article, ArticleFlag, Credit, Person, Photo
from desk.workflow import INITIAL_STATE, STATE_FIELDS
from issues.models import Issue, Page
from reader import edition

# An issue's fields a revert leaves as they are: its state, and the number that tells its
# stored pages apart from stale ones.
KEPT_FIELDS = (*STATE_FIELDS, "edition_revision")

NOTE = "恢复只还原内容：期次的状态和发布时间保持现状，恢复的已删除期次从“已导入”重新开始。"

# The ids of the issues touched by the revert under way (None: no revert under way).
_reverting: ContextVar[set[int] | None] = ContextVar("reverting", default=None)


# What a version of each model carries along. An issue carries no pages: its history is the
# issue row, and a page's is the desk's (desk/tools.py records pages with their items).
FOLLOW = {
    Article: ("photos", "credits", "flag_set"),
    Photo: (),
    Credit: (),
    ArticleFlag: (),
    Person: (),
    Issue: (),
    Page: (),
}


def register_models() -> None:
    """Register before any VersionAdmin does (HistoryAdmin calls this first): VersionAdmin
    would register a model with its inlines followed, an issue with its pages."""
    for model, follow in FOLLOW.items():
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


def connect_signals() -> None:
    for model in (Issue, Page, Article):
        pre_save.connect(_reverted, sender=model, dispatch_uid=f"history-revert-{model.__name__}")


@contextmanager
def content_only() -> Iterator[set[int]]:
    """Inside, reversion's reverts keep issues' state; yields the ids of the issues touched."""
    touched: set[int] = set()
    token = _reverting.set(touched)
    try:
        yield touched
    finally:
        _reverting.reset(token)


def settle(issue_ids: set[int]) -> None:
    """After a revert: items' copies of their issue's date and publication time, and the
    issues' stored pages, in step with the issues as they now are."""
    for issue in Issue.objects.filter(pk__in=issue_ids):
        issue.sync_articles()
    edition.touch_issues(issue_ids, home=True)


@transaction.atomic
def revert(revision: Revision, *, delete: bool = False) -> set[int]:
    """Revert a revision's content (never an issue's state); returns the issues touched."""
    with content_only() as touched:
        revision.revert(delete=delete)
    settle(touched)
    return touched


def _reverted(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of a row a revert writes back (reversion saves them raw)."""
    touched = _reverting.get()
    if not raw or touched is None:
        return
    now = timezone.now()
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            setattr(instance, field.attname, now)
    if isinstance(instance, Issue):
        current = Issue.objects.filter(pk=instance.pk).values(*KEPT_FIELDS).first()
        for name, value in (current or {**INITIAL_STATE, "edition_revision": 0}).items():
            setattr(instance, name, value)
        touched.add(instance.pk)
    elif isinstance(instance, Page):
        touched.add(instance.issue_id)
    else:
        pages = {instance.page_id, *Article.objects.filter(pk=instance.pk).values_list("page_id", flat=True)}
        touched.update(Page.objects.filter(pk__in=pages).values_list("issue_id", flat=True))


def may_revert(user, revision: Revision) -> bool:
    """Whether ``user`` may change every kind of row the revision writes back, and delete
    every kind it deletes (rows its items carry along that were added since)."""
    changed = {
        ct.model_class() for ct in ContentType.objects.filter(pk__in=revision.version_set.values("content_type"))
    }
    return all(_may(user, "change", model) for model in changed) and all(
        _may(user, "delete", model) for model in _deleted_by(revision)
    )


def _may(user, action: str, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}")


def _deleted_by(revision: Revision) -> set[type]:
    """The models of the rows ``revision.revert(delete=True)`` would delete."""
    recorded = set(revision.version_set.values_list("content_type_id", "object_id"))
    kinds = set()
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        obj = model._default_manager.filter(pk=version.object_id).first()
        for name in FOLLOW.get(model, ()) if obj is not None else ():
            for related in getattr(obj, name).all():
                if (ContentType.objects.get_for_model(related).pk, str(related.pk)) not in recorded:
                    kinds.add(type(related))
    return kinds


class HistoryAdmin(VersionAdmin):
    """VersionAdmin for every desk model: history restores content, never an issue's state.

    The revert view takes only versions of its own model and of a row that exists (so it is
    no back door to recovering), the recover view only
    deleted rows of its own model and only for users who may add, change and delete it;
    both refuse a revision that would change or delete rows the user may not, and run under
    ``content_only``.
    """

    # False for models made by imports and tools only (no add page).
    add_page = True

    def __init__(self, *args, **kwargs):
        register_models()
        super().__init__(*args, **kwargs)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("没有这一条记录（已删除的请从“恢复”进入）")
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        version = get_object_or_404(versions, pk=version_id)
        self._check_write(request, version)
        return self._restore(request, super().revision_view, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        self._check_write(request, version)
        return self._restore(request, super().recover_view, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def has_add_permission(self, request):
        # A model without an add page (``add_page = False``) is still recovered by those who
        # may add it: recovering is adding back a row that was.
        if not (self.add_page or getattr(request, "desk_recovering", False)):
            return False
        return super().has_add_permission(request)

    def _may_recover(self, request) -> bool:
        request.desk_recovering = True
        return all(
            check(request)
            for check in (self.has_add_permission, self.has_change_permission, self.has_delete_permission)
        )

    def _check_write(self, request, version: Version) -> None:
        if request.method == "POST" and not (
            self.has_change_permission(request) and may_revert(request.user, version.revision)
        ):
            raise PermissionDenied

    @staticmethod
    def _restore(request, view, *args):
        if request.method == "GET":
            messages.info(request, NOTE)
        with transaction.atomic(), content_only() as touched:
            response = view(request, *args)
            if request.method == "POST" and response.status_code == 302:
                settle(touched)
        return response
