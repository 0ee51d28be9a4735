"""Attackers: a strict Content-Security-Policy, no inline script, login throttling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.conftest import ROOT

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
    for template in Path(ROOT / "templates").rglob("*.html"):
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
