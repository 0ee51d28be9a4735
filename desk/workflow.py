"""An issue's way to readers: the one place that changes its state.

    已导入 → 审校中 → 定时发布 / 已发布 → 已撤回

``TRANSITIONS`` lists every allowed move with the permission it needs; anything else is
refused. Each move locks the issue row, checks the permission (a user, or an explicit
``actor`` for system paths such as the command line), the move's legality and the flag rule
(unreviewed flags block publication unless a chief editor, or a system path, overrides them
with a reason), then writes the status, copies the publication time onto the issue's items
(search reads it there) and records who, when and why as a django-reversion revision.
Nothing else writes ``status`` or ``published_at`` (tests/desk/test_state_writers.py).
"""

from __future__ import annotations

import datetime as dt

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from issues.models import Issue

State = Issue.State
CHANGE = "issues.change_issue"
PUBLISH = "issues.publish_issue"
OVERRIDE_FLAGS = "issues.override_flags"

# (from, to) → the permission the move needs. Editors have CHANGE; chief editors all three.
TRANSITIONS: dict[tuple[State, State], str] = {
    (State.IMPORTED, State.IN_REVIEW): CHANGE,
    (State.RETRACTED, State.IN_REVIEW): CHANGE,
    **{
        (source, target): PUBLISH
        for source in (State.IMPORTED, State.IN_REVIEW, State.SCHEDULED, State.RETRACTED)
        for target in (State.SCHEDULED, State.PUBLISHED)
    },
    (State.SCHEDULED, State.RETRACTED): PUBLISH,
    (State.PUBLISHED, State.RETRACTED): PUBLISH,
}
VERBS = {State.IN_REVIEW: "送审", State.SCHEDULED: "定时发布", State.PUBLISHED: "发布", State.RETRACTED: "撤回"}
# The fields only this module writes; history never restores them (desk/history.py).
STATE_FIELDS = ("status", "published_at")
# The state of an issue that comes back from nowhere (recovered from history).
INITIAL_STATE = {"status": Issue.Status.IMPORTED, "published_at": None}


class TransitionRefused(Exception):
    """The move is not allowed (state, permission or flags); the message says why, in Chinese."""


# What identifies an issue and its edition (its paper, date, serial, weekday and pages):
# chief editors correct them, editors see them.
IDENTITY_FIELDS = ("publication", "date", "number", "weekday", "page_count")


def may_change_identity(user: AbstractBaseUser) -> bool:
    return user.has_perm(PUBLISH)


def unreviewed_count(issue: Issue) -> int:
    return Article.objects.filter(page__issue=issue).flagged().count()


def next_moves(state: State) -> list[str]:
    """What may happen to an issue in ``state`` (labels of the moves, for messages)."""
    return [VERBS[target] for source, target in TRANSITIONS if source == state]


def moves_for(issue: Issue, user: AbstractBaseUser) -> list[State]:
    """The states ``user`` may move ``issue`` to now (the flag rule is checked when moving)."""
    source = issue.state
    return [target for (start, target), perm in TRANSITIONS.items() if start == source and user.has_perm(perm)]


@transaction.atomic
def do_send_to_review(issue: Issue, user: AbstractBaseUser | None, *, actor: str = "", reason: str = "") -> None:
    _check(issue, State.IN_REVIEW, user, actor)
    _move(issue, State.IN_REVIEW, issue.published_at, user, _comment("送审", actor, reason))


@transaction.atomic
def do_publish_issue(
    issue: Issue,
    user: AbstractBaseUser | None,
    *,
    at: dt.datetime | None = None,
    override: bool = False,
    reason: str = "",
    actor: str = "",
) -> None:
    """Publish now, or at ``at`` when it lies ahead (scheduled).

    Refused while items still carry unreviewed flags, unless ``override`` with a ``reason``
    by someone who may override flags (or a system ``actor``); the revision records it.
    """
    _lock(issue)
    _publish(issue, user, at=at, override=override, reason=reason, actor=actor)


