"""Uploaded media (photos, page images) served with headers that make a hostile file inert.

Uploads are validated (articles/images.py), but a served file must still never run: a
sandboxing Content-Security-Policy stops script in an SVG or HTML that slipped through,
and nosniff stops a browser from guessing a type other than the one we send. A web server
or CDN in front should send the same headers (README, "Deployment").
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve

MEDIA_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "public, max-age=86400",
}

# What a browser may show in place; anything else (SVG, HTML, unknown) is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    if response.get("Content-Type", "").split(";")[0] not in INLINE_TYPES:
        response["Content-Disposition"] = "attachment"
    return response
