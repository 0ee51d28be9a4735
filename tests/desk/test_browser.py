"""The desk in headless Chromium: an editor splits an item, merges it back and writes a
missing headline; the chief editor publishes; a reader sees the fixed headline."""

from __future__ import annotations

import pytest

from articles.flags import Flag
from articles.models import Article
from issues.importing import do_import_issue
from issues.models import Issue
from tests.conftest import SAMPLE
from tests.desk.groups import desk_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(loop_connections, transactional_db, workers_daily):
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    desk_accounts(("editor", "Editors"), ("chief", "Chief editors"))
    return issue


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"pw-{name}-123")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_editor_fixes_and_chief_publishes_what_the_reader_sees(browser, live_server, desk, screenshot_dir):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, "editor")

    story = Article.objects.get(page__issue=desk, headline="三级服务体系为职工减压赋能")
    body, count = list(story.body), Article.objects.filter(page__issue=desk).count()
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert "原始提取文本" in page.inner_text("#desk")
    page.screenshot(path=str(screenshot_dir / "desk-article.png"), full_page=True)

    page.click("text=在所选段落前拆分")
    page.select_option("#id_block", "2")
    page.screenshot(path=str(screenshot_dir / "desk-split-confirm.png"), full_page=True)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/articles/article/*/change/")
    assert Article.objects.filter(page__issue=desk).count() == count + 1
    new = Article.objects.get(page=story.page, position=story.position + 1)
    assert new.body == body[2:] and "（无主题）" in page.inner_text("#desk .reader")

    page.click("text=并入上一篇")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/articles/article/{story.pk}/change/")
    story.refresh_from_db()
    assert story.body == body and Article.objects.filter(page__issue=desk).count() == count
    assert "合并稿件" in page.inner_text(".page-history")

    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page__issue=desk)
    page.goto(f"{base}/admin/articles/article/{headless.pk}/change/")
    assert "缺主题" in page.inner_text("ul.flags")
    page.fill("#id_headline", "编辑补上的主题")
    page.click("input[name=_continue]")
    page.wait_for_url(f"{base}/admin/articles/article/{headless.pk}/change/")
    headless.refresh_from_db()
    assert headless.headline == "编辑补上的主题" and not headless.has_flag(Flag.MISSING_HEADLINE) and headless.edited
    page.screenshot(path=str(screenshot_dir / "desk-headline-fixed.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, base, "chief")
    page.goto(f"{base}/admin/issues/issue/")
    page.check(f"input[name=_selected_action][value='{desk.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector("text=确认发布")
    page.check("#id_override")
    page.fill("#id_reason", "主题已补，其余标记已核对")
    page.screenshot(path=str(screenshot_dir / "desk-publish-confirm.png"), full_page=True)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/issues/issue/")
    desk.refresh_from_db()
    assert desk.status == Issue.Status.PUBLISHED and desk.is_public

    reader = browser.new_page(viewport={"width": 390, "height": 844})
    reader.goto(f"{base}/issues/{desk.date.isoformat()}/pages/{headless.page.number}/{headless.position}/")
    assert reader.inner_text("h1") == "编辑补上的主题"
    reader.screenshot(path=str(screenshot_dir / "desk-reader-sees-fix.png"), full_page=True)
    reader.goto(f"{base}/issues/{desk.date.isoformat()}/pages/1/{story.position}/")
    assert reader.inner_text("h1") == "三级服务体系为职工减压赋能"
    assert body[-1]["text"][:20] in reader.inner_text("body")
    assert errors == []
