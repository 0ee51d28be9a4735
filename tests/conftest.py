"""Shared fixtures: the sample issue imported into the real test database, and a browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "workers-daily-2022-03-25.txt"
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def sample_issue(db, sample_bytes):
    """The sample front page imported through the real write path, published."""
    from issues.importing import do_import_issue

    return do_import_issue(sample_bytes, source_name=SAMPLE.name, publish=True).issue


@pytest.fixture
def workers_daily(db):
    """The publication a migration seeds; transactional tests flush it, so make sure of it."""
    from issues.models import Publication

    return Publication.objects.get_or_create(
        slug="workers-daily",
        defaults={"name": "工人日报", "name_en": "Workers' Daily", "aliases": ["WORKERS' DAILY"]},
    )[0]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def browser(chromium_path):
    """A headless Chromium driven by Playwright; screenshots go under SCREENSHOT_DIR."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path
