"""Page PDFs are rewritten, not filtered: parsed by qpdf (through pikepdf) and saved again
without anything that acts or carries other files.

A byte-pattern filter misses what the PDF syntax allows, e.g. names written with escapes
(`/J#61vaScript` is `/JavaScript`). Parsed, every name is in its plain form, so removing
these keys from every dictionary of the file removes, wherever they hide: the open action
and additional actions (document, page, annotation), every action of links and bookmarks
(JavaScript, Launch, URI, GoToR…), the JavaScript and embedded-file name trees, embedded
files, forms (AcroForm, XFA), annotations and bookmarks themselves. What a page shows (its
content streams, fonts, images) is kept as it was; qpdf writes only what is still reachable.
"""

from __future__ import annotations

import io

import pikepdf
from django.core.exceptions import ValidationError

DROPPED_KEYS = frozenset(
    {
        "/OpenAction",
        "/AA",
        "/A",
        "/JS",
        "/JavaScript",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/EF",
        "/AcroForm",
        "/XFA",
        "/Annots",
        "/Outlines",
        "/URI",
        "/Collection",
    }
)


def clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten without actions, scripts, embedded files, forms or annotations.
    Raises ValidationError (one Chinese line) for a file that does not parse as a PDF."""
    if not data.startswith(b"%PDF-"):
        raise ValidationError("文件不是 PDF。")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise ValidationError("PDF 没有任何页面，已拒绝。")
            for obj in pdf.objects:
                _strip(obj)
            _strip(pdf.trailer)
            out = io.BytesIO()
            pdf.save(out)
    except pikepdf.PasswordError:
        raise ValidationError("PDF 有密码保护，无法检查，已拒绝。") from None
    except (pikepdf.PdfError, RecursionError, ValueError):
        raise ValidationError("PDF 无法解析（文件损坏或格式不符），已拒绝。") from None
    return out.getvalue()


def _strip(root: pikepdf.Object) -> None:
    """Removes the dropped keys from ``root`` and every dictionary nested in it directly
    (indirect objects are each visited from ``pdf.objects``)."""
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key in DROPPED_KEYS & set(obj.keys()):
                del obj[key]
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        stack.extend(child for child in children if isinstance(child, pikepdf.Object) and not child.is_indirect)
