"""Page PDFs are parsed and rewritten without anything that acts: the stored file is the
clean one, whatever spelling the hostile one used; a clean PDF keeps its pages."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images import clean_page_file
from tests.conftest import pdf_bytes

# Every name that acts or carries another file, as it reads once parsed.
ACTIVE = {
    "/OpenAction", "/AA", "/A", "/JS", "/JavaScript", "/Launch", "/URI", "/EmbeddedFiles",
    "/EmbeddedFile", "/EF", "/AcroForm", "/XFA", "/Annots", "/Outlines", "/Filespec",
}  # fmt: skip


def assemble(objects: list[bytes]) -> bytes:
    """A PDF written by hand: the objects numbered from 1 (the first is the catalog), with a
    correct cross-reference table, so that it parses cleanly and nothing is repaired."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (extra, len(data), data)


def hostile_pdf() -> bytes:
    """Scripts, a launch, a link, an embedded file, a form and a bookmark, every dangerous
    name spelt with #-escapes, so that no byte pattern the old filter knew appears."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R /#4FpenAction 4 0 R /#41A << /WC 5 0 R >> /Outlines 11 0 R"
            b" /Names << /J#61vaScript << /Names [(x) 5 0 R] >> /Embedded#46iles << /Names [(a.exe) 6 0 R] >> >>"
            b" /AcroForm << /Fields [] /XFA 7 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 8 0 R /AA << /O 5 0 R >> /Annots [9 0 R] >>",
            b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
            b"<< /S /J#61vaScript /J#53 (app.launchURL\\('http://evil.example'\\)) >>",
            b"<< /Type /Filespec /F (a.exe) /EF << /F 10 0 R >> >>",
            stream(b"<xdp:xdp/>"),
            stream(b"0 0 m 100 100 l S"),
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /L#61unch /F (calc.exe) >> >>",
            stream(b"MZ payload", b"/Type /Embedded#46ile"),
            b"<< /Type /Outlines /First 12 0 R /Last 12 0 R /Count 1 >>",
            b"<< /Title (x) /Parent 11 0 R /A << /S /URI /URI (http://evil.example) >> >>",
        ]
    )


def names_in(data: bytes) -> set[str]:
    """Every dictionary key and name value anywhere in the PDF, as parsed."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [pdf.trailer, *pdf.objects]
        seen = set()
        while stack:
            obj = stack.pop()
            if not isinstance(obj, pikepdf.Object):
                continue
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            if isinstance(obj, pikepdf.Name):
                found.add(str(obj))
            elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                found |= set(obj.keys())
                stack.extend(obj.values())
            elif isinstance(obj, pikepdf.Array):
                stack.extend(obj)
    return found


def test_the_hostile_file_parses_and_its_escaped_names_are_what_they_say():
    data = hostile_pdf()
    assert not any(m in data for m in (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/EmbeddedFile"))
    assert {"/OpenAction", "/JavaScript", "/JS", "/Launch", "/EmbeddedFiles"} <= names_in(data)


def test_escaped_actions_scripts_files_and_forms_are_removed():
    cleaned = clean_page_file(SimpleUploadedFile("page.pdf", hostile_pdf())).read()
    assert names_in(cleaned) & ACTIVE == set()
    assert b"app.alert" not in cleaned and b"MZ payload" not in cleaned and b"evil.example" not in cleaned
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 1 and pdf.pages[0].Contents.read_bytes() == b"0 0 m 100 100 l S"


def test_a_clean_pdf_keeps_its_pages():
    original = pdf_bytes(pages=3)
    cleaned = clean_page_file(SimpleUploadedFile("page.pdf", original)).read()
    with pikepdf.open(io.BytesIO(original)) as before, pikepdf.open(io.BytesIO(cleaned)) as after:
        assert len(after.pages) == 3
        assert [p.Contents.read_bytes() for p in after.pages] == [p.Contents.read_bytes() for p in before.pages]
        assert [list(p.MediaBox) for p in after.pages] == [list(p.MediaBox) for p in before.pages]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n1 0 obj << /OpenAction << /JS (app.alert(1)) >> >>", "PDF 无法解析"),
        (b"%PDF-1.4\n" + b"\x00garbage" * 50, "PDF 无法解析"),
        (b"plain text", "文件不是 PDF"),
        (assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), "没有任何页面"),
    ],
)
def test_what_does_not_parse_is_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        clean_page_file(SimpleUploadedFile("page.pdf", data))


@pytest.mark.django_db
def test_the_desk_stores_the_cleaned_file(client, sample_issue, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    page = sample_issue.pages.get()
    response = client.post(
        f"/admin/issues/page/{page.pk}/change/",
        {"name": page.name, "image": SimpleUploadedFile("page1.pdf", hostile_pdf())},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    stored = page.image.read()
    assert page.image.name.endswith(".pdf") and names_in(stored) & ACTIVE == set()
