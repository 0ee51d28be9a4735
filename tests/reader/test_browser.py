"""A reader in headless Chromium: home page, walk to an article, search; phone and desktop."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE, import_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_sample(loop_connections, transactional_db, workers_daily):
    return import_published(SAMPLE.read_bytes(), SAMPLE.name)


@pytest.mark.parametrize(("label", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_reader_walks_from_home_to_an_article_and_searches(
    browser, live_server, published_sample, screenshot_dir, label, width, height
):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    assert "第21054期" in page.inner_text(".masthead")
    page.screenshot(path=str(screenshot_dir / f"public-home-{label}.png"), full_page=True)

    page.click("text=三级服务体系为职工减压赋能")
    page.wait_for_url("**/issues/2022-03-25/pages/1/2/")
    assert page.inner_text("h1") == "三级服务体系为职工减压赋能"
    assert "昆明市总借助人工智能" in page.inner_text(".story .kicker")
    page.screenshot(path=str(screenshot_dir / f"public-article-{label}.png"), full_page=True)

    page.fill("#site-q", "珐华")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.inner_text(".results mark") == "珐华"
    page.screenshot(path=str(screenshot_dir / f"public-search-results-{label}.png"), full_page=True)
    page.click(".results h2 a")
    assert page.inner_text("h1") == "重焕光彩的珐华技艺"
    page.screenshot(path=str(screenshot_dir / f"public-search-{label}.png"), full_page=True)

    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, "no horizontal scrolling"
    assert errors == []
