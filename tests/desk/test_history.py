"""History restores content, never state: the admin's revert and recover views and the
desk's page restore, with the rows they write back checked in the database."""

from __future__ import annotations

import datetime as dt

import pytest
import reversion
from django.contrib.auth.models import User
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Person
from desk import tools as editing
from desk.workflow import do_retract_issue
from issues.models import Issue, Publication
from tests.conftest import make_user, publish, retract
from tests.desk.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db) -> User:
    return make_user("editor", "Editors")


@pytest.fixture
def chief(db) -> User:
    return make_user("chief", "Chief editors")


def published_version(issue: Issue) -> Version:
    """The newest version of ``issue`` that recorded it published."""
    versions = Version.objects.get_for_object(issue).order_by("-pk")
    return next(v for v in versions if v.field_dict["status"] == Issue.Status.PUBLISHED)


def revert(client, model: str, object_id, version: Version):
    url = reverse(f"admin:{model}_revision", args=[object_id, version.pk])
    preview = client.get(url)
    assert preview.status_code == 200 and "状态和发布时间保持现状" in preview.content.decode()
    return client.post(url, admin_form_data(preview))


def assert_items_in_step(issue: Issue) -> None:
    """Items carry their issue's date and, while it is published, its publication time."""
    issue.refresh_from_db()
    expected = issue.published_at if issue.status == Issue.Status.PUBLISHED else None
    items = Article.objects.filter(page__issue=issue)
    assert items.exists()
    assert set(items.values_list("issue_date", "issue_published_at")) == {(issue.date, expected)}


def test_the_form_helper_posts_a_valid_form_for_every_desk_model(client, sample_issue, chief):
    client.force_login(chief)
    article = Article.objects.filter(page__issue=sample_issue).first()
    for model, obj in (
        ("issues_issue", sample_issue),
        ("issues_page", sample_issue.pages.first()),
        ("articles_article", article),
        ("articles_photo", article.page.articles.exclude(photos=None).first().photos.first()),
        ("articles_person", Person.objects.first()),
    ):
        url = reverse(f"admin:{model}_change", args=[obj.pk])
        assert client.post(url, admin_form_data(client.get(url))).status_code == 302, model


def test_an_editor_reverting_to_a_published_version_leaves_the_issue_retracted(client, sample_issue, editor):
    old = published_version(sample_issue)
    do_retract_issue(sample_issue, make_user("boss", "Chief editors"))
    retracted_at = Issue.objects.get().published_at
    client.force_login(editor)

    assert revert(client, "issues_issue", sample_issue.pk, old).status_code == 302

    sample_issue.refresh_from_db()
    assert (sample_issue.status, sample_issue.published_at) == (Issue.Status.RETRACTED, retracted_at)
    assert not Issue.objects.visible().exists()
    assert_items_in_step(sample_issue)
    assert client.logout() is None and client.get(sample_issue.get_absolute_url()).status_code == 404


def test_a_chief_editors_revert_restores_content_but_not_status(client, sample_issue, chief):
    client.force_login(chief)
    url = reverse("admin:issues_issue_change", args=[sample_issue.pk])
    data = admin_form_data(client.get(url))
    old = published_version(sample_issue)
    moved = sample_issue.date + dt.timedelta(days=3)
    assert client.post(url, {**data, "lunar_date": "改过的农历", "date": moved.isoformat()}).status_code == 302
    assert_items_in_step(sample_issue)
    assert sample_issue.date == moved
    do_retract_issue(sample_issue, chief, reason="排版错误")

    assert revert(client, "issues_issue", sample_issue.pk, old).status_code == 302

    sample_issue.refresh_from_db()
    assert sample_issue.lunar_date == old.field_dict["lunar_date"] != "改过的农历"
    assert sample_issue.date == old.field_dict["date"]
    assert sample_issue.status == Issue.Status.RETRACTED
    assert_items_in_step(sample_issue)  # the reverted date reached the items too
    latest = Version.objects.get_for_object(sample_issue).first()
    assert latest.revision.user == chief and latest.field_dict["status"] == Issue.Status.RETRACTED


