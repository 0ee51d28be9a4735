"""Staff previews: an issue readers cannot see yet, at its own public address, marked as such.

Who may preview is ``issues.models.can_preview``; which issue a request may open is
``Issue.objects.viewable_by(user)``. A preview is rendered by the readers' own views and
templates, carries a banner and ``noindex``, is sent ``Cache-Control: private, no-store`` and
is never kept: the page cache and the rendered edition serve anonymous requests only, and
``finish`` also withdraws the view's offer to the edition.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from issues.models import Issue, can_preview
from reader import reading


def issue_for(request: HttpRequest, date: dt.date) -> Issue:
    """The issue of ``date`` as the request's user may open it (readers: published and due)."""
    if can_preview(request.user):
        issues = Issue.objects.viewable_by(request.user).for_reading().select_related("publication")
        issue = issues.filter(date=date).order_by("pk").first()  # as reading.visible_on
    else:
        issue = reading.visible_on(date)
    if issue is None:
        raise Http404("no published issue on that date")
    return issue


def newest_for(request: HttpRequest) -> Issue | None:
    """The issue home shows to the request's user: the latest they may open."""
    if not can_preview(request.user):
        return reading.newest()
    issues = Issue.objects.viewable_by(request.user).for_reading().select_related("publication")
    return issues.order_by("-date", "pk").first()  # as reading.newest and Issue.objects.newest_pk


def notice(issue: Issue) -> dict | None:
    """The preview banner of ``issue`` (None when readers see it): its text and the desk's link."""
    if issue.is_visible():
        return None
    state = issue.state
    if state == Issue.State.RETRACTED:
        text = "预览：本期已撤回，读者看不到这一页。"
    elif state == Issue.State.SCHEDULED:
        when = timezone.localtime(issue.published_at)
        text = f"预览：本期尚未发布，定于 {when:%Y-%m-%d %H:%M} 发布，届时读者将在此地址看到这一页。"
    else:
        text = f"预览：本期尚未发布（{state.label}），读者看不到这一页；发布后将在此地址显示。"
    return {"text": text, "desk": reverse("admin:issues_issue_change", args=[issue.pk])}


def finish(response: HttpResponse, issue: Issue) -> HttpResponse:
    """Keep a preview private: no shared cache, no browser store, never the rendered edition."""
    if not issue.is_visible():
        response.edition = None
        patch_cache_control(response, private=True, no_store=True)
    return response
