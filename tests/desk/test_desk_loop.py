"""Issue #13's acceptance loop in headless Chromium, on the real sample, through the UI only.

An Editor opens the desk's start page, follows the review queue to the item missing its
headline and writes one in the page workspace, joins the paragraph a column break cut in
two, splits an item and merges it back, moves a paragraph to another item, changes a third
item, undoes the move from the page history (the later change to the other item stays),
previews the unpublished issue on the public site and sends it for review. The Chief editor
publishes it (overriding the flags left, with a reason). The Editor changes a published
headline: the reader still sees the old one until the Chief publishes the revision.

Every page visited is watched for console errors, script errors, failed requests and
Content-Security-Policy violations (reported with the page's address, asserted at the end);
the key desk pages are saved at 1280 and 390 px under pytest's tmp_path."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from articles.flags import Flag
from articles.models import Article, ArticleRevision
from issues.importing import do_import_issue
from issues.models import Issue
from tests.conftest import SAMPLE
from tests.desk.groups import desk_accounts
from tests.desk.test_browser import log_in
from tests.desk.test_workspace_browser import box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN = "每天要上门为居家"  # the front page paragraph a column break cut before 隔离和行动不便
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCsp(e.documentURI, e.violatedDirective + " " + e.blockedURI);
});
"""


class Watch:
    """One browser context (one person), its problems collected per page address."""

    def __init__(self, browser, problems: dict[str, list[str]], width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.expose_function("__reportCsp", lambda url, text: problems[url].append(f"CSP: {text}"))
        self.context.add_init_script(REPORT_CSP)
        self.page = page = self.context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: m.type == "error" and problems[page.url].append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: problems[page.url].append(f"script: {exc}"))
        page.on("response", lambda r: r.status >= 400 and problems[page.url].append(f"{r.status} {r.url}"))
        page.on("dialog", self._answer)
        self.dialogs: list[str] = []
        self.visited: list[str] = []
        page.on("load", lambda: self.visited.append(page.url))

    def _answer(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def click(self, selector: str, **kwargs) -> None:
        """Click something that loads a new page and wait for it."""
        with self.page.expect_navigation():
            self.page.locator(selector, **kwargs).first.click()

    def message(self) -> str:
        return self.page.inner_text("ul.messagelist")

    def shoot(self, folder: Path, name: str) -> None:
        """The current page at 1280 and at 390 px, whole; neither scrolls sideways."""
        size = self.page.viewport_size
        for width in (1280, 390):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} at {width} px scrolls sideways ({wide} px wide)"
        self.page.set_viewport_size(size)


@pytest.fixture
def desk(loop_connections, workers_daily):  # noqa: F811
    """The sample issue imported (not published), an Editor and a Chief editor."""
    desk_accounts(("editor", "Editors"), ("chief", "Chief editors"))
    return do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue


def paragraph_id(tab, item_pk: int, ending: str) -> str:
    """The workspace paragraph of item ``item_pk`` whose text ends with ``ending``."""
    return tab.evaluate(
        """([pk, ending]) => [...document.querySelectorAll(`#item-${pk} li.ws-paragraph`)]
             .find((li) => li.querySelector("textarea").value.trim().endsWith(ending)).id""",
        [item_pk, ending],
    )