def test_reverting_an_item_of_a_retracted_issue_keeps_it_out_of_search(client, sample_issue, editor):
    article = Article.objects.filter(page__issue=sample_issue, kind="article").order_by("position")[1]
    editing.do_mark_reviewed([article], user=editor)
    version = Version.objects.get_for_object(article).first()
    assert version.field_dict["issue_published_at"] is not None
    do_retract_issue(sample_issue, make_user("boss", "Chief editors"))
    client.force_login(editor)

    assert revert(client, "articles_article", article.pk, version).status_code == 302

    assert_items_in_step(sample_issue)
    assert not Article.objects.visible().exists()


def test_the_desks_page_restore_never_restores_the_issues_state(client, sample_issue, editor):
    page = sample_issue.pages.first()
    with reversion.create_revision():
        reversion.add_to_revision(sample_issue)  # an issue saved with its pages, published then
        editing.snapshot_page(page)
    revision = editing.page_revisions(page).first()
    do_retract_issue(sample_issue, make_user("boss", "Chief editors"))
    article = page.articles.order_by("position").first()
    client.force_login(editor)

    url = reverse("admin:articles_article_restore", args=[article.pk, revision.pk])
    assert client.post(url).status_code == 302

    sample_issue.refresh_from_db()
    assert sample_issue.status == Issue.Status.RETRACTED
    assert_items_in_step(sample_issue)


@pytest.mark.parametrize("model", ["articles_person", "issues_page", "articles_article", "articles_photo"])
def test_revert_views_refuse_versions_of_other_models(client, sample_issue, chief, model):
    old = published_version(sample_issue)
    do_retract_issue(sample_issue, chief)
    client.force_login(chief)
    url = reverse(f"admin:{model}_revision", args=[sample_issue.pk, old.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "_save": "1"}).status_code == 404
    recover = reverse(f"admin:{model}_recover", args=[old.pk])
    assert client.post(recover, {"name": "x", "_save": "1"}).status_code == 404
    assert Issue.objects.get().status == Issue.Status.RETRACTED


def test_revert_views_refuse_a_version_of_another_object(client, sample_issue, chief):
    person, other = Person.objects.order_by("pk")[:2]
    with reversion.create_revision():
        person.save()
    version = Version.objects.get_for_object(person).first()
    client.force_login(chief)
    url = reverse("admin:articles_person_revision", args=[other.pk, version.pk])
    assert client.get(url).status_code == 404


def test_recovering_needs_the_delete_permission(client, editor, chief, workers_daily):
    with reversion.create_revision():
        person = Person.objects.create(name="被删的人")
    person.delete()
    version = Version.objects.get_deleted(Person).get()
    url = reverse("admin:articles_person_recover", args=[version.pk])
    client.force_login(editor)  # may add and change people, not delete them
    assert client.get(reverse("admin:articles_person_recoverlist")).status_code == 403
    assert client.post(url, {"name": "被删的人", "_save": "1"}).status_code == 403
    assert not Person.objects.filter(name="被删的人").exists()
    client.force_login(chief)
    assert client.get(reverse("admin:articles_person_recoverlist")).status_code == 200
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    assert Person.objects.filter(name="被删的人").exists()


def test_a_recovered_issue_starts_again_as_imported(client, chief, workers_daily):
    issue = Issue.objects.create(publication=workers_daily, date=dt.date(2000, 1, 3), weekday=1)
    publish(issue)
    assert Version.objects.get_for_object(issue).first().field_dict["status"] == Issue.Status.PUBLISHED
    issue.delete()
    version = Version.objects.get_deleted(Issue).get()
    client.force_login(chief)
    url = reverse("admin:issues_issue_recover", args=[version.pk])
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    recovered = Issue.objects.get(date=dt.date(2000, 1, 3))
    assert (recovered.status, recovered.published_at) == (Issue.Status.IMPORTED, None)
    assert Publication.objects.count() >= 1


def test_a_revert_that_would_delete_rows_needs_their_delete_permission(client, sample_issue, editor, chief):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    article = Article.objects.filter(page__issue=sample_issue).exclude(photos=None).first()
    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(article).first()
    added = article.photos.create(position=5, caption="后来加的图")
    client.force_login(editor)  # may add photos, not delete them
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    data = admin_form_data(client.get(url))
    assert client.post(url, data).status_code == 403
    assert article.photos.filter(pk=added.pk).exists()
    client.force_login(chief)
    assert client.post(url, data).status_code == 302
    assert not article.photos.filter(pk=added.pk).exists()
