"""Photo and page-image uploads: real images only, within limits, EXIF rotation applied,
renditions made once; page PDFs rewritten clean."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from PIL import Image, ImageOps, UnidentifiedImageError

from articles.pdfs import clean_pdf

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
RENDITION_WIDTHS = (480, 960, 1600)


def validate_image(upload) -> None:
    """Refuse what is not a real JPEG/PNG/WebP/GIF within size and pixel limits."""
    name = getattr(upload, "name", "") or ""
    if PurePath(name).suffix.lower() not in EXTENSIONS:
        raise ValidationError("只接受 JPEG、PNG、WebP 或 GIF 图片（文件扩展名不符）。")
    if upload.size > MAX_BYTES:
        raise ValidationError(f"图片太大：上限为 {MAX_BYTES // (1024 * 1024)} MB。")
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or b"<script" in head.lower() or head.startswith(b"%PDF"):
        raise ValidationError("不接受 SVG、PDF 或含脚本的文件作为图片。")
    try:
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ValidationError(f"不支持的图片格式：{image.format}。")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(f"图片像素过多（{image.width}×{image.height}），上限为 {MAX_PIXELS:,} 像素。")
            image.verify()
        with Image.open(upload) as image:
            image.load()
    except Image.DecompressionBombError:
        raise ValidationError("图片像素数异常巨大（疑似解压炸弹），已拒绝。") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError("文件不是有效的图片，或图片已损坏。") from None
    finally:
        upload.seek(0)


def normalised(upload) -> ContentFile:
    """The upload with its EXIF orientation applied (and the EXIF block dropped)."""
    upload.seek(0)
    with Image.open(upload) as image:
        fmt = image.format
        rotated = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if fmt == "JPEG":
            rotated.convert("RGB").save(out, "JPEG", quality=90)
        else:
            rotated.save(out, fmt)
    return ContentFile(out.getvalue(), name=PurePath(upload.name).stem + FORMATS[fmt])


def make_renditions(field_file) -> list[str]:
    """WebP and JPEG copies at a few widths beside the original; returns their names."""
    storage = field_file.storage
    names = []
    with storage.open(field_file.name, "rb") as fh, Image.open(fh) as image:
        image.load()
        base = PurePath(field_file.name)
        for width in RENDITION_WIDTHS:
            if width >= image.width:
                continue
            height = round(image.height * width / image.width)
            small = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
            for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
                out = io.BytesIO()
                small.save(out, fmt, quality=82)
                name = str(base.with_name(f"{base.stem}-{width}w.{ext}"))
                if not storage.exists(name):
                    storage.save(name, ContentFile(out.getvalue()))
                names.append(name)
    return names


def clean_page_file(upload) -> File:
    """What to store for a page: a real image (checked as above) as uploaded, or a PDF
    rewritten without actions, scripts, embedded files or forms (articles/pdfs.py)."""
    if PurePath(upload.name or "").suffix.lower() != ".pdf":
        validate_image(upload)
        return upload
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"PDF 太大：上限为 {MAX_BYTES // (1024 * 1024)} MB。")
    return ContentFile(clean_pdf(data), name=PurePath(upload.name).name)