def test_the_desk_loop(browser, live_server, desk, tmp_path):
    base, issue = live_server.url, desk
    shots = tmp_path / "desk-loop"
    shots.mkdir()
    print(f"\nscreenshots: {shots}")
    problems: dict[str, list[str]] = defaultdict(list)
    editor = Watch(browser, problems)
    tab = editor.page

    # The start page: the review queue names the missing headline and links to the item.
    log_in(tab, base, "editor")
    assert "工人日报 编辑部" in tab.inner_text("#header")
    editor.shoot(shots, "start")
    label = Flag.MISSING_HEADLINE.label
    editor.click(f".desk-queue a:has-text('{label}')")
    editor.click("#result_list tbody th a")
    headless = Article.objects.get(pk=int(re.search(r"/article/(\d+)/change/", tab.url)[1]))
    assert headless.has_flag(Flag.MISSING_HEADLINE) and label in tab.inner_text("ul.flags")
    editor.click("#content .object-tools a:has-text('版面工作台')")
    page = headless.page
    workspace = f"{base}/admin/issues/page/{page.pk}/workspace/"
    assert tab.url == f"{workspace}#item-{headless.pk}"
    editor.shoot(shots, "workspace")

    # The missing headline, written in place.
    item = f"#item-{headless.pk}"
    tab.fill(f"{item} input[name=headline]", "编辑补上的主题")
    editor.click(f"{item} .ws-titles button.ws-save")
    assert "保存标题：完成" in editor.message()
    assert label not in tab.inner_text(item)

    # The column-broken paragraph, joined with the next one.
    broken = paragraph_id(tab, headless.pk, BROKEN)
    editor.click(f"#{broken} button:has-text('与下段拼接')")
    assert "与下段拼接：完成" in editor.message()
    assert BROKEN + "隔离和行动不便" in tab.input_value(f"#{broken} textarea")

    # Split the item at its third paragraph, then merge the new item back (the script asks).
    count = len(tab.locator(".ws-item").all())
    editor.click(f"#item-{headless.pk}-p3 button:has-text('在此拆分')")
    assert "在此拆分：完成" in editor.message() and len(tab.locator(".ws-item").all()) == count + 1
    split_off = tab.locator(f"{item} + .ws-item").get_attribute("id")
    editor.click(f"#{split_off} form[action$='/merge/'] button")
    assert editor.dialogs and "编辑补上的主题" in editor.dialogs[-1]
    assert "并入上一篇：完成" in editor.message() and len(tab.locator(".ws-item").all()) == count
    joined = headless.body
    headless.refresh_from_db()
    assert headless.headline == "编辑补上的主题" and len(headless.body) == len(joined) - 1

    # Move the last paragraph of one item to the start of the next.
    others = list(Article.objects.filter(page=page).exclude(pk=headless.pk).order_by("position"))
    source, target = others[0], others[1]
    third = next(a for a in others[2:] if a.body and a.body[0]["kind"] == "text")
    moved = source.body[-1]["text"]
    last = f"#item-{source.pk} li.ws-paragraph >> nth=-1"
    tab.locator(f"{last} >> select[name=target]").select_option(str(target.pk))
    with tab.expect_navigation():
        tab.locator(f"{last} >> button:has-text('移到该篇')").click()
    assert "移到另一篇：完成" in editor.message()
    assert moved in tab.input_value(f"#item-{target.pk} li.ws-paragraph >> nth=0 >> textarea")

    # A later change to a third item: its first paragraph made a subhead.
    editor.click(f"#item-{third.pk}-p1 button:has-text('设为小标题')")
    assert "切换小标题：完成" in editor.message()

    # Undo the move from the page's history: the two items it touched come back, the later
    # change to the third item and the headline stay.
    editor.click("ul.messagelist a:has-text('改动历史')")
    assert tab.url == f"{base}/admin/issues/page/{page.pk}/history/"
    editor.shoot(shots, "history")
    row = tab.locator("table.desk-history tbody tr", has_text="移动段落")
    with tab.expect_navigation():
        row.locator("button.undo").click()
    assert "只撤销这一步改动的稿件" in tab.inner_text("#content")
    editor.click("#content input[type=submit].default")
    assert "已撤销" in editor.message()
    assert Article.objects.get(pk=source.pk).body == source.body
    assert Article.objects.get(pk=target.pk).body == target.body
    assert Article.objects.get(pk=third.pk).body[0]["kind"] == "subhead"
    assert Article.objects.get(pk=headless.pk).headline == "编辑补上的主题"

    # Back to the start page, into the page's workspace, and preview the unpublished issue
    # on the public site; the banner leads back to the issue page, whose button sends it for review.
    editor.click("#site-name a")
    editor.click(f".desk-issues a.workspace[href$='/page/{page.pk}/workspace/']")
    assert tab.url == workspace
    editor.click("a.ws-site")
    assert tab.url == f"{base}/issues/{issue.date.isoformat()}/pages/{page.number}/"
    assert "预览" in tab.inner_text(".preview-banner") and "编辑补上的主题" in tab.inner_text("main")
    assert not Issue.objects.get(pk=issue.pk).is_visible()
    editor.click(".preview-banner a")
    assert tab.url == f"{base}/admin/issues/issue/{issue.pk}/change/"
    editor.click("form.workflow-action button:has-text('送审')")
    assert "已送审" in editor.message()
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.IN_REVIEW

    # The Chief editor publishes, overriding the flags still open with a reason.
    chief = Watch(browser, problems)
    log_in(chief.page, base, "chief")
    chief.click(f".desk-issues a[href$='/admin/issues/issue/{issue.pk}/change/']")
    chief.click("form.workflow-action button:has-text('发布')")
    chief.page.check("#id_override")
    chief.page.fill("#id_reason", "主题已补，其余标记已核对")
    chief.click("#content input[type=submit]")
    assert "已发布" in chief.message()
    assert Issue.objects.get(pk=issue.pk).is_visible()

    # The Editor changes a published headline: it waits as a revision.
    article_url = (
        f"{base}/issues/{issue.date.isoformat()}/pages/{page.number}/{Article.objects.get(pk=headless.pk).position}/"
    )
    reader = Watch(browser, problems, 390, 844)
    reader.page.goto(article_url)
    assert reader.page.inner_text("h1") == "编辑补上的主题"
    editor.click("#site-name a")
    editor.click(f".desk-edits a[href$='/article/{headless.pk}/change/']")
    tab.fill("#id_headline", "编辑再改的主题")
    editor.click("input[name=_continue]")
    assert "待发布修改" in editor.message()
    reader.page.reload()
    assert reader.page.inner_text("h1") == "编辑补上的主题"

    # The Chief finds it in the review queue, reads the diff and publishes it.
    chief.click("#site-name a")
    chief.click(".desk-queue h2 a")
    chief.click("ul.pending-revisions a")
    assert "编辑再改的主题" in chief.page.inner_text("table.revision-diff")
    assert "改动的字段：主题" in chief.page.inner_text(".revision-changed")
    publish = box(chief.page, "input[type=submit].default")
    assert publish["y"] + publish["height"] <= 900, publish  # in the first screen
    chief.shoot(shots, "diff")
    chief.click("input[type=submit].default")
    assert "已发布修改稿" in chief.message()
    assert ArticleRevision.objects.get(article=headless.pk).state == ArticleRevision.State.PUBLISHED
    reader.page.reload()
    assert reader.page.inner_text("h1") == "编辑再改的主题"

    visited = editor.visited + chief.visited + reader.visited
    assert dict(problems) == {}, dict(problems)
    assert len(visited) > 20, visited
