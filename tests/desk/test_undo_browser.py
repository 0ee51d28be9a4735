"""Undo in headless Chromium: two editors change two items; one undoes her own step from the
page's history, confirms, and the other's change stays. No script error, no console error
(a Content-Security-Policy violation is one), at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from desk import tools as editing
from tests.desk.test_browser import desk, log_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _counts(message) -> bool:
    """A console error: a script error, a resource that failed to load or a CSP violation
    ("Refused to …")."""
    return message.type == "error"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_undoes_her_step_and_not_the_other_editors(browser, live_server, desk, screenshot_dir, width):  # noqa: F811
    editor, chief = User.objects.get(username="editor"), User.objects.get(username="chief")
    items = list(Article.objects.filter(page__issue=desk).order_by("position"))
    mine, theirs = items[1], next(a for a in items if a.kicker.startswith("首批12家"))
    body = list(mine.body)
    editing.do_toggle_subhead(mine, 0, user=editor)
    editing.do_swap_titles(theirs, "kicker", "headline", user=chief)
    swapped = Article.objects.get(pk=theirs.pk).headline

    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if _counts(msg) else None)
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/issues/page/{mine.page_id}/history/")
    page.screenshot(path=str(screenshot_dir / f"desk-history-{width}.png"), full_page=True)
    row = page.locator("table.desk-history tbody tr", has_text="切换小标题")
    row.locator("button.undo").click()
    page.wait_for_url("**/undo/**")
    assert "只撤销这一步改动的稿件" in page.inner_text("#content")
    page.screenshot(path=str(screenshot_dir / f"desk-undo-confirm-{width}.png"), full_page=True)
    page.click("input[type=submit].default")
    page.wait_for_url(f"{base}/admin/issues/page/{mine.page_id}/history/")
    assert "已撤销" in page.inner_text(".messagelist")
    assert page.locator("table.desk-history tbody tr").first.inner_text().count("撤销：切换小标题") == 1

    assert Article.objects.get(pk=mine.pk).body == body
    assert Article.objects.get(pk=theirs.pk).headline == swapped
    assert problems == []
