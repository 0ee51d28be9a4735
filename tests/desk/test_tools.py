"""The editors' tools on the real sample: structure changes, flags, history and revert."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from reversion.models import Version

from articles.flags import Flag
from articles.models import Article, Photo
from desk import tools as editing
from tests.conftest import retract

pytestmark = pytest.mark.django_db


def items(issue) -> list[Article]:
    return list(Article.objects.filter(page__issue=issue).order_by("page__number", "position"))


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", password="x")  # noqa: S106


def test_split_then_merge_back_restores_the_item(sample_issue, editor):
    story = items(sample_issue)[1]
    body, count = list(story.body), len(items(sample_issue))
    new = editing.do_split_article(story, 3, user=editor)
    after = items(sample_issue)
    assert (
        len(after) == count + 1 and after[2].pk == new.pk and [a.position for a in after] == list(range(1, count + 2))
    )
    assert new.body == body[3:] and Article.objects.get(pk=story.pk).body == body[:3]
    assert new.has_flag(Flag.MISSING_HEADLINE) and new.edited
    survivor = editing.do_merge_articles(new, "previous", user=editor)
    assert survivor.pk == story.pk and survivor.body == body
    assert [a.position for a in items(sample_issue)] == list(range(1, count + 1))


def test_merging_a_headless_item_into_the_previous_one_clears_its_flag(sample_issue, editor):
    headless = next(a for a in items(sample_issue) if a.has_flag(Flag.MISSING_HEADLINE))
    previous = editing.do_merge_articles(headless, "previous", user=editor)
    assert previous.headline and not previous.has_flag(Flag.MISSING_HEADLINE)
    assert {c.person.name for c in previous.credits.all()} >= {"邹倜然", "祝琳"}
    with pytest.raises(editing.EditError):
        editing.do_merge_articles(items(sample_issue)[0], "previous", user=editor)


def test_title_tools(sample_issue, editor):
    story = Article.objects.get(page__issue=sample_issue, kicker__startswith="首批12家")
    old_kicker, old_headline = story.kicker, story.headline
    editing.do_swap_titles(story, "kicker", "headline", user=editor)
    story.refresh_from_db()
    assert (story.kicker, story.headline) == (old_headline, old_kicker)
    assert not story.has_flag(Flag.UNCERTAIN_TITLE_SPLIT)
    editing.do_demote_title(story, "kicker", user=editor)
    story.refresh_from_db()
    assert story.kicker == "" and story.body[0]["text"] == old_headline
    editing.do_promote_block(story, 0, "subheadline", user=editor)
    story.refresh_from_db()
    assert story.subheadline == old_headline and story.body[0]["text"] != old_headline


def test_promoting_a_headline_clears_missing_headline(sample_issue, editor):
    headless = next(a for a in items(sample_issue) if a.has_flag(Flag.MISSING_HEADLINE))
    editing.do_promote_block(headless, 0, "headline", user=editor)
    headless.refresh_from_db()
    assert headless.headline and not headless.has_flag(Flag.MISSING_HEADLINE)


def test_subhead_toggle_kind_change_and_block_move(sample_issue, editor):
    first, second = items(sample_issue)[1:3]
    editing.do_toggle_subhead(first, 1, user=editor)
    first.refresh_from_db()
    assert first.body[1]["kind"] == "subhead"
    moved = second.body[0]["text"]
    editing.do_move_block(second, 0, first, user=editor)
    first.refresh_from_db()
    assert first.body[-1]["text"] == moved
    editing.do_set_kind(first, "photo", user=editor)
    first.refresh_from_db()
    assert first.kind == "photo" and first.body == [] and moved in first.photos.get().caption
    editing.do_set_kind(first, "article", user=editor)
    first.refresh_from_db()
    assert first.kind == "article" and first.body and not Photo.objects.filter(article=first).exists()


def test_reorder_and_move_between_pages(sample_issue, editor):
    page = sample_issue.pages.get()
    order = [a.pk for a in items(sample_issue)]
    editing.do_reorder(page, list(reversed(order)), user=editor)
    assert [a.pk for a in items(sample_issue)] == list(reversed(order))
    with pytest.raises(editing.EditError):
        editing.do_reorder(page, order[:-1], user=editor)
    second_page = sample_issue.pages.create(number=2, name="要闻")
    article = items(sample_issue)[0]
    editing.do_move_to_page(article, second_page, user=editor)
    assert Article.objects.get(pk=article.pk).page == second_page
    assert [a.position for a in page.articles.order_by("position")] == list(range(1, len(order)))


def test_link_and_unlink_continuation(sample_issue, editor):
    first, second = items(sample_issue)[:2]
    editing.do_link_continuation(second, first, user=editor)
    second.refresh_from_db()
    assert second.continues == first
    editing.do_link_continuation(second, None, user=editor)
    second.refresh_from_db()
    assert second.continues is None


def test_every_tool_is_recorded_and_revertible(sample_issue, editor):
    story = items(sample_issue)[1]
    original = story.headline
    editing.do_swap_titles(story, "kicker", "headline", user=editor)
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 2  # as imported, then the swap
    assert versions[1].revision.get_comment() == editing.BASELINE_COMMENT
    revision = versions.first().revision
    assert revision.user == editor and "交换标题" in revision.get_comment()
    editing.do_demote_title(story, "headline", user=editor)
    Version.objects.get_for_object(story)[1].revision.revert()
    story.refresh_from_db()
    assert story.kicker == original


def flag_rows(article: Article) -> list[tuple]:
    return sorted(article.flag_set.values_list("pk", "code", "note", "reviewed_at"))


def snapshot(issue) -> list[tuple]:
    return [
        (a.pk, a.page_id, a.position, a.kind, a.kicker, a.headline, a.subheadline, a.body, flag_rows(a))
        for a in items(issue)
    ]


def test_restoring_the_baseline_undoes_split_merge_reorder_and_kind_changes(sample_issue, editor):
    page = sample_issue.pages.get()
    before = snapshot(sample_issue)
    photos = sorted(Photo.objects.filter(article__page=page).values_list("pk", "article_id", "caption"))
    first, story, third = items(sample_issue)[:3]
    new = editing.do_split_article(story, 2, user=editor)
    editing.do_merge_articles(third, "previous", user=editor)  # third joins the split-off part
    editing.do_reorder(page, list(reversed([a.pk for a in items(sample_issue)])), user=editor)
    editing.do_set_kind(first, "photo", user=editor)
    photo_item = next(a for a in items(sample_issue) if a.kind == "photo" and a.photos.exists())
    editing.do_merge_articles(photo_item, "next" if photo_item.position == 1 else "previous", user=editor)
    assert snapshot(sample_issue) != before

    revisions = list(editing.page_revisions(page))
    assert revisions[-1].get_comment() == editing.BASELINE_COMMENT and len(revisions) == 6
    editing.do_restore_revision(revisions[-1], user=editor)

    assert snapshot(sample_issue) == before
    assert not Article.objects.filter(pk=new.pk).exists()
    restored = sorted(Photo.objects.filter(article__page=page).values_list("pk", "article_id", "caption"))
    assert restored == photos
    # the restore is itself an entry, so it can be undone in turn
    latest = editing.page_revisions(page).first()
    assert latest.user == editor and latest.get_comment().startswith("恢复到")
    editing.do_restore_revision(editing.page_revisions(page)[2], user=editor)
    assert [a.kind for a in items(sample_issue)].count("photo") >= 1


def test_restoring_a_move_to_another_page_puts_both_pages_back(sample_issue, editor):
    page = sample_issue.pages.get()
    second = sample_issue.pages.create(number=2, name="要闻")
    before = snapshot(sample_issue)
    editing.do_move_to_page(items(sample_issue)[2], second, user=editor)
    assert second.articles.count() == 1
    editing.do_restore_revision(editing.page_revisions(page).last(), user=editor)
    assert snapshot(sample_issue) == before and second.articles.count() == 0


def test_mark_reviewed_clears_flags_in_one_revision(sample_issue, editor):
    flagged = list(Article.objects.filter(page__issue=sample_issue).flagged())
    assert flagged
    assert editing.do_mark_reviewed(flagged, user=editor) == len(flagged)
    assert not Article.objects.filter(page__issue=sample_issue).flagged().exists()
    assert all(a.edited for a in Article.objects.filter(pk__in=[a.pk for a in flagged]))
    assert editing.page_revisions(sample_issue.pages.get()).first().get_comment().startswith("标为已审")


def test_corrections_are_for_published_items_and_dated(sample_issue, editor):
    from django.utils import timezone

    story = items(sample_issue)[1]
    editing.do_add_correction(story, "本文第二段“三级”应为“四级”。", user=editor)
    story.refresh_from_db()
    assert story.correction.startswith("本文") and story.corrected_at == timezone.localdate() and story.edited
    retract(sample_issue)
    story.refresh_from_db()
    with pytest.raises(editing.EditError, match="更正只用于已发布的稿件"):
        editing.do_add_correction(story, "x", user=editor)


def test_unlinking_a_continuation_clears_both_page_references(sample_issue, editor):
    second_page = sample_issue.pages.create(number=2, name="要闻")
    first = items(sample_issue)[1]
    part = Article.objects.create(page=second_page, position=1, body=[{"kind": "text", "text": "接上文。"}])
    editing.do_link_continuation(part, first, user=editor)
    first.refresh_from_db()
    part.refresh_from_db()
    assert (first.continued_to_page, part.continued_from_page, part.continues) == (2, 1, first)
    editing.do_link_continuation(part, None, user=editor)
    first.refresh_from_db()
    part.refresh_from_db()
    assert (first.continued_to_page, part.continued_from_page, part.continues) == (None, None, None)
    with pytest.raises(editing.EditError):
        editing.do_link_continuation(part, None, user=editor)


def test_a_failing_tool_changes_nothing(sample_issue, editor):
    before, versions = snapshot(sample_issue), Version.objects.count()
    with pytest.raises(editing.EditError):
        editing.do_split_article(items(sample_issue)[1], 0, user=editor)
    with pytest.raises(editing.EditError):
        editing.do_swap_titles(items(sample_issue)[1], "kicker", "kicker", user=editor)
    assert snapshot(sample_issue) == before
    assert Version.objects.count() == versions


def test_edited_items_block_a_silent_reimport(sample_issue, sample_bytes, editor):
    from issues.importing import ImportRefused, do_import_issue

    editing.do_swap_titles(items(sample_issue)[1], "kicker", "headline", user=editor)
    changed = sample_bytes.replace("三级服务体系".encode(), "三级服务网络".encode())
    with pytest.raises(ImportRefused, match="编辑改过"):
        do_import_issue(changed, source_name="changed.txt", replace=True)
