"""An issue's workflow through the admin: send to review, publish now or later, the flag rule
and the chief editor's override, unpublish; each confirmed on a second page and recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleFlag
from desk.workflow import (
    CHANGE,
    PUBLISH,
    TRANSITIONS,
    TransitionRefused,
    do_publish_issue,
    do_retract_issue,
    do_send_to_review,
)
from issues.models import Issue
from tests.conftest import make_user, publish

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/issues/issue/"


@pytest.fixture
def roles(db) -> dict[str, User]:
    return {
        "staff": make_user("plainstaff"),
        "editor": make_user("editor", "Editors"),
        "chief": make_user("chief", "Chief editors"),
    }


@pytest.fixture
def imported(sample_issue) -> Issue:
    sample_issue.status, sample_issue.published_at = Issue.Status.IMPORTED, None
    sample_issue.save()
    sample_issue.sync_articles()
    return sample_issue


def action(client, name: str, issue: Issue, **extra):
    return client.post(CHANGELIST, {"action": name, "_selected_action": [issue.pk], **extra}, follow=True)


def test_imported_issue_goes_to_review(client, imported, roles):
    client.force_login(roles["editor"])
    action(client, "mark_in_review", imported)
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IN_REVIEW
    assert Version.objects.get_for_object(imported).first().revision.get_comment() == "送审"


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_only_publishers_can_publish_or_unpublish(client, imported, roles, role):
    client.force_login(roles[role])
    for name in ("publish", "unpublish"):
        action(client, name, imported, confirm="yes", override="on")
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IMPORTED


def test_publish_asks_first_and_then_refuses_unreviewed_flags(client, imported, roles):
    client.force_login(roles["chief"])
    page = action(client, "publish", imported).content.decode()
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IMPORTED, "the first POST only asks"
    assert "确认发布" in page and "忽略未审标记" in page
    flagged = Article.objects.filter(page__issue=imported).flagged().count()
    assert f'<strong class="errornote">{flagged}</strong>' in page
    page = action(client, "publish", imported, confirm="yes").content.decode()
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IMPORTED and "未发布" in page


def test_chief_editor_overrides_and_readers_see_it(client, imported, roles):
    client.force_login(roles["chief"])
    action(client, "publish", imported, confirm="yes", override="on", reason="已核")
    imported.refresh_from_db()
    assert imported.status == Issue.Status.PUBLISHED and imported.is_public
    assert Issue.objects.visible().filter(pk=imported.pk).exists()
    assert "忽略" in Version.objects.get_for_object(imported).first().revision.get_comment()
    assert not Article.objects.filter(page__issue=imported, issue_published_at=None).exists()


def test_editor_without_override_cannot_force_it(client, imported, roles):
    publisher = make_user("publisher")
    publisher.user_permissions.add(*Group.objects.get(name="Editors").permissions.all())
    from django.contrib.auth.models import Permission

    publisher.user_permissions.add(Permission.objects.get(codename="publish_issue"))
    client.force_login(publisher)
    page = action(client, "publish", imported).content.decode()
    assert "忽略未审标记" not in page
    action(client, "publish", imported, confirm="yes", override="on")
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IMPORTED
    ArticleFlag.objects.filter(article__page__issue=imported).mark_reviewed(publisher)
    action(client, "publish", imported, confirm="yes")
    imported.refresh_from_db()
    assert imported.status == Issue.Status.PUBLISHED


def test_scheduled_publication_is_not_public_until_its_time(client, imported, roles):
    client.force_login(roles["chief"])
    later = timezone.localtime() + dt.timedelta(days=1)
    action(
        client, "publish", imported, confirm="yes", override="on", reason="已核", at=later.strftime("%Y-%m-%dT%H:%M")
    )
    imported.refresh_from_db()
    assert imported.status == Issue.Status.PUBLISHED and imported.published_at > timezone.now()
    assert not imported.is_public and not Issue.objects.visible().exists()
    assert not Article.objects.visible().filter(page__issue=imported).exists()


def test_unpublish_asks_then_withdraws(client, sample_issue, roles):
    client.force_login(roles["chief"])
    page = action(client, "unpublish", sample_issue).content.decode()
    sample_issue.refresh_from_db()
    assert sample_issue.is_public and "确认撤回发布" in page
    action(client, "unpublish", sample_issue, confirm="yes")
    sample_issue.refresh_from_db()
    assert sample_issue.status == Issue.Status.RETRACTED and not sample_issue.is_public


def test_status_is_read_only_in_the_change_form(client, imported, roles):
    client.force_login(roles["chief"])
    form = client.get(f"/admin/issues/issue/{imported.pk}/change/").context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields


def test_the_flag_rule_lives_in_the_workflow_function(imported, roles):
    with pytest.raises(TransitionRefused, match="未审标记"):
        do_publish_issue(imported, roles["chief"])
    with pytest.raises(TransitionRefused, match="理由"):
        do_publish_issue(imported, roles["chief"], override=True)
    do_publish_issue(imported, roles["chief"], override=True, reason="版面已人工核对")
    assert imported.is_public


def test_issue_change_page_lists_pages_inline(client, sample_issue, roles):
    client.force_login(roles["editor"])
    page = client.get(f"/admin/issues/issue/{sample_issue.pk}/change/").content.decode()
    assert "版面" in page and "要闻" in page or "第1版" in page


# --- the state machine itself ---------------------------------------------------------------


def latest_comment(issue: Issue) -> str:
    return Version.objects.get_for_object(issue).first().revision.get_comment()


def test_scheduled_is_published_with_a_time_ahead(imported, roles):
    assert imported.state == Issue.State.IMPORTED
    do_publish_issue(
        imported, roles["chief"], at=timezone.now() + dt.timedelta(hours=2), override=True, reason="排版已核"
    )
    assert imported.status == Issue.Status.PUBLISHED and imported.state == Issue.State.SCHEDULED
    assert imported.state.label == "定时发布" and not imported.is_public
    assert latest_comment(imported).startswith("定时发布：")
    do_publish_issue(imported, roles["chief"], override=True, reason="提前发布")
    assert imported.state == Issue.State.PUBLISHED and imported.is_public


def test_every_move_outside_the_table_is_refused_with_a_chinese_reason(imported, roles):
    chief = roles["chief"]
    with pytest.raises(TransitionRefused, match="已导入的期次不能撤回（此时可以：送审、定时发布、发布）"):
        do_retract_issue(imported, chief)
    do_send_to_review(imported, roles["editor"])
    with pytest.raises(TransitionRefused, match="审校中的期次不能送审"):
        do_send_to_review(imported, roles["editor"])
    do_publish_issue(imported, chief, override=True, reason="已核")
    with pytest.raises(TransitionRefused, match="已发布的期次不能送审（此时可以：撤回）"):
        do_send_to_review(imported, chief)
    with pytest.raises(TransitionRefused, match="已发布的期次不能发布"):
        do_publish_issue(imported, chief, override=True, reason="再发一次")
    do_retract_issue(imported, chief, reason="版面有误")
    assert imported.state == Issue.State.RETRACTED and imported.state.label == "已撤回"
    assert latest_comment(imported) == "撤回发布；理由：版面有误"
    do_send_to_review(imported, roles["editor"])
    assert imported.state == Issue.State.IN_REVIEW


def test_every_entry_of_the_table_checks_its_permission(imported, roles):
    """Each move refuses a user without the table's permission, whatever path calls it."""
    for (source, target), permission in TRANSITIONS.items():
        assert permission in {CHANGE, PUBLISH}, (source, target)
    with pytest.raises(TransitionRefused, match="你没有送审的权限"):
        do_send_to_review(imported, roles["staff"])
    with pytest.raises(TransitionRefused, match="你没有发布的权限"):
        do_publish_issue(imported, roles["editor"], override=True, reason="想发")
    do_publish_issue(imported, roles["chief"], override=True, reason="已核")
    with pytest.raises(TransitionRefused, match="你没有撤回的权限"):
        do_retract_issue(imported, roles["editor"])
    imported.refresh_from_db()
    assert imported.state == Issue.State.PUBLISHED


