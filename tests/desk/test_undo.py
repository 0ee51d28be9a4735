"""Undo one operation and restore one item to a version, leaving other people's work alone;
the one history list per page and per item. On the real sample, through the tools and the
admin's URLs, with every role."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleFlag, Credit, Photo
from desk import changes, undo
from desk import tools as editing
from issues.importing import do_import_issue
from issues.models import Issue, Page
from tests.conftest import SAMPLE, make_user, publish, retract
from tests.desk.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db) -> User:
    return make_user("alice", "Editors")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob", "Editors")


def items(issue: Issue) -> list[Article]:
    return list(Article.objects.filter(page__issue=issue).order_by("page__number", "position"))


def state(issue: Issue) -> list[tuple]:
    """Everything an undo may touch on the issue's pages, comparable."""
    articles = [
        (a.pk, a.page_id, a.position, a.kicker, a.headline, a.subheadline, a.byline, a.body, a.continues_id)
        for a in items(issue)
    ]
    photos = sorted(Photo.objects.filter(article__page__issue=issue).values_list("pk", "article_id", "caption"))
    credits = sorted(Credit.objects.filter(article__page__issue=issue).values_list("pk", "article_id", "person_id"))
    flags = sorted(
        ArticleFlag.objects.filter(article__page__issue=issue).values_list("pk", "article_id", "code", "note")
    )
    return [articles, photos, credits, flags]


def latest(page: Page):
    return editing.page_revisions(page).first()


def titled(issue: Issue) -> Article:
    return Article.objects.get(page__issue=issue, kicker__startswith="首批12家")


def other_than(issue: Issue, *taken: Article) -> Article:
    return next(a for a in items(issue)[1:] if a.kind == "article" and a.pk not in {t.pk for t in taken})


# --- undo one operation ---------------------------------------------------------------------


def test_undoing_one_editors_change_leaves_the_other_editors_change_intact(sample_issue, alice, bob):
    kicked = titled(sample_issue)
    mine = other_than(sample_issue, kicked)
    before_mine = (mine.body, mine.edited)
    editing.do_toggle_subhead(mine, 1, user=alice)
    alices = latest(kicked.page)
    editing.do_swap_titles(kicked, "kicker", "headline", user=bob)
    bobs_state = Article.objects.get(pk=kicked.pk)
    positions = [(a.pk, a.position) for a in items(sample_issue)]

    undo.do_undo_operation(alices, user=bob)

    mine.refresh_from_db()
    assert (mine.body, mine.edited) == before_mine
    kicked.refresh_from_db()
    assert (kicked.kicker, kicked.headline, kicked.body) == (bobs_state.kicker, bobs_state.headline, bobs_state.body)
    assert [(a.pk, a.position) for a in items(sample_issue)] == positions
    entry = latest(kicked.page)
    assert entry.comment == f"撤销：{alices.comment}" and entry.user == bob
    # the undo is an operation in turn: undoing it brings alice's change back, bob's stays
    undo.do_undo_operation(entry, user=alice)
    mine.refresh_from_db()
    kicked.refresh_from_db()
    assert mine.body[1]["kind"] == "subhead" and kicked.headline == bobs_state.headline


def test_undo_of_a_merge_restores_both_items_and_keeps_a_later_change(sample_issue, alice, bob):
    first = items(sample_issue)[1]
    second = items(sample_issue)[2]
    before = state(sample_issue)
    editing.do_merge_articles(second, "previous", user=alice)
    merge = latest(first.page)
    merged_body = Article.objects.get(pk=first.pk).body
    elsewhere = next(a for a in items(sample_issue) if a.pk not in {first.pk, second.pk} and len(a.body) > 1)
    editing.do_toggle_subhead(elsewhere, 0, user=bob)
    bobs_body = Article.objects.get(pk=elsewhere.pk).body

    undo.do_undo_operation(merge, user=alice)

    after = state(sample_issue)
    restored = {row[0]: row for row in after[0]}
    assert restored[elsewhere.pk][7] == bobs_body
    before_without_bob = [row for row in before[0] if row[0] != elsewhere.pk]
    assert [row for row in after[0] if row[0] != elsewhere.pk] == before_without_bob
    assert after[1:] == before[1:], "photos, credits and flags back on their items"
    undo.do_undo_operation(latest(first.page), user=bob)  # undo the undo: merged again
    assert not Article.objects.filter(pk=second.pk).exists()
    assert Article.objects.get(pk=first.pk).body == merged_body


