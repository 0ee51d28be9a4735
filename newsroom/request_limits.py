"""Request bodies larger than any form of ours needs are refused before they are read.

Django reads a POST body whole as soon as anything touches request.POST (the CSRF check does,
for every POST), writing its files to temporary storage. Without a web server in front to
cap bodies (WhiteNoise made it optional), this is that cap: the declared Content-Length is
checked first, and Django never reads past it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.NEWSROOM_REQUEST_MAX_BYTES
        if length > limit:
            message = f"提交的内容太大（{mib(length)}），上限为 {mib(limit)}；请分批上传。\n"
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def mib(size: int) -> str:
    """A size for people: 52.4 MB."""
    return f"{size / (1024 * 1024):.1f} MB"
