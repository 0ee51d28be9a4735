"""The editors' desk through real admin HTTP: permissions per role, tools, review, workflow,
upload with preview, exports, photo validation, history."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.flags import Flag
from articles.models import Article
from desk.paragraphs import formset_data
from tests.conftest import make_user, retract

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    return {
        "staff": make_user("plainstaff"),
        "editor": make_user("editor", "Editors"),
        "chief": make_user("chief", "Chief editors"),
    }


def story(issue, index=1) -> Article:
    return Article.objects.filter(page__issue=issue).order_by("position")[index]


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("staff", 403), ("editor", 200), ("chief", 200)])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/{pk}/change/",
        "/admin/articles/article/{pk}/tool/split/",
        "/admin/articles/article/{pk}/tool/merge-previous/",
        "/admin/articles/article/review/",
        "/admin/articles/article/{pk}/history/",
    ],
)
def test_permission_matrix_for_the_desk(client, sample_issue, roles, role, expected, url):
    if role != "anonymous":
        client.force_login(roles[role])
    response = client.get(url.format(pk=story(sample_issue).pk))
    assert response.status_code == expected
    if role == "anonymous":
        assert "/admin/login/" in response.url


@pytest.mark.parametrize(("role", "expected"), [("staff", 403), ("editor", 403), ("chief", 200)])
def test_only_chief_editors_upload_issues(client, roles, role, expected):
    client.force_login(roles[role])
    assert client.get("/admin/issues/issue/upload/").status_code == expected


def test_editor_splits_and_merges_back_through_the_admin(client, sample_issue, roles):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(roles["editor"])
    article = story(sample_issue)
    body = list(article.body)
    response = client.post(f"/admin/articles/article/{article.pk}/tool/split/", {"block": 2})
    assert response.status_code == 302
    new = Article.objects.get(page__issue=sample_issue, position=article.position + 1)
    assert new.body == body[2:]
    client.post(f"/admin/articles/article/{new.pk}/tool/merge-previous/", {})
    article.refresh_from_db()
    assert article.body == body and article.edited


def test_a_tool_that_cannot_apply_says_why(client, sample_issue, roles):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(roles["editor"])
    first = story(sample_issue, 0)
    response = client.post(f"/admin/articles/article/{first.pk}/tool/merge-previous/", {}, follow=True)
    assert "本版没有上一篇稿件可以合并" in response.content.decode()


def test_fixing_a_headline_in_the_form_clears_the_flag_and_marks_edited(client, sample_issue, roles):
    retract(sample_issue)  # readers cannot see it: an Editor's edits apply at once
    client.force_login(roles["editor"])
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    url = reverse("admin:articles_article_change", args=[headless.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        headline="编辑补上的标题",
        **formset_data(headless.body),
        **{
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "credits-TOTAL_FORMS": 0,
            "credits-INITIAL_FORMS": 0,
        },
    )
    data.pop("body")
    data.pop("continues", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    headless.refresh_from_db()
    assert headless.headline == "编辑补上的标题" and headless.edited
    assert not headless.has_flag(Flag.MISSING_HEADLINE)


def test_review_queue_counts_flags(client, sample_issue, roles):
    client.force_login(roles["editor"])
    page = client.get("/admin/articles/article/review/").content.decode()
    assert "缺主题" in page and "待审队列" in page
    listing = client.get(f"/admin/articles/article/?flag={Flag.MISSING_HEADLINE}").content.decode()
    assert "本报讯(记者邹倜然" in listing or "无标题" in listing


def test_export_neutralises_formulas(client, sample_issue, roles):
    article = story(sample_issue)
    article.headline = '=HYPERLINK("http://evil")'
    article.save()
    client.force_login(roles["chief"])
    response = client.post(
        "/admin/articles/article/export/",
        {"format": "0", "resource": "0", **{f"articleresource_{f}": "on" for f in ("id", "headline")}},
    )
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200, body[:500]
    assert "=HYPERLINK" not in body.replace("'=HYPERLINK", "")


def _image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"just text pretending", "不是有效的图片"),
        ("photo.jpg", _image_bytes("JPEG")[:200], "不是有效的图片"),
        ("photo.svg", b"<svg onload=alert(1)></svg>", "扩展名"),
        ("photo.png", b"<svg><script>alert(1)</script></svg>", "SVG"),
    ],
)
def test_bad_photo_uploads_are_refused(name, data, message):
    from django.core.exceptions import ValidationError

    from articles.images import validate_image

    with pytest.raises(ValidationError, match=message):
        validate_image(SimpleUploadedFile(name, data))


def test_decompression_bombs_are_refused():
    from django.core.exceptions import ValidationError

    from articles.images import validate_image

    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, "PNG")
    with pytest.raises(ValidationError, match="像素"):
        validate_image(SimpleUploadedFile("bomb.png", bomb.getvalue()))


def test_good_photo_is_rotated_and_gets_renditions(tmp_path, settings, sample_issue):
    from articles.images import make_renditions, normalised
    from articles.models import Photo

    settings.MEDIA_ROOT = tmp_path
    raw = io.BytesIO()
    image = Image.new("RGB", (1200, 600), (10, 120, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° on display
    image.save(raw, "JPEG", exif=exif)
    upload = SimpleUploadedFile("rotated.jpg", raw.getvalue())
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    photo.image.save("rotated.jpg", normalised(upload))
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (600, 1200)
    names = make_renditions(photo.image)
    assert any(n.endswith("-480w.webp") for n in names) and any(n.endswith("-480w.jpg") for n in names)


def test_two_editors_on_one_item_are_warned(client, sample_issue, roles):
    from django.core.cache import cache

    cache.clear()
    url = f"/admin/articles/article/{story(sample_issue).pk}/change/"
    client.force_login(roles["editor"])
    assert "正在编辑" not in client.get(url).content.decode()
    client.force_login(roles["chief"])
    page = client.get(url).content.decode()
    assert "editor 自" in page.lower() and "正在编辑这篇稿件" in page  # the admin capitalises messages
    client.force_login(roles["editor"])
    assert "正在编辑" not in client.get(url).content.decode(), "the holder is not warned about themself"
