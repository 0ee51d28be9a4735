"""Flags as rows: what the importer writes, the indexed queries, review state, undo, migration."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from articles import search
from articles.flags import Flag, flag_explanation, flag_label
from articles.models import Article, ArticleFlag, joined_notes
from desk import tools as editing
from issues.importing import do_import_issue, parse_bytes
from issues.models import Issue
from tests.conftest import SAMPLE, import_published, write_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_user("editor")


def test_the_import_writes_one_row_per_flag_with_the_importers_evidence(sample_issue, sample_bytes):
    parse = parse_bytes(sample_bytes)
    expected = {
        (page.number, position, code, joined_notes(*(note.chinese() for note in dict(item.notes).get(code, ()))))
        for page in parse.pages
        for position, item in enumerate(page.items, start=1)
        for code in item.flags
    }
    stored = set(
        ArticleFlag.objects.filter(article__page__issue=sample_issue).values_list(
            "article__page__number", "article__position", "code", "note"
        )
    )
    assert stored == expected and len(expected) > 5
    assert not ArticleFlag.objects.exclude(reviewed_at=None).exists()


def test_an_import_writes_its_flags_in_one_query_however_many_items(workers_daily, tmp_path):
    folder = write_archive(tmp_path, 1, "--start", "2022-03-26", "--serial", "21055", "--items", "12")
    for path in [SAMPLE, *folder.glob("*.txt")]:
        with CaptureQueriesContext(connection) as captured:
            issue = do_import_issue(path.read_bytes(), source_name=path.name).issue
        flag_queries = [q["sql"] for q in captured if "articles_articleflag" in q["sql"]]
        assert len(flag_queries) == 1 and flag_queries[0].startswith("INSERT")
        assert ArticleFlag.objects.filter(article__page__issue=issue).count() > 5


def test_with_flag_and_flagged_select_by_code_and_review_state(sample_issue, editor):
    items = Article.objects.filter(page__issue=sample_issue)
    headless = items.with_flag(Flag.MISSING_HEADLINE)
    assert [a.headline for a in headless] == [""]
    quotes = set(items.with_flag(Flag.UNBALANCED_QUOTES))
    assert quotes and all(a.has_flag(Flag.UNBALANCED_QUOTES) for a in quotes)
    assert all(not a.has_flag(Flag.UNBALANCED_QUOTES) for a in set(items) - quotes)

    flagged = list(items.flagged())
    assert len(flagged) == len({row.article_id for row in ArticleFlag.objects.all()})
    one = quotes.pop()
    assert one.mark_reviewed(editor, Flag.UNBALANCED_QUOTES) == 1
    assert one not in items.with_flag(Flag.UNBALANCED_QUOTES)
    assert one in items.with_flag(Flag.UNBALANCED_QUOTES, reviewed=True)
    row = one.flag_set.get(code=Flag.UNBALANCED_QUOTES)
    assert row.reviewed_by == editor and row.reviewed_at is not None
    # raised again (a desk check finds it once more), the flag reopens with both findings
    one.add_flag(Flag.UNBALANCED_QUOTES, "编辑改稿后又出现")
    row.refresh_from_db()
    assert row.reviewed_at is None and row.reviewed_by is None and row.note.endswith("；编辑改稿后又出现")
    assert one.flag_set.filter(code=Flag.UNBALANCED_QUOTES).count() == 1


def test_reviewing_every_flag_clears_the_item_from_flagged(sample_issue, editor):
    item = Article.objects.filter(page__issue=sample_issue).flagged().first()
    item.mark_reviewed(editor)
    assert item not in Article.objects.flagged() and item.flag_set.exists() and not item.open_flags


def test_an_unknown_code_is_refused_and_suggestions_are_kept(sample_issue):
    item = Article.objects.filter(page__issue=sample_issue).first()
    with pytest.raises(ValueError):
        item.add_flag("no_such_flag")
    fix = {"field": "headline", "index": 0, "original": "人学", "replacement": "入学", "evidence": "issue"}
    item.add_flag(Flag.POSSIBLE_OCR_ERROR, "正文作“入学”", [fix])
    item.add_flag(Flag.POSSIBLE_OCR_ERROR, "正文作“入学”", [fix])
    row = item.flag_set.get(code=Flag.POSSIBLE_OCR_ERROR)
    assert row.suggestions == [fix] and row.note == "正文作“入学”"
    assert row.label == "疑似识别错字" and row.explanation == Flag.POSSIBLE_OCR_ERROR.explanation
    assert item.clear_flags(Flag.POSSIBLE_OCR_ERROR) == 1 and not item.has_flag(Flag.POSSIBLE_OCR_ERROR)


def test_labels_for_known_and_unknown_codes():
    assert flag_label(Flag.MISSING_HEADLINE) == "缺主题" and "主题" in flag_explanation(Flag.MISSING_HEADLINE)
    assert flag_label("retired_code") == "retired_code" and flag_explanation("retired_code") == ""


def test_flagged_count_annotates_each_issue_in_one_query(sample_issue, django_assert_num_queries):
    with django_assert_num_queries(1):
        counted = {
            i.pk: i.flagged for i in Issue.objects.annotate(flagged=Article.objects.flagged_count("page__issue"))
        }
    assert counted == {sample_issue.pk: Article.objects.filter(page__issue=sample_issue).flagged().count()}
    per_code = ArticleFlag.objects.unreviewed().counts_by_code()
    expected = dict(ArticleFlag.objects.values_list("code").annotate(n=Count("pk")).order_by())
    assert per_code == expected and per_code[Flag.MISSING_HEADLINE] == 1


def _plan(queryset) -> str:
    """The query plan, with sequential scans made unattractive on PostgreSQL: on a table of a
    few rows it would scan anyway, and the question is whether the index serves the query."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_items_with_a_flag_is_an_indexed_query(sample_issue):
    for queryset in (Article.objects.with_flag(Flag.MISSING_HEADLINE), Article.objects.flagged()):
        sql = str(queryset.query)
        assert "LIKE" not in sql.upper(), sql
        assert "flag_unreviewed" in _plan(queryset), _plan(queryset)