def _publish(
    issue: Issue, user: AbstractBaseUser | None, *, at: dt.datetime | None, override: bool, reason: str, actor: str
) -> None:
    """``do_publish_issue`` once the caller holds the issue's lock (``_lock``)."""
    now = timezone.now()
    scheduled = at is not None and at > now
    target = State.SCHEDULED if scheduled else State.PUBLISHED
    _check(issue, target, user, actor, locked=True)
    flagged = unreviewed_count(issue)
    reason = reason.strip()
    if flagged and not override:
        raise TransitionRefused(f"{issue}：{flagged} 篇稿件仍有未审标记，不能{VERBS[target]}")
    if flagged and user is not None and not user.has_perm(OVERRIDE_FLAGS):
        raise TransitionRefused(f"{issue}：你没有忽略未审标记的权限（{flagged} 篇稿件仍有未审标记）")
    if flagged and not reason:
        raise TransitionRefused(f"{issue}：忽略未审标记须写明理由")
    when = at if scheduled else now
    comment = f"定时发布：{timezone.localtime(when):%Y-%m-%d %H:%M}" if scheduled else "发布"
    if flagged:
        comment += f"（忽略 {flagged} 篇未审标记）"
    _move(issue, target, when, user, _comment(comment, actor, reason))


@transaction.atomic
def do_retract_issue(issue: Issue, user: AbstractBaseUser | None, *, actor: str = "", reason: str = "") -> None:
    """Take a published (or scheduled) issue away from readers; its publication time stays."""
    _check(issue, State.RETRACTED, user, actor)
    _move(issue, State.RETRACTED, issue.published_at, user, _comment("撤回发布", actor, reason))


@transaction.atomic
def publish_imported(issue: Issue, user: AbstractBaseUser | None, *, override: bool, reason: str, actor: str) -> bool:
    """Publish an issue just imported, unless readers already see it; True if it was published.

    Raises ``TransitionRefused`` as ``do_publish_issue`` does (flags without an override).
    """
    _lock(issue)
    if issue.state == State.PUBLISHED:
        return False
    _publish(issue, user, at=None, override=override, reason=reason, actor=actor)  # locked just above
    return True


def _lock(issue: Issue) -> None:
    """Lock the row and read its current state: two editors' moves queue, never cross."""
    Issue.objects.select_for_update().filter(pk=issue.pk).values_list("pk").first()
    issue.refresh_from_db(fields=STATE_FIELDS)


def _check(issue: Issue, target: State, user: AbstractBaseUser | None, actor: str, *, locked: bool = False) -> None:
    """Refuse the move unless allowed; locks the issue first unless the caller did (``locked``)."""
    if user is None and not actor:
        raise ValueError("a move without a user must name its actor (the system path that makes it)")
    if not locked:
        _lock(issue)
    source = issue.state
    permission = TRANSITIONS.get((source, target))
    if permission is None:
        moves = "、".join(next_moves(source)) or "无"
        raise TransitionRefused(f"{issue}：{source.label}的期次不能{VERBS[target]}（此时可以：{moves}）")
    if user is not None and not user.has_perm(permission):
        raise TransitionRefused(f"{issue}：你没有{VERBS[target]}的权限")


def _comment(what: str, actor: str, reason: str) -> str:
    parts = [what]
    if actor:
        parts.append(f"执行者：{actor}")
    if reason.strip():
        parts.append(f"理由：{reason.strip()}")
    return "；".join(parts)


def _move(issue: Issue, target: State, published_at, user, comment: str) -> None:
    status = Issue.Status.PUBLISHED if target == State.SCHEDULED else Issue.Status(target.value)
    with reversion.create_revision():
        issue.status = status
        issue.published_at = published_at
        issue.save(update_fields=["status", "published_at", "updated_at"])  # items follow (articles.signals)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(issue)