def test_undo_of_a_split_deletes_the_split_off_part_and_restores_the_text(sample_issue, alice):
    story = next(a for a in items(sample_issue) if len(a.body) > 3)
    before = state(sample_issue)
    part = editing.do_split_article(story, 2, user=alice)
    split = state(sample_issue)

    op = undo.do_undo_operation(latest(story.page), user=alice)

    assert not Article.objects.filter(pk=part.pk).exists()
    assert state(sample_issue) == before
    assert part.pk in op.items and story.pk in op.items
    undo.do_undo_operation(latest(story.page), user=alice)  # undo the undo: split again
    assert state(sample_issue) == split
    undo.do_undo_operation(latest(story.page), user=alice)  # and once more: joined again
    assert state(sample_issue) == before != split


def test_undo_of_a_move_to_another_page_puts_the_item_back_in_its_place(sample_issue, alice, bob):
    page = sample_issue.pages.get()
    other = Page.objects.create(issue=sample_issue, number=2, name="要闻")
    Article.objects.create(page=other, position=1, headline="第二版头条")
    story = items(sample_issue)[2]
    before = state(sample_issue)
    editing.do_move_to_page(story, other, user=alice)
    move = latest(page)
    editing.do_toggle_subhead(items(sample_issue)[1], 0, user=bob)

    undo.do_undo_operation(move, user=alice)

    story.refresh_from_db()
    assert (story.page_id, story.position) == (page.pk, 3)
    assert [row[:3] for row in state(sample_issue)[0]] == [row[:3] for row in before[0]]


def test_undo_is_refused_when_a_later_operation_touched_the_same_item(sample_issue, alice, bob):
    kicked = titled(sample_issue)
    editing.do_swap_titles(kicked, "kicker", "headline", user=alice)
    alices = latest(kicked.page)
    editing.do_demote_title(kicked, "subheadline" if kicked.subheadline else "kicker", user=bob)
    bobs = latest(kicked.page)
    before = state(sample_issue)

    with pytest.raises(editing.EditError) as refused:
        undo.do_undo_operation(alices, user=alice)

    message = str(refused.value)
    assert "bob" in message and changes.when(bobs) in message and bobs.comment in message
    assert "不能撤销" in message and str(Article.objects.get(pk=kicked.pk)) in message
    assert state(sample_issue) == before
    # once bob's step is undone, alice's may be
    undo.do_undo_operation(bobs, user=bob)
    undo.do_undo_operation(alices, user=alice)
    assert not re.search(r"[A-Za-z]{4}", message.replace("bob", ""))


def test_undoing_twice_says_it_was_undone(sample_issue, alice, bob):
    story = items(sample_issue)[1]
    editing.do_toggle_subhead(story, 0, user=alice)
    op = latest(story.page)
    undo.do_undo_operation(op, user=bob)
    with pytest.raises(editing.EditError, match="已被撤销"):
        undo.do_undo_operation(op, user=bob)


def test_the_baseline_and_an_empty_step_are_not_undone(sample_issue, alice):
    story = items(sample_issue)[1]
    editing.do_toggle_subhead(story, 0, user=alice)
    baseline = editing.page_revisions(story.page).last()
    with pytest.raises(editing.EditError, match="改稿前原样"):
        undo.do_undo_operation(baseline, user=alice)


def test_undo_never_changes_the_issues_state(workers_daily, alice):
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    story = items(issue)[1]
    editing.do_swap_titles(story, "kicker", "headline", user=alice)
    op = latest(story.page)
    publish(issue)
    issue.refresh_from_db()
    status, published_at = issue.status, issue.published_at

    undo.do_undo_operation(op, user=alice)

    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (status, published_at) == (Issue.Status.PUBLISHED, published_at)
    assert set(Article.objects.filter(page__issue=issue).values_list("issue_published_at", flat=True)) == {
        issue.items_published_at
    }
    assert Issue.objects.visible().filter(pk=issue.pk).exists()


# --- restore one item to a version ------------------------------------------------------------


def test_restoring_one_item_leaves_the_others_and_its_place(sample_issue, alice, bob):
    story = titled(sample_issue)
    editing.do_swap_titles(story, "kicker", "headline", user=alice)
    version = latest(story.page)
    swapped = Article.objects.get(pk=story.pk)
    editing.do_demote_title(story, "kicker", user=alice)
    neighbour = other_than(sample_issue, story)
    editing.do_toggle_subhead(neighbour, 0, user=bob)
    neighbour_body = Article.objects.get(pk=neighbour.pk).body
    story = Article.objects.get(pk=story.pk)
    position = story.position

    undo.do_restore_item(story, version, user=alice)

    story.refresh_from_db()
    assert (story.kicker, story.headline, story.body) == (swapped.kicker, swapped.headline, swapped.body)
    assert story.position == position
    assert Article.objects.get(pk=neighbour.pk).body == neighbour_body
    assert latest(story.page).comment.startswith("恢复此稿到")


