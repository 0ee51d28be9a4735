"""Files in and out of the desk: photo and page-image uploads through the admin (real bad
files made here), renditions, and the spreadsheet round trip of title lines."""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image
from reversion.models import Version

from articles.flags import Flag
from articles.images import clean_page_file, validate_image
from articles.models import Article, Photo
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db) -> User:
    account = User.objects.create_user("editor", password="pw", is_staff=True)  # noqa: S106
    account.groups.add(Group.objects.get(name="Editors"))
    return account


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(fmt: str = "JPEG", size=(2000, 1000), exif_orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 90, 160))
    kwargs = {}
    if exif_orientation:
        exif = image.getexif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims enormous dimensions in a few dozen bytes: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def photo_form(photo: Photo, upload) -> dict:
    return {
        "article": photo.article_id,
        "position": photo.position,
        "caption": photo.caption,
        "credit": photo.credit,
        "photographers": "",
        "image": upload,
    }


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("truncated.jpg", image_bytes()[:400], "不是有效的图片"),
        ("text.jpg", "这不是图片，只是改了扩展名的文本。".encode(), "不是有效的图片"),
        ("bomb.png", png_header_only(100_000, 100_000), "解压炸弹"),
        ("huge.png", png_header_only(9_000, 8_000), "像素过多"),
        ("picture.bmp", image_bytes("BMP", (10, 10)), "扩展名"),
        ("renamed.png", image_bytes("BMP", (10, 10)), "不支持的图片格式"),
    ],
)
def test_bad_photo_uploads_are_refused_through_the_admin(client, sample_issue, editor, media, name, data, message):
    client.force_login(editor)
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    response = client.post(
        f"/admin/articles/photo/{photo.pk}/change/", photo_form(photo, SimpleUploadedFile(name, data))
    )
    assert response.status_code == 200, "the form comes back with the error"
    assert message in response.content.decode()
    photo.refresh_from_db()
    assert not photo.image and not any(media.rglob("*.*"))


def test_a_good_photo_is_rotated_measured_and_rendered_once(client, sample_issue, editor, media):
    client.force_login(editor)
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    upload = SimpleUploadedFile("site.jpg", image_bytes(exif_orientation=6))
    response = client.post(f"/admin/articles/photo/{photo.pk}/change/", photo_form(photo, upload))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1000, 2000), "EXIF rotation applied before measuring"
    with Image.open(photo.image.path) as stored:
        assert "exif" not in stored.info or not stored.getexif().get(0x0112)
    names = sorted(p.name for p in media.rglob("*-*w.*"))
    assert len(names) == 4 and {n.rsplit(".", 1)[1] for n in names} == {"webp", "jpg"}
    stamps = {p: p.stat().st_mtime_ns for p in media.rglob("*-*w.*")}
    from articles.images import make_renditions

    make_renditions(photo.image)
    assert {p: p.stat().st_mtime_ns for p in media.rglob("*-*w.*")} == stamps, "made once"


def test_staff_without_permission_cannot_upload_photos(client, sample_issue, media):
    client.force_login(User.objects.create_user("plain", is_staff=True))
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    response = client.post(
        f"/admin/articles/photo/{photo.pk}/change/", photo_form(photo, SimpleUploadedFile("a.jpg", image_bytes()))
    )
    assert response.status_code == 403


def test_page_image_and_pdf_validation(client, sample_issue, editor, media):
    client.force_login(editor)
    page = sample_issue.pages.get()
    url = f"/admin/issues/page/{page.pk}/change/"
    bad_pdf = SimpleUploadedFile("page.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /JS (app.alert(1)) >> >>")
    assert "PDF 无法解析" in client.post(url, {"name": page.name, "image": bad_pdf}).content.decode()
    fake_pdf = SimpleUploadedFile("page.pdf", b"plain text")
    assert "不是 PDF" in client.post(url, {"name": page.name, "image": fake_pdf}).content.decode()
    good_pdf = SimpleUploadedFile("page.pdf", pdf_bytes(pages=1))
    assert client.post(url, {"name": page.name, "image": good_pdf}).status_code == 302
    page.refresh_from_db()
    assert page.image.name.endswith(".pdf")
    scan = SimpleUploadedFile("page1.png", image_bytes("PNG", (300, 400)))
    assert client.post(url, {"name": page.name, "image": scan}).status_code == 302