def test_undo_brings_flags_back_with_the_item(sample_issue, editor):
    page = sample_issue.pages.get()
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    before = sorted(ArticleFlag.objects.filter(article__page=page).values_list("pk", "article_id", "code", "note"))
    editing.do_mark_reviewed([headless], user=editor)
    editing.do_merge_articles(headless, "previous", user=editor)
    assert not Article.objects.filter(pk=headless.pk).exists()
    story = Article.objects.filter(page=page).exclude(headline="").last()
    editing.do_demote_title(story, "headline", user=editor)
    assert story.has_flag(Flag.MISSING_HEADLINE)
    editing.do_restore_revision(editing.page_revisions(page).last(), user=editor)
    after = ArticleFlag.objects.filter(article__page=page)
    assert sorted(after.values_list("pk", "article_id", "code", "note")) == before
    assert not after.exclude(reviewed_at=None).exists()


def test_restoring_a_revision_from_before_flag_rows_raises_its_flags_again(sample_issue, editor):
    page = sample_issue.pages.get()
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    editing.do_mark_reviewed([headless], user=editor)
    baseline = editing.page_revisions(page).last()
    # As recorded before the migration: JSON columns on the items, no flag rows.
    for version in baseline.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model is ArticleFlag:
            version.delete()
        elif model is Article:
            data = json.loads(version.serialized_data)
            mine = int(version.object_id) == headless.pk
            data[0]["fields"]["flags"] = [Flag.MISSING_HEADLINE, "retired_code"] if mine else []
            data[0]["fields"]["flag_notes"] = {Flag.MISSING_HEADLINE: "旧记录"} if mine else {}
            version.serialized_data = json.dumps(data)
            version.save()
    editing.do_restore_revision(baseline, user=editor)
    rows = ArticleFlag.objects.filter(article__page=page)
    assert list(rows.values_list("article_id", "code", "note", "reviewed_at")) == [
        (headless.pk, Flag.MISSING_HEADLINE, "旧记录", None)
    ]


def test_a_merge_keeps_both_items_flags_on_the_survivor(sample_issue, editor):
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    previous = Article.objects.get(page=headless.page, position=headless.position - 1)
    codes = {r.code for r in headless.flag_set.all()} | {r.code for r in previous.flag_set.all()}
    survivor = editing.do_merge_articles(headless, "previous", user=editor)
    assert survivor.pk == previous.pk
    assert {r.code for r in survivor.flag_set.all()} == codes - {Flag.MISSING_HEADLINE}
    shared = survivor.flag_set.get(code=Flag.POSSIBLE_LOST_TEXT)  # both parts carried it
    assert shared.note.count("一块文字在句中断开") >= 3


def search_triggers() -> int:
    """The triggers that keep articles_article's full-text index (0003_search_index)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'"
            )
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'articles_article_search_vector'")
        return cursor.fetchone()[0]


def _migrate(target: tuple[str, str]):
    """Migrate articles to ``target``; the models as they are then (other apps at their newest)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "articles"]
    return executor.loader.project_state([target, *others]).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_json_flags_into_rows_and_back(workers_daily):
    before, after = ("articles", "0004_ordering_by_column"), ("articles", "0005_article_flag_rows")
    old = _migrate(before)
    issue = old.get_model("issues", "Issue").objects.create(
        publication_id=workers_daily.pk, date="2022-01-07", weekday=5
    )
    page = old.get_model("issues", "Page").objects.create(issue=issue, number=1)
    Item = old.get_model("articles", "Article")
    Item.objects.create(
        page=page,
        position=1,
        flags=[Flag.MISSING_HEADLINE, Flag.UNBALANCED_QUOTES, Flag.MISSING_HEADLINE],
        flag_notes={Flag.MISSING_HEADLINE: "没有标题行"},
    )
    Item.objects.create(page=page, position=2, flags=[], flag_notes={})

    new = _migrate(after)
    rows = new.get_model("articles", "ArticleFlag").objects.order_by("code")
    assert list(rows.values_list("article__position", "code", "note", "reviewed_at")) == [
        (1, Flag.MISSING_HEADLINE, "没有标题行", None),
        (1, Flag.UNBALANCED_QUOTES, "", None),
    ]
    rows.filter(code=Flag.UNBALANCED_QUOTES).update(reviewed_at="2022-03-25T12:00:00Z")

    back = _migrate(before)
    assert search_triggers() >= 1, "going back keeps the full-text index in step"
    restored = back.get_model("articles", "Article").objects.order_by("position")
    assert [(a.flags, a.flag_notes) for a in restored] == [
        ([Flag.MISSING_HEADLINE], {Flag.MISSING_HEADLINE: "没有标题行"}),
        ([], {}),
    ]
    call_command("migrate", verbosity=0)
    # The full-text index still follows new items (SQLite rebuilds the table going back).
    import_published(SAMPLE.read_bytes(), SAMPLE.name)
    assert search.search(search.Query("心理服务")).total >= 1 and search_triggers() >= 1
