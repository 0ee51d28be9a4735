"""Login lockouts at the desk: who is locked out now, and unlocking a colleague.

django-axes locks a username from one client address after too many failed sign-ins
(newsroom/settings.py). A chief editor (or anyone allowed to delete axes' access attempts)
sees the current lockouts on 登录锁定 and lifts one after confirming: that clears the
failures of that username from that address, and is recorded in the admin's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.admin import AccessAttemptAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_failure: datetime
    until: datetime
    attempt_id: int


def current_lockouts() -> list[Lockout]:
    """Every username and address locked out now, the most recent first."""
    cool_off = get_cool_off()
    pairs = (
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - cool_off,
        )
        .values("username", "ip_address")
        .annotate(failures=Max("failures_since_start"), last_failure=Max("attempt_time"), attempt_id=Max("pk"))
        .order_by("-last_failure")
    )
    return [Lockout(**pair, until=pair["last_failure"] + cool_off) for pair in pairs]


def unlock(attempt: AccessAttempt) -> int:
    """Clears the failures of the attempt's username from its address (every user agent)."""
    deleted, _ = AccessAttempt.objects.filter(username=attempt.username, ip_address=attempt.ip_address).delete()
    return deleted


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockoutAdmin(AccessAttemptAdmin):
    """axes' own list of attempts (for superusers), plus the desk's lockout page and unlock."""

    def get_urls(self):
        extra = [
            path("lockouts/", self.admin_site.admin_view(self.lockouts_view), name="axes_accessattempt_lockouts"),
            path(
                "<int:attempt_id>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="axes_accessattempt_unlock",
            ),
        ]
        return extra + super().get_urls()

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        """Chief editors reach lockouts from the header link; axes' raw list is not for them."""
        return super().get_model_perms(request) if self.has_view_permission(request) else {}

    def lockouts_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_delete_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "登录锁定",
            "lockouts": current_lockouts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/axes/accessattempt/lockouts.html", context)

    def unlock_view(self, request: HttpRequest, attempt_id: int) -> HttpResponse:
        """GET asks to confirm; POST clears that username's failures from that address."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
        if request.method == "POST":
            done = f"已解除 {attempt.username} 在 {attempt.ip_address} 的登录锁定"
            LogEntry.objects.log_actions(
                request.user.pk, AccessAttempt.objects.filter(pk=attempt.pk), DELETION, change_message=done
            )
            unlock(attempt)
            self.message_user(request, f"{done}，可以立即重新登录。")
            return redirect("admin:axes_accessattempt_lockouts")
        context = {
            **self.admin_site.each_context(request),
            "title": "解除登录锁定",
            "attempt": attempt,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/axes/accessattempt/unlock.html", context)
