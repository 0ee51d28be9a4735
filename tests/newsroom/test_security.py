"""Attackers: a strict Content-Security-Policy, no inline script, login throttling that locks the\nattacker (a username from one client address), not the editor."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from newsroom.client_ip import client_ip
from tests.conftest import TEMPLATE_DIRS

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/issues/2022-03-25/pages/1/1/", "/search/?q=职工", "/admin/login/"])
def test_every_page_carries_a_strict_policy(client, sample_issue, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == "script-src 'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_no_template_of_ours_has_inline_script():
    for template in (t for d in TEMPLATE_DIRS for t in d.rglob("*.html")):
        text = template.read_text("utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template}: inline script"
        assert not re.search(r"\son[a-z]+=", text), f"{template}: inline event handler"


def test_login_is_throttled_after_repeated_failures(client, settings):
    User.objects.create_user("chief", password="the-right-password", is_staff=True)  # noqa: S106
    statuses = [
        client.post("/admin/login/?next=/admin/", {"username": "chief", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post("/admin/login/?next=/admin/", {"username": "chief", "password": "the-right-password"})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    other = client.post("/admin/login/?next=/admin/", {"username": "someone", "password": "x"})
    assert other.status_code == 200, "only that username from that address is locked"


def test_a_good_login_still_works(client):
    User.objects.create_user("editor", password="the-right-password", is_staff=True)  # noqa: S106
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": "the-right-password"})
    assert response.status_code == 302 and response.url == "/admin/"


LOGIN = "/admin/login/?next=/admin/"


def log_in(client, username: str, password: str, address: str, **headers: str) -> int:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers).status_code


def lock_out(client, username: str, address: str, **headers: str) -> list[int]:
    from django.conf import settings

    return [log_in(client, username, "wrong", address, **headers) for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_failures_from_one_address_do_not_lock_the_same_user_elsewhere(client):
    User.objects.create_user("editor", password="the-right-password", is_staff=True)  # noqa: S106
    assert lock_out(client, "editor", "203.0.113.9")[-1] == 429
    assert log_in(client, "editor", "the-right-password", "203.0.113.9") == 429
    assert log_in(client, "editor", "the-right-password", "198.51.100.7") == 302, "the editor's own address"


def test_attempts_while_locked_do_not_extend_the_lockout(client):
    from axes.models import AccessAttempt

    User.objects.create_user("editor", password="the-right-password", is_staff=True)  # noqa: S106
    lock_out(client, "editor", "203.0.113.9")
    fifty_minutes_ago = timezone.now() - timedelta(minutes=50)
    AccessAttempt.objects.update(attempt_time=fifty_minutes_ago)
    for password in ("wrong", "the-right-password"):
        assert log_in(client, "editor", password, "203.0.113.9") == 429
    assert AccessAttempt.objects.get().attempt_time == fifty_minutes_ago, "the hour restarted"
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    assert log_in(client, "editor", "the-right-password", "203.0.113.9") == 302


def test_behind_a_load_balancer_the_client_is_the_right_most_forwarded_address(client, settings):
    """Every request arrives from the balancer (REMOTE_ADDR); it appends the client's address to
    X-Forwarded-For, after whatever the client wrote there itself."""
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("editor", password="the-right-password", is_staff=True)  # noqa: S106
    balancer = "10.0.0.2"
    # The attacker forges the left part of the header each time: it does not help.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        log_in(client, "editor", "wrong", balancer, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.9")
    assert log_in(client, "editor", "the-right-password", balancer, HTTP_X_FORWARDED_FOR="203.0.113.9") == 429
    editor = log_in(client, "editor", "the-right-password", balancer, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert editor == 302, "the editor's own address, read from the balancer's entry"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's to forge
        (1, "", "10.0.0.2"),  # did not come through the balancer
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.9", "203.0.113.9"),  # CDN then balancer
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies
        (1, "1.1.1.1, not-an-address", "10.0.0.2"),
        (1, "1.1.1.1, 2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_rule(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