def test_a_move_without_a_user_must_name_its_actor(imported):
    with pytest.raises(ValueError, match="actor"):
        do_send_to_review(imported, None)
    do_send_to_review(imported, None, actor="定时任务")
    assert latest_comment(imported) == "送审；执行者：定时任务"


def test_the_move_reads_the_state_from_the_database_not_the_callers_copy(imported, roles):
    stale = Issue.objects.get(pk=imported.pk)
    do_publish_issue(imported, roles["chief"], override=True, reason="已核")
    with pytest.raises(TransitionRefused, match="已发布的期次不能送审"):
        do_send_to_review(stale, roles["editor"])


def test_the_override_names_who_and_why(imported, roles):
    do_publish_issue(imported, roles["chief"], override=True, reason="  读者急需  ")
    version = Version.objects.get_for_object(imported).first()
    assert version.revision.user == roles["chief"]
    flagged = Article.objects.filter(page__issue=imported).flagged().count()
    assert version.revision.get_comment() == f"发布（忽略 {flagged} 篇未审标记）；理由：读者急需"


def test_one_revision_per_issue_when_an_action_moves_several(client, imported, roles, workers_daily):
    other = Issue.objects.create(publication=workers_daily, date=dt.date(2022, 3, 26), weekday=6)
    client.force_login(roles["editor"])
    client.post(CHANGELIST, {"action": "mark_in_review", "_selected_action": [imported.pk, other.pk]})
    for issue in (imported, other):
        version = Version.objects.get_for_object(issue).first()
        assert version.revision.version_set.count() == 1 and version.revision.get_comment() == "送审"


