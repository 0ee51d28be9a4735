"""Preview and pending revisions in headless Chromium: an Editor previews the unpublished
issue; once it is published, the Editor's new headline waits while readers keep the old one;
the Chief editor opens the diff from the review queue and publishes it; readers see it. No
page logs a script error or a Content-Security-Policy violation."""

from __future__ import annotations

import pytest

from articles.models import Article, ArticleRevision
from issues.importing import do_import_issue
from tests.conftest import SAMPLE, publish
from tests.desk.groups import desk_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(loop_connections, transactional_db, workers_daily):
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    desk_accounts(("editor", "Editors"), ("chief", "Chief editors"))
    return issue


def watch(page, errors: list[str]) -> None:
    """Collect script errors, CSP violations and failed responses, static files included
    (served by WhiteNoise as in production: tests/conftest.py's ``loop_connections``)."""

    def console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", console)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"pw-{name}-123")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def both_widths(page, screenshot_dir, name: str) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)


def test_preview_then_a_revision_waits_until_the_chief_publishes_it(browser, live_server, desk, screenshot_dir):
    base = live_server.url
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch(page, errors)
    log_in(page, base, "editor")
    story = Article.objects.get(page__issue=desk, headline="三级服务体系为职工减压赋能")
    item = story.get_absolute_url()

    page.goto(base + item)
    assert "预览：本期尚未发布" in page.inner_text(".preview-banner")
    both_widths(page, screenshot_dir, "preview-item")
    reader = browser.new_page(viewport={"width": 390, "height": 844})
    assert reader.goto(base + item).status == 404

    publish(desk)
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.fill("#id_headline", "编辑改过的主题")
    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/admin/articles/article/{story.pk}/change/")
    assert "已存为待发布修改" in page.inner_text("body")
    assert "这篇稿件有一份待发布修改" in page.inner_text("body")
    both_widths(page, screenshot_dir, "revision-pending")
    reader.goto(base + item)
    assert reader.inner_text("h1") == "三级服务体系为职工减压赋能"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "chief")
    page.goto(base + "/admin/articles/article/review/")
    page.click("ul.pending-revisions a")
    assert "编辑改过的主题" in page.inner_text("table.revision-diff")
    both_widths(page, screenshot_dir, "revision-diff")
    page.click("input[value^=发布修改稿]")
    page.wait_for_url(f"{base}/admin/articles/article/{story.pk}/change/")
    assert ArticleRevision.objects.get().state == ArticleRevision.State.PUBLISHED
    reader = browser.new_page(viewport={"width": 390, "height": 844})  # a reader without max-age=60's copy
    reader.goto(base + item)
    assert reader.inner_text("h1") == "编辑改过的主题"
    assert errors == []