def test_restoring_an_item_is_refused_when_its_photo_now_belongs_to_another(sample_issue, alice):
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    owner = photo.article
    editing.do_toggle_subhead(other_than(sample_issue, owner), 0, user=alice)
    version = latest(owner.page)
    thief = other_than(sample_issue, owner)
    Photo.objects.filter(pk=photo.pk).update(article=thief)
    with pytest.raises(editing.EditError, match="现在属于稿件"):
        undo.do_restore_item(owner, version, user=alice)
    assert Photo.objects.get(pk=photo.pk).article_id == thief.pk


# --- the history list -------------------------------------------------------------------------


def test_history_lists_entries_newest_first_to_the_second_naming_the_items(client, sample_issue, alice, bob):
    first, second = items(sample_issue)[1:3]
    editing.do_toggle_subhead(first, 0, user=alice)
    editing.do_merge_articles(second, "previous", user=bob)
    page = first.page
    client.force_login(alice)

    html = client.get(reverse("admin:issues_page_history", args=[page.pk])).content.decode()

    times = re.findall(r'<td class="when">([^<]+)</td>', html)
    revisions = list(editing.page_revisions(page))
    assert times == [f"{timezone.localtime(r.date_created):%Y-%m-%d %H:%M:%S}" for r in revisions]
    assert times == sorted(times, reverse=True) and len(times) == 3
    rows = html.split('<td class="when">')[1:]
    assert "合并稿件" in rows[0] and "bob" in rows[0] and f"{second}（已删除）" in rows[0]
    assert str(Article.objects.get(pk=first.pk)) in rows[0]
    assert "切换小标题" in rows[1] and "alice" in rows[1] and "撤销此操作" in rows[1]
    assert "改稿前原样" in rows[2] and "恢复整版到此步之后" in rows[2]
    item_html = client.get(reverse("admin:articles_article_history", args=[first.pk])).content.decode()
    assert item_html.count('<td class="when">') == 3 and "恢复此稿到此版本" in item_html
    third = items(sample_issue)[3]
    other_html = client.get(reverse("admin:articles_article_history", args=[third.pk])).content.decode()
    assert "合并稿件" not in other_html and "切换小标题" not in other_html


def test_the_messages_after_a_tool_link_to_the_history(client, sample_issue, alice):
    retract(sample_issue)  # an Editor's tools work only where readers do not see the issue
    story = items(sample_issue)[1]
    client.force_login(alice)
    url = reverse("admin:articles_article_tool", args=[story.pk, "subhead"])
    page = client.post(url, {"block": 0}, follow=True).content.decode()
    assert reverse("admin:issues_page_history", args=[story.page_id]) in page


# --- the URLs, per role ----------------------------------------------------------------------

ROLES = {"anonymous": None, "staff": None, "editor": "Editors", "chief": "Chief editors"}


def login(client, role: str) -> None:
    if role != "anonymous":
        client.force_login(make_user(role, ROLES[role]))


def action_urls(story: Article, revision) -> dict[str, str]:
    return {
        "undo": reverse("admin:issues_page_undo", args=[story.page_id, revision.pk]),
        "restore_item": reverse("admin:articles_article_restore_item", args=[story.pk, revision.pk]),
        "restore_page": reverse("admin:issues_page_restore", args=[story.page_id, revision.pk]),
    }


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", ["undo", "restore_item", "restore_page"])
def test_every_role_on_the_undo_and_restore_urls(client, sample_issue, alice, role, action):
    story = items(sample_issue)[1]
    body = story.body
    editing.do_toggle_subhead(story, 0, user=alice)
    revision = latest(story.page) if action == "undo" else editing.page_revisions(story.page).last()
    url = action_urls(story, revision)[action]
    login(client, role)
    before = state(sample_issue)

    shown, posted = client.get(url), client.post(url)
    assert state(sample_issue) == before, "neither GET nor an unconfirmed POST acts"
    done = client.post(url, {"confirm": "yes"})

    if role == "anonymous":
        assert all(r.status_code == 302 and "/login/" in r.url for r in (shown, posted, done))
    elif role == "staff":
        assert {shown.status_code, posted.status_code, done.status_code} == {403}
    else:
        assert shown.status_code == posted.status_code == 200 and "确认" in shown.content.decode()
        assert done.status_code == 302
    story.refresh_from_db()
    assert (story.body == body) == (role in {"editor", "chief"})


