"""Every desk page in headless Chromium, as an Editor and as a Chief editor: no script error,
no console error and no Content-Security-Policy violation. The pages are the ones
tests/desk/test_desk_language.py walks (every admin URL the site registers)."""

from __future__ import annotations

import pytest
from django.contrib import admin

from articles.models import Article
from desk import tools as editing
from issues.importing import do_import_issue
from issues.models import ImportJob
from tests.conftest import SAMPLE
from tests.desk.desk_pages import desk_urls
from tests.desk.groups import desk_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium reports violations as events; collect them from the first script on.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def desk_rows(loop_connections, transactional_db, workers_daily):
    issue = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
    users = desk_accounts(("editor", "Editors"), ("chief", "Chief editors"))
    article = Article.objects.filter(page__issue=issue, kind="article").order_by("position")[1]
    editing.do_swap_titles(article, "kicker", "headline", user=users["editor"])
    job = ImportJob.objects.create(source_name="sample.txt", data=SAMPLE.read_bytes(), created_by=users["chief"])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    rows = {model: model._default_manager.order_by("pk").first() for model in admin.site._registry}
    rows[Article] = article
    return rows


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"pw-{name}-123")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_no_desk_page_logs_an_error_or_a_csp_violation(browser, live_server, desk_rows, screenshot_dir, role):
    urls, _ = desk_urls(desk_rows)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: {exc}"))
    page.on(
        "console",
        lambda msg: msg.type == "error" and problems.append(f"{page.url}: {msg.text} {msg.location.get('url', '')}"),
    )
    log_in(page, live_server.url, role)
    page.screenshot(path=str(screenshot_dir / f"desk-start-{role}.png"), full_page=True)
    for url in urls:
        before = len(problems)
        response = page.goto(live_server.url + url)
        if response is None or response.status in {403, 404}:
            del problems[before:]  # a refusal (the permission matrix's business) logs its status
            continue
        page.wait_for_load_state("load")
        problems += [f"{url}: CSP {v}" for v in page.evaluate("window.__violations || []")]
    assert problems == []
    context.close()


def test_the_export_pages_select_all_works_under_the_csp(browser, live_server, desk_rows):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    log_in(page, live_server.url, "editor")
    page.goto(live_server.url + "/admin/articles/article/export/")
    boxes = ".selectable-field-export-row input[type=checkbox]"
    assert page.locator(boxes).count() > 3
    page.uncheck("#select-all-toggle")
    assert not any(page.locator(boxes).nth(n).is_checked() for n in range(page.locator(boxes).count()))
    page.check("#select-all-toggle")
    assert all(page.locator(boxes).nth(n).is_checked() for n in range(page.locator(boxes).count()))
    assert page.evaluate("window.__violations") == []
    context.close()
