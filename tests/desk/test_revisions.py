"""Pending revisions: an Editor's change to an item readers see waits for a Chief editor.

Readers (anonymous HTTP, through the page cache and the stored edition) keep seeing the
published text until the revision is published; publishing goes through the desk's one
recorded edit, so every cache follows. Every new URL answers every role as it should.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleRevision
from desk import revisions
from desk import tools as editing
from issues.importing import do_import_issue
from issues.models import EditionPage
from reader import edition
from tests.conftest import SAMPLE, make_user
from tests.desk.admin_forms import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "store_on")]

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def store_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_PAGE_STORE = True


@pytest.fixture
def editor(db) -> User:
    return make_user("editor", "Editors")


@pytest.fixture
def chief(db) -> User:
    return make_user("chief", "Chief editors")


@pytest.fixture
def story(sample_issue) -> Article:
    return Article.objects.select_related("page__issue").get(
        page__issue=sample_issue, headline__startswith="三级服务体系"
    )


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def save_form(client: Client, article: Article, **changes) -> object:
    """Load the item's change form as ``client`` sees it and post it back with ``changes``."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def reader_sees(article: Article) -> str:
    """The item's page and its page's page as an anonymous reader gets them (cache, edition)."""
    reader = Client()
    item = reader.get(article.get_absolute_url())
    page = reader.get(article.page.get_absolute_url())
    assert item.status_code == page.status_code == 200
    return item.content.decode() + page.content.decode()


def test_an_editors_change_waits_and_readers_keep_the_published_text(story, editor):
    old = story.headline
    edition.render_issues([story.page.issue_id])
    assert old in reader_sees(story)  # now cached, and stored in the edition
    response = save_form(login(editor), story, headline="编辑改过的主题")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == old and not story.edited
    pending = ArticleRevision.objects.get(article=story)
    assert pending.state == ArticleRevision.State.PENDING and pending.headline == "编辑改过的主题"
    assert pending.author.username == "editor" and pending.body == story.body
    seen = reader_sees(story)
    assert old in seen and "编辑改过的主题" not in seen
    stored = EditionPage.objects.get(path=story.get_absolute_url(), variant="hans")
    assert old in stored.html and edition.lookup(stored.path, "hans") is not None, "the stored page is still true"


def test_the_editor_sees_the_pending_revision_and_keeps_editing_it(story, editor):
    client = login(editor)
    save_form(client, story, headline="第一稿")
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "这篇稿件有一份待发布修改" in page and 'value="第一稿"' in page
    save_form(client, story, subheadline="新副题")
    pending = ArticleRevision.objects.get(article=story)
    assert (pending.headline, pending.subheadline) == ("第一稿", "新副题")
    assert ArticleRevision.objects.filter(article=story).count() == 1
    save_form(client, story, headline=story.headline, subheadline=story.subheadline)
    pending.refresh_from_db()
    assert pending.state == ArticleRevision.State.DISCARDED, "back to the published text: nothing to publish"