def test_a_revision_of_another_page_or_item_is_not_found(client, sample_issue, alice):
    story = items(sample_issue)[1]
    other = Page.objects.create(issue=sample_issue, number=2)
    stranger = Article.objects.create(
        page=other, position=1, headline="别版稿件", body=[{"kind": "text", "text": "甲"}]
    )
    editing.do_toggle_subhead(stranger, 0, user=alice)
    foreign = latest(other)
    client.force_login(make_user("chief", "Chief editors"))
    for url in action_urls(story, foreign).values():
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert Article.objects.get(pk=stranger.pk).body[0]["kind"] == "subhead"
    missing = reverse("admin:issues_page_undo", args=[99999, foreign.pk])
    assert client.post(missing, {"confirm": "yes"}).status_code == 404


def test_the_confirmation_names_the_conflict_and_offers_no_button(client, sample_issue, alice, bob):
    kicked = titled(sample_issue)
    editing.do_swap_titles(kicked, "kicker", "headline", user=alice)
    alices = latest(kicked.page)
    editing.do_demote_title(kicked, "kicker", user=bob)
    client.force_login(alice)
    url = reverse("admin:issues_page_undo", args=[kicked.page_id, alices.pk])
    page = client.get(url).content.decode()
    assert "不能撤销" in page and "bob" in page and 'name="confirm"' not in page
    followed = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "不能撤销" in followed


def test_undo_of_a_reorder_puts_back_the_moved_item_and_keeps_a_later_move(sample_issue, alice, bob):
    page = sample_issue.pages.get()
    order = [a.pk for a in items(sample_issue)]
    editing.do_reorder(page, [order[-1], *order[:-1]], user=alice)
    reorder = latest(page)
    editing.do_toggle_subhead(Article.objects.get(pk=order[1]), 0, user=bob)

    undo.do_undo_operation(reorder, user=bob)

    assert [a.pk for a in items(sample_issue)] == order
    assert Article.objects.get(pk=order[1]).body[0]["kind"] == "subhead"


def test_undo_of_a_reorder_is_refused_after_a_later_reorder_moved_the_same_item(sample_issue, alice, bob):
    page = sample_issue.pages.get()
    order = [a.pk for a in items(sample_issue)]
    editing.do_reorder(page, [order[-1], *order[:-1]], user=alice)
    reorder = latest(page)
    editing.do_reorder(page, [*order[:-1], order[-1]], user=bob)
    with pytest.raises(editing.EditError, match="bob"):
        undo.do_undo_operation(reorder, user=alice)


def test_the_history_costs_the_same_queries_however_long_it_is(
    client, sample_issue, alice, django_assert_max_num_queries
):
    story = items(sample_issue)[1]
    url = reverse("admin:issues_page_history", args=[story.page_id])
    client.force_login(alice)
    editing.do_toggle_subhead(story, 0, user=alice)
    client.get(url)
    with django_assert_max_num_queries(30) as short:
        client.get(url)
    for _ in range(6):
        editing.do_toggle_subhead(story, 0, user=alice)
    with django_assert_max_num_queries(len(short.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('<td class="when">') == 8


def test_an_item_deleted_in_the_admin_is_recorded_and_its_deletion_undone(client, sample_issue, alice):
    story = items(sample_issue)[2]
    before = state(sample_issue)
    client.force_login(make_user("chief", "Chief editors"))
    assert client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}).status_code == 302
    deletion = latest(story.page)
    assert deletion.comment == f"删除稿件：{story}" and not Article.objects.filter(pk=story.pk).exists()
    editing.do_toggle_subhead(items(sample_issue)[1], 0, user=alice)
    toggled = latest(story.page)

    undo.do_undo_operation(toggled, user=alice)
    assert not Article.objects.filter(pk=story.pk).exists(), "an earlier deletion is not undone with a later step"
    undo.do_undo_operation(deletion, user=alice)
    assert state(sample_issue) == before


def test_every_entry_names_its_items_in_its_comment_too(client, sample_issue, alice):
    retract(sample_issue)  # an Editor's save goes live only where readers do not see it
    story = items(sample_issue)[1]
    editing.do_mark_reviewed([story, *items(sample_issue)], user=alice)
    assert str(story) in latest(story.page).comment
    client.force_login(alice)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = admin_form_data(client.get(url))
    assert client.post(url, {**data, "headline": "编辑改过的主题"}).status_code == 302
    comment = latest(story.page).get_comment()
    assert comment.endswith("：编辑改过的主题") and "主题" in comment
