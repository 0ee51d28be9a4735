"""What the desk does not let an editor do: an issue's identity is the chief editor's; items
and photos are not made from empty add pages (imports and tools make them)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, Photo
from issues.models import Issue
from tests.conftest import make_user
from tests.desk.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "PNG")
    return out.getvalue()


def test_an_editor_sees_but_cannot_change_an_issues_date_paper_or_pages(client, sample_issue, workers_daily):
    editor = make_user("editor", "Editors")
    client.force_login(editor)
    url = f"/admin/issues/issue/{sample_issue.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    assert not {"publication", "date", "number", "page_count"} & set(form.fields)
    assert "2022年3月25日" in page.content.decode() or "2022-03-25" in page.content.decode()
    data = {**admin_form_data(page), "date": "2022-03-26", "page_count": "2", "lunar_date": "改过"}
    assert client.post(url, data).status_code == 302
    sample_issue.refresh_from_db()
    assert sample_issue.date.isoformat() == "2022-03-25" and sample_issue.page_count == 8
    assert sample_issue.lunar_date == "改过", "the rest of the form still saves"


def test_a_chief_editor_corrects_an_issues_page_count(client, sample_issue):
    client.force_login(make_user("chief", "Chief editors"))
    url = f"/admin/issues/issue/{sample_issue.pk}/change/"
    page = client.get(url)
    assert {"publication", "date", "page_count"} <= set(page.context["adminform"].form.fields)
    assert client.post(url, {**admin_form_data(page), "page_count": "1"}).status_code == 302
    assert Issue.objects.get(pk=sample_issue.pk).page_count == 1


@pytest.mark.parametrize("model", ["article", "photo"])
@pytest.mark.parametrize("role", ["editor", "chief"])
def test_items_and_photos_have_no_add_page(client, sample_issue, role, model, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user(role, {"editor": "Editors", "chief": "Chief editors"}[role]))
    before = (Article.objects.count(), Photo.objects.count())
    url = f"/admin/articles/{model}/add/"
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    data = {"article": Article.objects.first().pk, "position": "0", "caption": "x", "image": upload}
    assert client.post(url, {**data, "kind": "article", "headline": "x", "body": "[]"}).status_code == 403
    assert (Article.objects.count(), Photo.objects.count()) == before
    assert not list(tmp_path.rglob("*.png")), "no uploaded file is left on disk"
    assert client.get(f"/admin/articles/{model}/").context["has_add_permission"] is False
