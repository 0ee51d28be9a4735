"""Redirects from other spellings of a public path to its canonical one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse


def redirect_to(route_name: str) -> Callable[..., HttpResponse]:
    """A view answering 301 to the route ``route_name`` with the values its URL spelled
    loosely (converted by the loose converters), keeping the query string."""

    def view(request: HttpRequest, **values) -> HttpResponse:
        target = reverse(route_name, kwargs=values)
        if target == request.path:  # would loop; the strict route refused these values
            raise Http404("no such page")
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    view.__name__ = view.__qualname__ = f"redirect_to_{route_name.replace(':', '_').replace('-', '_')}"
    return view
