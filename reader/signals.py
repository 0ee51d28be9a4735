"""The one invalidation path: what an editorial change tells the reader side.

Every save or delete of an issue, page, item, photo, credit or person (and a paper's
save: every page prints its name), raw ones included
(django-reversion restores versions with raw saves), goes through ``invalidate``: it moves
the shared site revision that keys the page cache (reader/revision.py) and retires the
stored edition's pages of the issues that show the change (``edition.touch_issues``), both in
the change's own transaction. Code that writes with ``update()`` calls ``invalidate`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_save

from articles.models import Article, Credit, Person, Photo
from issues.models import Issue, Page, Publication
from reader import edition, revision


def invalidate(issue_ids: Iterable[int | None] = (), *, home: bool = False, using: str | None = None) -> None:
    """Every process's cached pages, and the stored pages of these issues (and home's)."""
    revision.bump(using)
    edition.touch_issues(issue_ids, home=home)


def issue_ids_of(instance) -> set[int]:
    """The issues whose public pages show ``instance``."""
    if isinstance(instance, Page):
        return {instance.issue_id}
    if isinstance(instance, Article):
        return set(Page.objects.filter(pk=instance.page_id).values_list("issue_id", flat=True))
    if isinstance(instance, Photo | Credit):
        return set(Article.objects.filter(pk=instance.article_id).values_list("page__issue_id", flat=True))
    if isinstance(instance, Person):
        return set(
            Article.objects.filter(credits__person=instance.pk).values_list("page__issue_id", flat=True).distinct()
        )
    return set()


def _issue_before_save(sender, instance: Issue, **kwargs) -> None:
    # Before a change of date or status: the neighbours that link the issue now, and the
    # issue home shows now (it may belong to another publication).
    instance._edition_was_linked = {Issue.objects.visible().newest_pk()}
    old = Issue.objects.filter(pk=instance.pk).only("pk", "publication_id", "date").first() if instance.pk else None
    if old is not None:
        instance._edition_was_linked.update(n.pk for n in old.neighbours() if n is not None)


def _issue_changed(sender, instance: Issue, using: str | None = None, **kwargs) -> None:
    # An issue's mastheads link its neighbours, and home shows the newest issue of all.
    linked = {n.pk for n in instance.neighbours() if n is not None}
    invalidate({instance.pk, *linked, *getattr(instance, "_edition_was_linked", ())}, home=True, using=using)


def _content_changed(sender, instance, using: str | None = None, **kwargs) -> None:
    invalidate(issue_ids_of(instance), using=using)


def _publication_changed(sender, instance: Publication, using: str | None = None, **kwargs) -> None:
    # Every page of the paper prints its name (rare: a rename retires the paper's stored pages).
    invalidate(Issue.objects.filter(publication=instance).values_list("pk", flat=True), home=True, using=using)


def connect() -> None:
    pre_save.connect(_issue_before_save, sender=Issue, dispatch_uid="reader-issue-before-save")
    post_save.connect(_issue_changed, sender=Issue, dispatch_uid="reader-issue-save")
    post_delete.connect(_issue_changed, sender=Issue, dispatch_uid="reader-issue-delete")
    post_save.connect(_publication_changed, sender=Publication, dispatch_uid="reader-publication-save")
    for model in (Page, Article, Photo, Credit, Person):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"reader-save-{model.__name__}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"reader-delete-{model.__name__}")
