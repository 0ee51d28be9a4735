"""The item's body edited as paragraphs on its change page (no JSON): quotes just work,
paragraphs reorder, go and come, each error on its own paragraph; lists typed as text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.body import MAX_PARAGRAPH_CHARS
from articles.models import Article, Photo
from desk.forms import PublicationForm
from desk.paragraphs import formset_data
from issues.importing import do_import_issue
from issues.models import Publication
from tests.conftest import SAMPLE, make_user
from tests.desk.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(client) -> Article:
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    client.force_login(make_user("editor", "Editors"))
    return Article.objects.filter(page__issue=issue, kind="article").order_by("position")[1]


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def post_body(client, article: Article, **changes):
    """The change form as loaded, with the paragraph fields in ``changes`` replaced."""
    data = admin_form_data(client.get(change_url(article)))
    data.update({f"body-{key.replace('__', '-')}": value for key, value in changes.items()})
    return client.post(change_url(article), data)


def test_the_change_page_shows_paragraphs_not_json(client, story):
    text = client.get(change_url(story)).content.decode()
    assert '{"kind"' not in text and "{&quot;kind&quot;" not in text  # no JSON of the body anywhere
    assert 'name="body"' not in text
    for i in range(len(story.body)):
        assert f'name="body-{i}-text"' in text and f'name="body-{i}-kind"' in text
        assert f'name="body-{i}-ORDER"' in text and f'name="body-{i}-DELETE"' in text
    assert "新增一段" in text and "小标题" in text


def test_saving_unchanged_keeps_the_body_and_marks_nothing(client, story):
    body = story.body
    assert post_body(client, story).status_code == 302
    story.refresh_from_db()
    assert story.body == body and not story.edited


def test_an_ascii_quote_just_works(client, story):
    response = post_body(client, story, **{"0__text": '他说："这是 "引号"。"'})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body[0] == {"kind": "text", "text": '他说："这是 "引号"。"'} and story.edited


def test_reorder_delete_add_and_subhead(client, story):
    body = story.body
    n = len(body)
    changes = {"0__ORDER": n + 1, "1__DELETE": "on", "2__kind": "subhead", f"{n}__text": "新加的一段"}
    response = post_body(client, story, **changes)
    assert response.status_code == 302, response.content.decode()[:500]
    story.refresh_from_db()
    assert story.body == [
        {"kind": "subhead", "text": body[2]["text"]},
        *body[3:],
        body[0],  # order n + 1 puts it after the others
        {"kind": "text", "text": "新加的一段"},  # the new paragraph, with no order, comes last
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"1__text": "   "}, "段落不能为空：要删掉这一段，请勾选“删除”"),
        ({"1__text": "长" * (MAX_PARAGRAPH_CHARS + 1)}, f"最多 {MAX_PARAGRAPH_CHARS} 字"),
        ({"1__kind": "script"}, "选择一个有效的选项"),
        ({"1__ORDER": "abc"}, "输入整数"),
    ],
)
def test_a_bad_paragraph_is_named_on_its_row_and_nothing_is_saved(client, story, changes, message):
    body = story.body
    response = post_body(client, story, **changes)
    assert response.status_code == 200
    text = response.content.decode()
    row = text[text.index('id="body-p2"') : text.index('id="body-p3"')]
    assert message in row, row[:800]
    assert "有段落需要修改" in text
    story.refresh_from_db()
    assert story.body == body and not story.edited


def test_a_tampered_paragraph_form_is_an_error_not_a_crash(client, story):
    body = story.body
    data = admin_form_data(client.get(change_url(story)))
    del data["body-TOTAL_FORMS"]
    assert client.post(change_url(story), data).status_code == 200
    data = {**admin_form_data(client.get(change_url(story))), "body-TOTAL_FORMS": "100000"}
    assert client.post(change_url(story), data).status_code == 200
    story.refresh_from_db()
    assert story.body == body


def test_hostile_paragraph_text_is_stored_as_typed_and_shown_escaped(client, story):
    hostile = '</textarea><script>alert("x")</script>'
    assert post_body(client, story, **{"0__text": hostile}).status_code == 302
    story.refresh_from_db()
    assert story.body[0]["text"] == hostile
    text = client.get(change_url(story)).content.decode()
    assert "<script>alert" not in text and "&lt;/textarea&gt;&lt;script&gt;" in text


def test_formset_data_round_trips_a_body():
    body = [{"kind": "text", "text": 'a"b'}, {"kind": "subhead", "text": "小标题"}]
    data = formset_data(body)
    assert data["body-0-text"] == 'a"b' and data["body-1-kind"] == "subhead" and data["body-TOTAL_FORMS"] == 3


def test_photographers_are_typed_as_a_list(client, story):
    photo = Photo.objects.create(article=story, caption="图", photographers=["甲"])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    text = client.get(url).content.decode()
    assert 'value="甲"' in text and "[&quot;" not in text
    data = admin_form_data(client.get(url))
    data["photographers"] = "张三、李四, 王五\n张三"
    assert client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert photo.photographers == ["张三", "李四", "王五"]
    data["photographers"] = "、".join(f"人{i}" for i in range(21))
    response = client.post(url, data)
    assert response.status_code == 200 and "最多 20 项" in response.content.decode()


def test_masthead_names_are_typed_one_a_line():
    publication = Publication.objects.get(slug="workers-daily")
    form = PublicationForm(instance=publication)
    assert "[" not in str(form["aliases"].value()) and form["aliases"].value() == "\n".join(publication.aliases)
    data = {"name": publication.name, "name_en": publication.name_en, "slug": publication.slug}
    form = PublicationForm({**data, "aliases": "WORKERS' DAILY\nGONGREN RIBAO, BEIJING\n"}, instance=publication)
    assert form.is_valid(), form.errors
    assert form.save().aliases == ["WORKERS' DAILY", "GONGREN RIBAO, BEIJING"]