def test_validators_directly():
    validate_image(SimpleUploadedFile("ok.webp", image_bytes("WEBP", (20, 20))))
    validate_image(SimpleUploadedFile("ok.gif", image_bytes("GIF", (20, 20))))
    with pytest.raises(ValidationError, match="SVG"):
        clean_page_file(SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"))


def export_csv(client, fields=("id", "kicker", "headline", "subheadline")) -> list[dict]:
    response = client.post(
        "/admin/articles/article/export/",
        {"format": "0", "resource": "0", **{f"articleresource_{f}": "on" for f in fields}},
    )
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_formula_in_a_headline_is_neutralised_on_export(client, sample_issue, editor):
    story = Article.objects.filter(page__issue=sample_issue).order_by("position")[1]
    story.headline = "=1+1"
    story.save()
    client.force_login(editor)
    rows = {int(r["编号"]): r for r in export_csv(client)}
    exported = rows[story.pk]["主题"]
    assert "1+1" in exported and exported[0] not in "=+-@", exported


def test_exports_are_offered_as_csv_and_xlsx_only(client, sample_issue, editor):
    client.force_login(editor)
    form = client.get("/admin/articles/article/export/").content.decode()
    offered = re.findall(r'<option value="\d+"[^>]*>([a-z]+)</option>', form)
    assert offered == ["csv", "xlsx"], "no HTML export of editors' text"
    response = client.post(
        "/admin/articles/article/export/",
        {"format": "1", "resource": "0", "articleresource_id": "on", "articleresource_headline": "on"},
    )
    assert response.status_code == 200 and "xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "三级服务体系为职工减压赋能" in [row[1].value for row in sheet.iter_rows()]


def test_exports_carry_chinese_headings_body_text_and_flag_labels(client, sample_issue, editor):
    client.force_login(editor)
    rows = export_csv(client, ("id", "headline", "body", "flags"))
    assert list(rows[0]) == ["编号", "主题", "正文", "待审标记"]
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    row = next(r for r in rows if int(r["编号"]) == headless.pk)
    assert row["正文"].startswith(headless.body[0]["text"][:10]) and Flag.MISSING_HEADLINE.label in row["待审标记"]
    assert not any(flag.value in r["待审标记"] for r in rows for flag in Flag), "labels, never codes"


def test_title_lines_round_trip_through_a_spreadsheet_with_preview(client, sample_issue, editor):
    client.force_login(editor)
    rows = export_csv(client, ("id", "kicker", "headline", "subheadline", "byline"))
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=sample_issue)
    for row in rows:
        if int(row["编号"]) == headless.pk:
            row["主题"] = "表格里补上的标题"
        if row["主题"] == "三级服务体系为职工减压赋能":
            row["引题"] = "引题改过"
            row["署名"] = "ignored"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("titles.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
    preview = client.post("/admin/articles/article/import/", {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200 and "表格里补上的标题" in preview.content.decode()
    headless.refresh_from_db()
    assert headless.headline == "", "the preview saves nothing"
    confirm = preview.context["confirm_form"].initial
    response = client.post("/admin/articles/article/process_import/", confirm)
    assert response.status_code == 302
    headless.refresh_from_db()
    assert headless.headline == "表格里补上的标题" and headless.edited and not headless.has_flag(Flag.MISSING_HEADLINE)
    changed = Article.objects.get(page__issue=sample_issue, headline="三级服务体系为职工减压赋能")
    assert changed.kicker == "引题改过" and changed.byline != "ignored"
    revision = Version.objects.get_for_object(headless).first().revision
    assert revision.get_comment() == "表格导入：更正标题" and revision.user == editor
    untouched = Article.objects.filter(page__issue=sample_issue, edited=False).count()
    assert untouched == Article.objects.filter(page__issue=sample_issue).count() - 2, "unchanged rows skipped"


def test_staff_without_permission_cannot_import_or_export(client, sample_issue):
    client.force_login(User.objects.create_user("plain", is_staff=True))
    assert client.get("/admin/articles/article/import/").status_code == 403
    assert client.get("/admin/articles/article/export/").status_code == 403
