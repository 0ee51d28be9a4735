"""The page workspace in headless Chromium: an editor writes a missing headline in place,
joins the column-broken paragraph, splits an item and merges it back through the script's
confirmation; the first item's save and tools sit in the first screen at 1280×900, and at
390 px nothing scrolls sideways. Any console error or CSP violation fails the test."""

from __future__ import annotations

import pytest

from articles.flags import Flag
from articles.models import Article
from issues.importing import do_import_issue
from tests.conftest import SAMPLE
from tests.desk.groups import desk_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def front_page(loop_connections, transactional_db, workers_daily):
    desk_accounts(("editor", "Editors"))
    return do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue.pages.get(number=1)


class Watched:
    """A browser page that records console errors, script errors and CSP violations."""

    def __init__(self, browser, width: int, height: int, context=None):
        self.context = context or browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.add_init_script(WATCH_CSP)
        self.errors: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def check(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [] and self.errors == [], (violations, self.errors)


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_an_editor_corrects_the_front_page_in_the_workspace(browser, live_server, front_page, screenshot_dir):
    base, page = live_server.url, front_page
    desk = Watched(browser, 1280, 900)
    tab = desk.page
    tab.goto(f"{base}/admin/login/?next=/admin/issues/page/{page.pk}/workspace/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", "pw-editor-123")
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{base}/admin/issues/page/{page.pk}/workspace/")
    workspace_url = tab.url
    desk.check()

    first = Article.objects.get(page=page, position=1)
    for selector in (
        f"#item-{first.pk} .ws-titles button.ws-save",
        f"#item-{first.pk} .ws-titles button[formaction$='/swap/']",
        f"#item-{first.pk}-p1 button.ws-save",
        f"#item-{first.pk}-p1 button[formaction$='/subhead/']",
    ):
        found = box(tab, selector)
        assert found["y"] + found["height"] <= 900, (selector, found)  # in the first screen
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.screenshot(path=str(screenshot_dir / "workspace-1280.png"))

    # The missing headline, written in place.
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).get(page=page)
    tab.fill(f"#item-{headless.pk} input[name=headline]", "编辑补上的主题")
    with tab.expect_navigation():
        tab.click(f"#item-{headless.pk} .ws-titles button.ws-save")
    assert "保存标题：完成" in tab.inner_text("ul.messagelist")
    headless.refresh_from_db()
    assert headless.headline == "编辑补上的主题" and not headless.has_flag(Flag.MISSING_HEADLINE)
    desk.check()

    # The paragraph a column break cut in two, joined.
    index = next(i for i, p in enumerate(headless.body) if p["text"].endswith("每天要上门为居家"))
    with tab.expect_navigation():
        tab.click(f"#item-{headless.pk}-p{index + 1} button[formaction$='/join/']")
    assert "与下段拼接：完成" in tab.inner_text("ul.messagelist")
    headless.refresh_from_db()
    assert "每天要上门为居家隔离和行动不便" in headless.body[index]["text"]
    assert "每天要上门为居家隔离和行动不便" in tab.input_value(f"#item-{headless.pk}-p{index + 1} textarea")
    desk.check()

    # Split, then merge back through the script's confirmation, which names the item.
    count, body = Article.objects.filter(page=page).count(), list(headless.body)
    with tab.expect_navigation():
        tab.click(f"#item-{headless.pk}-p3 button[formaction$='/split/']")
    new = Article.objects.get(page=page, position=headless.position + 1)
    assert Article.objects.filter(page=page).count() == count + 1
    asked: list[str] = []
    tab.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with tab.expect_navigation():
        tab.click(f"#item-{new.pk} form[action$='/merge/'] button")
    assert tab.url.endswith(f"#item-{headless.pk}")
    assert asked and "编辑补上的主题" in asked[0]
    headless.refresh_from_db()
    assert Article.objects.filter(page=page).count() == count and headless.body == body
    tab.screenshot(path=str(screenshot_dir / "workspace-1280-after.png"), full_page=True)
    desk.check()

    # A phone: one column, nothing wider than the screen.
    phone = Watched(browser, 390, 844, context=desk.context)
    phone.page.goto(workspace_url)
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), phone.page.evaluate(
        "document.documentElement.scrollWidth"
    )
    raw, items = box(phone.page, ".ws-raw"), box(phone.page, ".ws-items")
    assert raw["y"] > items["y"] and raw["width"] <= 390  # stacked: the items first
    phone.page.screenshot(path=str(screenshot_dir / "workspace-390.png"))
    phone.check()