def test_the_changelist_shows_the_derived_state(client, imported, roles):
    publish(imported, at=timezone.now() + dt.timedelta(days=1))
    client.force_login(roles["chief"])
    assert "定时发布" in client.get(CHANGELIST).content.decode()


def test_the_admin_override_needs_a_reason(client, imported, roles):
    client.force_login(roles["chief"])
    page = action(client, "publish", imported, confirm="yes", override="on").content.decode()
    imported.refresh_from_db()
    assert imported.state == Issue.State.IMPORTED and "须写明理由" in page
    action(client, "publish", imported, confirm="yes", override="on", reason="已与编辑核对")
    imported.refresh_from_db()
    assert imported.is_public and latest_comment(imported).endswith("理由：已与编辑核对")


def _buttons(client, issue: Issue) -> list[str]:
    page = client.get(f"/admin/issues/issue/{issue.pk}/change/").content.decode()
    return re.findall(r'<form method="post" class="workflow-action"[^>]*>.*?name="action" value="(\w+)"', page)


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("editor", "imported", ["mark_in_review"]),
        ("chief", "imported", ["mark_in_review", "publish"]),
        ("editor", "published", []),
        ("chief", "published", ["unpublish"]),
        ("staff", "imported", []),
    ],
)
def test_the_issue_page_offers_the_moves_its_viewer_may_make(client, imported, roles, role, state, expected):
    if state == "published":
        publish(imported)
    client.force_login(roles[role])
    assert _buttons(client, imported) == expected


def test_the_issue_pages_send_to_review_button_moves_it(client, imported, roles):
    client.force_login(roles["editor"])
    page = client.get(f"/admin/issues/issue/{imported.pk}/change/").content.decode()
    assert ">送审</button>" in page and "发布 / 定时发布" not in page
    response = action(client, "mark_in_review", imported, index="0")  # what the button posts
    imported.refresh_from_db()
    assert imported.status == Issue.Status.IN_REVIEW
    assert f"{imported} 已送审。" in response.content.decode()
    assert _buttons(client, imported) == []  # nothing more an editor may do with it
