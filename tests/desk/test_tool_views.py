"""Every desk tool through real admin POSTs on the imported sample: confirmation first,
permissions per role, the page history and restoring from it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from articles.flags import Flag
from articles.models import Article
from tests.conftest import make_user, retract

pytestmark = pytest.mark.django_db

TOOLS = [
    "merge-previous",
    "merge-next",
    "split",
    "move-block",
    "promote",
    "demote",
    "swap",
    "subhead",
    "kind",
    "link",
    "move-page",
    "reorder",
    "correction",
    "reviewed",
]


@pytest.fixture
def editor(db) -> User:
    return make_user("editor", "Editors")


def items(issue) -> list[Article]:
    return list(Article.objects.filter(page__issue=issue).order_by("page__number", "position"))


def tool_url(article: Article, tool: str) -> str:
    return f"/admin/articles/article/{article.pk}/tool/{tool}/"


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("staff", 403), ("viewer", 403)])
def test_no_tool_runs_without_change_permission(client, sample_issue, tool, role, expected):
    article = items(sample_issue)[1]
    before = [(a.pk, a.position, a.headline, a.body) for a in items(sample_issue)]
    if role == "staff":
        client.force_login(make_user("plainstaff"))
    elif role == "viewer":
        viewer = make_user("viewer")
        viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
        client.force_login(viewer)
    response = client.post(tool_url(article, tool), {"block": 1, "role": "headline", "role_b": "kicker"})
    assert response.status_code == expected
    assert [(a.pk, a.position, a.headline, a.body) for a in items(sample_issue)] == before


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_shows_a_form_first_and_changes_nothing_on_get(client, sample_issue, editor, tool):
    # Clearing every flag at once is the chief editor's (tests/desk/test_flag_checklist.py).
    client.force_login(make_user("chief", "Chief editors") if tool == "reviewed" else editor)
    before = [(a.pk, a.position, a.headline, a.body) for a in items(sample_issue)]
    response = client.get(tool_url(items(sample_issue)[1], tool))
    assert response.status_code == 200 and "确认" in response.content.decode()
    assert [(a.pk, a.position, a.headline, a.body) for a in items(sample_issue)] == before


def test_title_tools_through_the_admin(client, sample_issue, editor):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(editor)
    story = Article.objects.get(page__issue=sample_issue, kicker__startswith="首批12家")
    kicker, headline = story.kicker, story.headline
    assert client.post(tool_url(story, "swap"), {"role": "kicker", "role_b": "headline"}).status_code == 302
    story.refresh_from_db()
    assert (story.kicker, story.headline, story.edited) == (headline, kicker, True)
    client.post(tool_url(story, "demote"), {"role": "kicker"})
    story.refresh_from_db()
    assert story.kicker == "" and story.body[0]["text"] == headline
    client.post(tool_url(story, "promote"), {"block": 0, "role": "kicker"})
    story.refresh_from_db()
    assert story.kicker == headline
    client.post(tool_url(story, "subhead"), {"block": 1})
    story.refresh_from_db()
    assert story.body[1]["kind"] == "subhead"


def test_missing_headline_is_fixed_by_promoting_a_block(client, sample_issue, editor):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(editor)
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    first_block = headless.body[0]["text"]
    client.post(tool_url(headless, "promote"), {"block": 0, "role": "headline"})
    headless.refresh_from_db()
    assert headless.headline == first_block and not headless.has_flag(Flag.MISSING_HEADLINE)


def test_block_move_kind_change_link_reorder_and_page_move(client, sample_issue, editor):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(editor)
    first, second, third = items(sample_issue)[:3]
    moved = third.body[0]["text"]
    client.post(tool_url(third, "move-block"), {"block": 0, "target": second.pk})
    second.refresh_from_db()
    assert second.body[-1]["text"] == moved

    client.post(tool_url(second, "kind"), {"kind": "photo"})
    second.refresh_from_db()
    assert second.kind == "photo" and second.body == []
    client.post(tool_url(second, "kind"), {"kind": "article"})
    second.refresh_from_db()
    assert second.kind == "article" and second.body

    client.post(tool_url(third, "link"), {"earlier": first.pk})
    third.refresh_from_db()
    assert third.continues == first
    client.post(tool_url(third, "link"), {"earlier": ""})
    third.refresh_from_db()
    assert third.continues is None

    count = len(items(sample_issue))
    positions = {f"pos_{a.pk}": count - a.position + 1 for a in items(sample_issue)}
    order = [a.pk for a in items(sample_issue)]
    assert client.post(tool_url(first, "reorder"), positions).status_code == 302
    assert [a.pk for a in items(sample_issue)] == list(reversed(order))

    other = sample_issue.pages.create(number=2, name="要闻")
    client.post(tool_url(first, "move-page"), {"page": other.pk})
    first.refresh_from_db()
    assert first.page == other and first.position == 1
    assert [a.position for a in sample_issue.pages.get(number=1).articles.order_by("position")] == list(range(1, count))


def test_invalid_tool_input_is_refused_without_changes(client, sample_issue, editor):
    client.force_login(editor)
    story = items(sample_issue)[1]
    response = client.post(tool_url(story, "split"), {"block": 999})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    retract(sample_issue)
    response = client.post(tool_url(story, "correction"), {"text": "x"}, follow=True)
    assert "更正只用于已发布的稿件" in response.content.decode()


def test_correction_on_a_published_item(client, sample_issue):
    client.force_login(make_user("chief", "Chief editors"))  # an Editor's waits: tests/desk/test_revisions.py
    story = items(sample_issue)[1]
    client.post(tool_url(story, "correction"), {"text": "本文标题中“减压”应为“解压”。"})
    story.refresh_from_db()
    assert story.correction.startswith("本文") and story.corrected_at is not None
    page = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "更正（" in page


def test_change_page_shows_reader_view_raw_text_flags_siblings_and_history(client, sample_issue, editor):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(editor)
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    page = client.get(f"/admin/articles/article/{headless.pk}/change/").content.decode()
    assert "读者看到的样子" in page and "原始提取文本" in page and "缺主题" in page
    assert "本版尚未改动" in page
    for sibling in items(sample_issue):
        assert str(sibling) in page or sibling.pk == headless.pk
    client.post(tool_url(headless, "promote"), {"block": 0, "role": "headline"})
    page = client.get(f"/admin/articles/article/{headless.pk}/change/").content.decode()
    assert "段落升为主题" in page and "改稿前原样" in page and "恢复整版到此步之后" in page and "撤销此操作" in page


def test_split_then_restore_from_the_page_history(client, sample_issue, editor):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    from desk.tools import page_revisions

    client.force_login(editor)
    before = [(a.pk, a.position, a.body) for a in items(sample_issue)]
    story = items(sample_issue)[1]
    client.post(tool_url(story, "split"), {"block": 2})
    assert len(items(sample_issue)) == len(before) + 1
    baseline = page_revisions(sample_issue.pages.get()).last()
    url = f"/admin/articles/article/{story.pk}/restore/{baseline.pk}/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "拆分稿件" in confirm.content.decode()
    assert len(items(sample_issue)) == len(before) + 1, "GET only asks"
    assert client.post(url).status_code == 302
    assert [(a.pk, a.position, a.body) for a in items(sample_issue)] == before


def test_restore_needs_change_permission(client, sample_issue, editor):
    from desk import tools as editing

    story = items(sample_issue)[1]
    editing.do_swap_titles(story, "kicker", "headline", user=editor)
    baseline = editing.page_revisions(story.page).last()
    client.force_login(make_user("plainstaff"))
    assert client.post(f"/admin/articles/article/{story.pk}/restore/{baseline.pk}/").status_code == 403
    story.refresh_from_db()
    assert story.edited


def test_review_queue_filters_and_mark_reviewed_action(client, sample_issue, editor):
    client.force_login(editor)
    chief = make_user("chief", "Chief editors")
    flagged = list(Article.objects.filter(page__issue=sample_issue).flagged())
    queue = client.get("/admin/articles/article/review/").content.decode()
    assert f"待审队列（共 {len(flagged)} 篇）" in queue and "第1版" in queue
    listing = client.get(f"/admin/articles/article/?flag=any&page__issue__id__exact={sample_issue.pk}")
    assert listing.status_code == 200 and listing.context["cl"].result_count == len(flagged)
    by_page = client.get(f"/admin/articles/article/?flag=any&page__id__exact={sample_issue.pages.get().pk}")
    assert by_page.status_code == 200 and by_page.context["cl"].result_count == len(flagged)
    one = client.get(f"/admin/articles/article/?flag={Flag.MISSING_HEADLINE}")
    assert one.context["cl"].result_count == 1
    client.force_login(chief)  # clearing every flag at once is the chief editor's
    client.post(
        "/admin/articles/article/",
        {"action": "mark_reviewed", "_selected_action": [a.pk for a in flagged]},
    )
    assert not Article.objects.filter(page__issue=sample_issue).flagged().exists()


def test_mark_reviewed_action_is_not_offered_to_viewers(client, sample_issue):
    viewer = make_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    flagged = list(Article.objects.filter(page__issue=sample_issue).flagged())
    client.post("/admin/articles/article/", {"action": "mark_reviewed", "_selected_action": [a.pk for a in flagged]})
    assert Article.objects.filter(page__issue=sample_issue).flagged().count() == len(flagged)
