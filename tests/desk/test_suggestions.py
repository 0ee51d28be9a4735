"""The importer's suggested spellings (OCR flags) as one-click fixes at the desk: applied
through a real admin POST, recorded in history, refused to those who may not edit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.flags import Flag
from articles.models import Article, ArticleFlag
from tests.conftest import make_user, retract

pytestmark = pytest.mark.django_db


def ocr_flag(issue, field: str) -> ArticleFlag:
    rows = ArticleFlag.objects.filter(article__page__issue=issue, code=Flag.POSSIBLE_OCR_ERROR)
    return next(row for row in rows if any(s["field"] == field for s in row.suggestions))


def url(flag: ArticleFlag, number: int = 0) -> str:
    return reverse("admin:articles_article_suggestion", args=[flag.article_id, flag.pk, number])


def test_the_import_keeps_each_ocr_flags_suggestions(sample_issue):
    flag = ocr_flag(sample_issue, "headline")
    [suggestion] = flag.suggestions
    assert suggestion["original"] in flag.article.headline
    assert suggestion["replacement"].replace("入", "人") == suggestion["original"]
    others = ArticleFlag.objects.filter(article__page__issue=sample_issue).exclude(code=Flag.POSSIBLE_OCR_ERROR)
    assert all(row.suggestions == [] for row in others)


def test_an_editor_applies_a_suggestion_with_one_click(client, sample_issue):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    editor = make_user("editor", "Editors")
    flag = ocr_flag(sample_issue, "headline")
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[flag.article_id])
    assert url(flag) in client.get(change).content.decode(), "the change page offers the fix"

    response = client.post(url(flag))

    assert response.status_code == 302 and response["Location"] == change
    article = Article.objects.get(pk=flag.article_id)
    assert "登记入学" in article.headline and "登记人学" not in article.headline
    assert article.edited and not article.has_flag(Flag.POSSIBLE_OCR_ERROR)
    revision = Version.objects.get_for_object(article).first().revision
    assert revision.user == editor and "采用建议写法" in revision.get_comment()


def test_a_paragraph_suggestion_changes_that_paragraph_only(client, sample_issue):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(make_user("editor", "Editors"))
    flag = ocr_flag(sample_issue, "paragraph")
    [suggestion] = flag.suggestions
    before = Article.objects.get(pk=flag.article_id).body
    client.post(url(flag))
    after = Article.objects.get(pk=flag.article_id).body
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [suggestion["index"]]
    assert after[suggestion["index"]]["text"] == before[suggestion["index"]]["text"].replace(
        suggestion["original"], suggestion["replacement"]
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("staff", 403)],
)
def test_who_may_not_edit_changes_nothing(client, sample_issue, role, expected):
    if role == "staff":
        client.force_login(make_user("staff"))
    flag = ocr_flag(sample_issue, "headline")
    headline = flag.article.headline
    response = client.post(url(flag))
    assert response.status_code == expected
    assert Article.objects.get(pk=flag.article_id).headline == headline
    assert ArticleFlag.objects.filter(pk=flag.pk).exists()


def test_get_stale_and_foreign_requests_change_nothing(client, sample_issue):
    client.force_login(make_user("chief", "Chief editors"))
    flag = ocr_flag(sample_issue, "headline")
    other = Article.objects.filter(page__issue=sample_issue).exclude(pk=flag.article_id).first()
    assert client.get(url(flag)).status_code == 405
    foreign = reverse("admin:articles_article_suggestion", args=[other.pk, flag.pk, 0])
    assert client.post(foreign).status_code == 404
    assert client.post(url(flag, 5)).status_code == 302  # no such suggestion: a message, no change
    assert ArticleFlag.objects.filter(pk=flag.pk).exists()
    client.post(url(flag))
    assert client.post(url(flag)).status_code == 404, "applied once; the flag is gone"
