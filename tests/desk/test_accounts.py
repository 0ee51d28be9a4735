"""登录锁定: a chief editor sees who is locked out and unlocks a colleague; nobody else can."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
LOCKOUTS = "/admin/axes/accessattempt/lockouts/"
OFFICE, STRANGER = "198.51.100.7", "203.0.113.9"
ROLES = {"staff": None, "editor": "Editors", "chief": "Chief editors"}


def attempt_login(client, username: str, password: str, address: str) -> int:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address).status_code


@pytest.fixture
def locked_colleague(client):
    """A colleague who mistyped their password five times at the office, and a stranger who
    guessed at the same account from elsewhere."""
    make_user("colleague")
    for address in (OFFICE, STRANGER):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt_login(client, "colleague", "wrong", address)
    assert attempt_login(client, "colleague", "pw-colleague", OFFICE) == 429
    client.cookies.clear()
    return AccessAttempt.objects.get(username="colleague", ip_address=OFFICE)


def unlock_url(attempt: AccessAttempt) -> str:
    return f"/admin/axes/accessattempt/{attempt.pk}/unlock/"


def test_a_chief_editor_unlocks_a_colleague_after_confirming(client, locked_colleague):
    client.force_login(make_user("chief", "Chief editors"))
    page = client.get(LOCKOUTS).content.decode()
    assert "登录锁定" in page and "colleague" in page and OFFICE in page and STRANGER in page
    assert unlock_url(locked_colleague) in page
    confirm = client.get(unlock_url(locked_colleague))
    assert confirm.status_code == 200 and "确认解除锁定" in confirm.content.decode()
    assert AccessAttempt.objects.filter(ip_address=OFFICE).exists(), "GET changes nothing"

    done = client.post(unlock_url(locked_colleague), follow=True)
    assert "已解除 colleague 在 198.51.100.7 的登录锁定" in done.content.decode()
    assert not AccessAttempt.objects.filter(username="colleague", ip_address=OFFICE).exists()
    assert AccessAttempt.objects.filter(username="colleague", ip_address=STRANGER).exists(), "only that address"
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.user.username == "chief" and entry.change_message == "已解除 colleague 在 198.51.100.7 的登录锁定"

    client.logout()
    assert attempt_login(client, "colleague", "pw-colleague", OFFICE) == 302
    assert attempt_login(client, "colleague", "pw-colleague", STRANGER) == 429


def test_the_lockouts_page_lists_only_current_lockouts(client, locked_colleague):
    AccessAttempt.objects.create(username="typo", ip_address=OFFICE, failures_since_start=1)
    client.force_login(make_user("chief", "Chief editors"))
    page = client.get(LOCKOUTS).content.decode()
    assert "typo" not in page and page.count("解除锁定</a>") == 2


def test_the_header_links_the_page_for_chief_editors_only(client):
    client.force_login(make_user("chief", "Chief editors"))
    assert LOCKOUTS in client.get("/admin/").content.decode()
    client.force_login(make_user("editor", "Editors"))
    assert LOCKOUTS not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["anonymous", "staff", "editor"])
def test_nobody_else_can_see_or_unlock(client, locked_colleague, role):
    if role != "anonymous":
        client.force_login(make_user(role, ROLES[role]))
    expected = 302 if role == "anonymous" else 403
    assert client.get(LOCKOUTS).status_code == expected
    assert client.get(unlock_url(locked_colleague)).status_code == expected
    assert client.post(unlock_url(locked_colleague)).status_code == expected
    assert AccessAttempt.objects.filter(username="colleague").count() == 2


def test_an_unknown_attempt_is_a_404_and_get_is_harmless(client, locked_colleague):
    client.force_login(make_user("chief", "Chief editors"))
    assert client.post("/admin/axes/accessattempt/999999/unlock/").status_code == 404
    assert AccessAttempt.objects.count() == 2
