"""Shared fixtures: the sample issue imported into the real test database, and a browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
# Where our templates are: the public site's (Jinja2) and the desk's (Django's engine).
TEMPLATE_DIRS = [ROOT / "reader" / "jinja2", ROOT / "templates"]
SAMPLE = ROOT / "samples" / "workers-daily-2022-03-25.txt"
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def static_manifest() -> Path:
    """The suite renders pages with production's hashed static storage, which needs the
    manifest `collectstatic` writes (`make setup` does): build it when it is missing or older
    than a static source file, so that a bare `pytest` works on a fresh clone too."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    built = manifest.stat().st_mtime if manifest.exists() else 0.0
    sources = (storage.path(path) for finder in get_finders() for path, storage in finder.list(["CVS", ".*", "*~"]))
    if any(Path(source).stat().st_mtime > built for source in sources):
        call_command("collectstatic", interactive=False, verbosity=0)
    return manifest


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def sample_issue(db, sample_bytes):
    """The sample front page imported through the real write path, published."""
    return import_published(sample_bytes, SAMPLE.name)


@pytest.fixture
def fresh_cache():
    """An empty page cache before and after the test: cached pages never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def loop_connections(browser, monkeypatch):
    """What every browser test needs around Playwright. Its sync API runs an event loop in this
    thread (the ORM calls here are plain set-up); the connections opened meanwhile are closed
    afterwards, or PostgreSQL refuses to drop the test database. Static files are served as in
    production: the live server's own handler knows no hashed name, so WhiteNoise answers."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(StaticFilesHandlerMixin, "_should_handle", lambda self, path: False)
    yield
    connections.close_all()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path


def make_user(name: str, group: str | None = None, staff: bool = True):
    """A user with a known password, optionally in one of the desk's groups."""
    from django.contrib.auth.models import Group, User

    account = User.objects.create_user(name, password="pw-" + name, is_staff=staff)  # noqa: S106
    if group:
        account.groups.add(Group.objects.get(name=group))
    return account


def write_archive(folder: Path, issues: int, *options: str) -> Path:
    """Generated raw issues from bench/make_archive.py (deterministic), in ``folder``."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_archive.py"), str(issues), str(folder), *options],
        check=True,
        capture_output=True,
    )
    return folder


def import_generated(folder: Path) -> list:
    """Two generated issues after the sample's date (the second much larger), published."""
    write_archive(folder, 2, "--start", "2022-03-26", "--serial", "21055", "--items", "8")
    return [import_published(path.read_bytes(), path.name) for path in sorted(folder.glob("*.txt"))]


def import_published(data: bytes, source_name: str):
    """Import through the real write path and publish at once, flags overridden (test set-up)."""
    from issues.importing import do_import_issue

    return publish(do_import_issue(data, source_name=source_name).issue)


def publish(issue, at=None):
    """Publish (or, with ``at`` ahead, schedule) through the workflow as the test set-up."""
    from desk.workflow import do_publish_issue

    do_publish_issue(issue, None, at=at, override=True, reason="测试数据", actor="测试")
    return issue


def retract(issue):
    """Retract through the workflow as the test set-up."""
    from desk.workflow import do_retract_issue

    do_retract_issue(issue, None, actor="测试")
    return issue


def pdf_bytes(pages: int = 1) -> bytes:
    """A plain PDF made with pikepdf: ``pages`` pages, each drawing a line and its number."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    for number in range(1, pages + 1):
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[-1].Contents = pdf.make_stream(b"0 0 m 100 %d l S" % number)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
