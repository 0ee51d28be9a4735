"""An issue's workflow through the admin: send to review, publish now or later, the flag rule
and the chief editor's override, unpublish; each confirmed on a second page and recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleFlag
from desk.workflow import PublishRefused, do_publish_issue
from issues.models import Issue
from tests.conftest import make_user

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
    action(client, "publish", imported, confirm="yes", override="on")
    imported.refresh_from_db()
    assert imported.status == Issue.Status.PUBLISHED and imported.is_public
    assert Issue.objects.published().filter(pk=imported.pk).exists()
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
    action(client, "publish", imported, confirm="yes", override="on", at=later.strftime("%Y-%m-%dT%H:%M"))
    imported.refresh_from_db()
    assert imported.status == Issue.Status.PUBLISHED and imported.published_at > timezone.now()
    assert not imported.is_public and not Issue.objects.published().exists()
    assert not Article.objects.published().filter(page__issue=imported).exists()


def test_unpublish_asks_then_withdraws(client, sample_issue, roles):
    client.force_login(roles["chief"])
    page = action(client, "unpublish", sample_issue).content.decode()
    sample_issue.refresh_from_db()
    assert sample_issue.is_public and "确认撤回发布" in page
    action(client, "unpublish", sample_issue, confirm="yes")
    sample_issue.refresh_from_db()
    assert sample_issue.status == Issue.Status.UNPUBLISHED and not sample_issue.is_public


def test_status_is_read_only_in_the_change_form(client, imported, roles):
    client.force_login(roles["chief"])
    form = client.get(f"/admin/issues/issue/{imported.pk}/change/").context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields


def test_the_flag_rule_lives_in_the_workflow_function(imported):
    with pytest.raises(PublishRefused):
        do_publish_issue(imported)
    do_publish_issue(imported, override=True)
    assert imported.is_public


def test_issue_change_page_lists_pages_inline(client, sample_issue, roles):
    client.force_login(roles["editor"])
    page = client.get(f"/admin/issues/issue/{sample_issue.pk}/change/").content.decode()
    assert "版面" in page and "要闻" in page or "第1版" in page