def test_the_chief_publishes_and_every_reader_sees_the_new_text(story, editor, chief):
    old = story.headline
    edition.render_issues([story.page.issue_id])
    reader_sees(story)
    save_form(login(editor), story, headline="编辑改过的主题")
    pending = ArticleRevision.objects.get(article=story)
    client = login(chief)
    response = client.post(reverse("admin:articles_articlerevision_publish", args=[pending.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "编辑改过的主题" and story.edited
    seen = reader_sees(story)
    assert "编辑改过的主题" in seen and old not in seen
    pending.refresh_from_db()
    assert pending.state == ArticleRevision.State.PUBLISHED and pending.decided_by.username == "chief"
    latest = editing.page_revisions(story.page).first()
    assert latest.comment.startswith(f"发布修改稿：{old} → 编辑改过的主题") and latest.user.username == "chief"
    again = client.post(reverse("admin:articles_articlerevision_publish", args=[pending.pk]), follow=True)
    assert "这份修改稿已发布，不能再处理" in again.content.decode()


def test_discarding_leaves_the_item_as_readers_see_it(story, editor, chief):
    save_form(login(editor), story, headline="不要了")
    pending = ArticleRevision.objects.get(article=story)
    login(chief).post(reverse("admin:articles_articlerevision_discard", args=[pending.pk]))
    pending.refresh_from_db()
    story.refresh_from_db()
    assert pending.state == ArticleRevision.State.DISCARDED and story.headline != "不要了"
    assert "不要了" not in reader_sees(story)


def test_an_editor_discards_their_own_revision_only(story, editor):
    save_form(login(editor), story, headline="我的修改")
    pending = ArticleRevision.objects.get(article=story)
    other = login(make_user("other", "Editors"))
    assert other.post(reverse("admin:articles_articlerevision_discard", args=[pending.pk])).status_code == 403
    assert login(editor).post(reverse("admin:articles_articlerevision_discard", args=[pending.pk])).status_code == 302
    pending.refresh_from_db()
    assert pending.state == ArticleRevision.State.DISCARDED


def test_chief_editors_saves_go_live(story, chief):
    assert save_form(login(chief), story, headline="主编直接改").status_code == 302
    story.refresh_from_db()
    assert story.headline == "主编直接改" and not ArticleRevision.objects.exists()
    assert "主编直接改" in reader_sees(story)


def test_on_an_issue_readers_cannot_see_editors_saves_go_live(db, editor):
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    article = Article.objects.filter(page__issue=issue, kind=Article.Kind.ARTICLE).first()
    assert save_form(login(editor), article, headline="未发布时直接改").status_code == 302
    article.refresh_from_db()
    assert article.headline == "未发布时直接改" and not ArticleRevision.objects.exists()


def test_an_editors_correction_note_waits_too(story, editor, chief):
    url = reverse("admin:articles_article_tool", args=[story.pk, "correction"])
    response = login(editor).post(url, {"text": "第二段人名有误"}, follow=True)
    assert "已存为待发布修改" in response.content.decode()
    story.refresh_from_db()
    assert story.correction == "" and story.corrected_at is None
    pending = ArticleRevision.objects.get(article=story)
    assert pending.correction == "第二段人名有误"
    save_form(login(editor), story, headline="同一份修改稿")
    pending.refresh_from_db()
    assert (pending.correction, pending.headline) == ("第二段人名有误", "同一份修改稿"), "the form kept the note"
    revisions.do_publish_revision(pending, chief)
    story.refresh_from_db()
    assert story.correction == "第二段人名有误" and story.corrected_at is not None
    assert "第二段人名有误" in reader_sees(story)


@pytest.mark.parametrize(
    "tool", ["merge-previous", "merge-next", "split", "promote", "demote", "swap", "subhead", "kind", "reorder"]
)
def test_structural_tools_on_a_published_item_are_the_chiefs(story, editor, tool):
    before = list(Article.objects.filter(page=story.page).values_list("pk", "position", "headline", "kicker", "body"))
    data = {"block": 1, "role": "headline", "role_b": "kicker", "kind": "photo"}
    data.update({f"pos_{a.pk}": 10 - a.position for a in Article.objects.filter(page=story.page)})
    response = login(editor).post(reverse("admin:articles_article_tool", args=[story.pk, tool]), data)
    assert "只有主编可以做" in response.content.decode()
    after = list(Article.objects.filter(page=story.page).values_list("pk", "position", "headline", "kicker", "body"))
    assert after == before


def test_restores_and_suggestions_on_a_published_item_are_the_chiefs(story, editor, chief):
    editing.do_swap_titles(story, "kicker", "headline", user=chief)
    revision = editing.page_revisions(story.page).last()
    client = login(editor)
    page = client.post(reverse("admin:articles_article_restore", args=[story.pk, revision.pk]), follow=True)
    assert "只有主编可以做" in page.content.decode()
    story.refresh_from_db()
    assert story.kicker.startswith("三级服务体系")
    response = login(chief).post(
        reverse("admin:articles_article_tool", args=[story.pk, "swap"]), {"role": "kicker", "role_b": "headline"}
    )
    assert response.status_code == 302


def test_the_diff_escapes_hostile_text_and_marks_each_paragraph(story, editor):
    body = [dict(p) for p in story.body]
    body[1]["text"] = body[1]["text"][:5] + HOSTILE
    revisions.do_propose(story, {"headline": HOSTILE, "body": body}, editor)
    pending = ArticleRevision.objects.get(article=story)
    page = login(editor).get(reverse("admin:articles_articlerevision_change", args=[pending.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page and "<ins>" in page and "<del>" in page
    diffs = {d.label: d for d in revisions.field_diffs(pending, story)}
    assert diffs["主题"].changed and not diffs["引题"].changed
    rows = diffs["正文"].rows
    assert [row.changed for row in rows] == [i == 1 for i in range(len(story.body))]
    assert rows[1].live.startswith(story.body[1]["text"][:5]) and "<ins>&lt;script&gt;" in rows[1].proposed


def test_the_review_queue_lists_pending_revisions_with_links(story, editor):
    save_form(login(editor), story, headline="待发布的主题")
    pending = ArticleRevision.objects.get(article=story)
    page = login(editor).get(reverse("admin:articles_article_review")).content.decode()
    assert "待发布修改（1）" in page
    assert reverse("admin:articles_articlerevision_change", args=[pending.pk]) in page
    listing = login(editor).get(reverse("admin:articles_articlerevision_changelist")).content.decode()
    assert str(story) in listing


ROLES = ("anonymous", "staff", "editor", "chief", "superuser")


def user_for(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser("root", password="pw-root")  # noqa: S106
    return make_user(role, {"staff": None, "editor": "Editors", "chief": "Chief editors"}[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_revision_url_answers_each_role(story, role):
    author = make_user("author", "Editors")
    revisions.do_propose(story, {"headline": "角色测试"}, author)
    pending = ArticleRevision.objects.get(article=story)
    client = login(user_for(role))
    diff = reverse("admin:articles_articlerevision_change", args=[pending.pk])
    listing = reverse("admin:articles_articlerevision_changelist")
    publish = reverse("admin:articles_articlerevision_publish", args=[pending.pk])
    discard = reverse("admin:articles_articlerevision_discard", args=[pending.pk])
    foreign = [
        reverse("admin:articles_articlerevision_change", args=[999999]),
        reverse("admin:articles_articlerevision_publish", args=[999999]),
        reverse("admin:articles_articlerevision_discard", args=[999999]),
    ]
    got = {
        "diff": client.get(diff).status_code,
        "list": client.get(listing).status_code,
        "get publish": client.get(publish).status_code,
        "get discard": client.get(discard).status_code,
        "foreign": {client.post(url).status_code for url in foreign},
        "add": client.get(reverse("admin:articles_articlerevision_add")).status_code,
        "discard": client.post(discard).status_code,
        "publish": client.post(publish).status_code,
    }
    pending.refresh_from_db()
    story.refresh_from_db()
    want = {
        "anonymous": dict.fromkeys(got, 302) | {"foreign": {302}},
        "staff": {
            "diff": 403,
            "list": 403,
            "get publish": 405,
            "get discard": 405,
            "foreign": {403},
            "add": 403,
            "discard": 403,
            "publish": 403,
        },
        "editor": {
            "diff": 200,
            "list": 200,
            "get publish": 405,
            "get discard": 405,
            "foreign": {404},
            "add": 403,
            "discard": 403,
            "publish": 403,
        },
        "chief": {
            "diff": 200,
            "list": 200,
            "get publish": 405,
            "get discard": 405,
            "foreign": {404},
            "add": 403,
            "discard": 302,
            "publish": 302,
        },
        "superuser": {
            "diff": 200,
            "list": 200,
            "get publish": 405,
            "get discard": 405,
            "foreign": {404},
            "add": 403,
            "discard": 302,
            "publish": 302,
        },
    }[role]
    assert got == want
    if role in {"chief", "superuser"}:
        assert pending.state == ArticleRevision.State.DISCARDED and story.headline != "角色测试"
    else:
        assert pending.state == ArticleRevision.State.PENDING and story.headline != "角色测试"


def test_an_editor_cannot_revert_a_published_item_from_its_history(story, editor, chief):
    editing.do_swap_titles(story, "kicker", "headline", user=chief)
    version = Version.objects.get_for_object(story).last()
    client = login(editor)
    url = reverse("admin:articles_article_revision", args=[story.pk, version.pk])
    response = client.post(url, admin_form_data(client.get(url)), follow=True)
    assert "只有主编可以做" in response.content.decode()
    story.refresh_from_db()
    assert story.kicker.startswith("三级服务体系"), "still as the chief swapped it"


def test_an_editors_photo_and_credit_changes_on_a_published_item_do_not_go_live(sample_issue, editor):
    article = Article.objects.filter(page__issue=sample_issue).exclude(photos=None).first()
    captions = list(article.photos.values_list("caption", flat=True))
    credits = article.credits.count()
    client = login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    data.update({key: "改过的图片说明" for key in data if key.endswith("-caption")})
    data.update(
        {
            key.replace("-id", "-DELETE"): "on"
            for key in list(data)
            if key.startswith("credits-") and key.endswith("-id")
        }
    )
    client.post(url, data)
    assert list(article.photos.values_list("caption", flat=True)) == captions
    assert article.credits.count() == credits
