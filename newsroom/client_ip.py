"""The client's address, as login throttling sees it.

With nothing trusted in front of the app (TRUSTED_PROXY_COUNT=0, the default) it is
REMOTE_ADDR. Behind N trusted proxies that each append the address they received the request
from to X-Forwarded-For (a load balancer: N=1), it is the N-th address from the right: the
entries left of it were written by the client and prove nothing. A request that did not come
through all N proxies (too few entries), or whose entry is not an address, falls back to
REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote
