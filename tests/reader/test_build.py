"""The rendered edition's build identity changes with every input that shapes a page, and with
nothing else; a changed build retires every stored page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import RequestFactory

from issues.models import EditionPage
from reader import build, edition
from tests.conftest import ROOT, TEMPLATE_DIRS

PAGE = "/issues/2022-03-25/pages/1/"
MARKER = "<p>the stored rendering</p>"


@pytest.fixture
def stored_page(settings, sample_issue, fresh_cache):
    """The sample's first page stored under this build, with a marker in place of its HTML."""
    settings.PUBLIC_PAGE_STORE = True
    build.build_id.cache_clear()
    edition.render_issues([sample_issue.pk])
    EditionPage.objects.filter(path=PAGE).update(html=MARKER)
    assert served()
    yield
    build.build_id.cache_clear()


def served() -> bool:
    """Whether the stored row would answer a reader now."""
    response = edition.stored_response(RequestFactory().get(PAGE), "hans")
    return response is not None and response.content.decode() == MARKER


@pytest.fixture
def edit():
    """Change a project file for the test (``edit(path, old, new)``); restored afterwards."""
    originals: dict[Path, bytes] = {}

    def change(relative: str, old: str | None = None, new: str = "") -> None:
        path = ROOT / relative
        originals.setdefault(path, path.read_bytes())
        text = path.read_text(encoding="utf-8")
        if old is None:
            text += new
        else:
            assert old in text, f"{relative} no longer has {old!r}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")

    yield change
    for path, content in originals.items():
        path.write_bytes(content)


SHAPES_PAGES = [
    ("reader/jinja2/reader/page.html", None, "{# changed #}\n"),
    ("reader/jinja2/base.html", "<main", '<main data-x="1"'),
    ("templates/_favicon.html", "sizes=", "data-x sizes="),
    ("reader/templating.py", None, "\n# changed\n"),
    ("reader/views/issues.py", None, "\n# changed\n"),
    ("reader/cache.py", 'opencc.OpenCC("s2tw")', 'opencc.OpenCC("s2hk")'),
    ("articles/images.py", "RENDITION_WIDTHS = (480, 960, 1600)", "RENDITION_WIDTHS = (480, 960, 1920)"),
    ("articles/models.py", None, "\n# changed\n"),
    ("articles/segmentation.py", None, "\n# changed\n"),  # imported by articles/models.py
    ("issues/models.py", None, "\n# changed\n"),
    ("newsroom/urls.py", None, "\n# changed\n"),
]


@pytest.mark.parametrize(("relative", "old", "new"), SHAPES_PAGES, ids=[case[0] for case in SHAPES_PAGES])
def test_a_change_to_code_or_a_template_retires_the_stored_pages(stored_page, edit, relative, old, new):
    before = build.build_id()
    edit(relative, old, new)
    assert build.build_id() == before and served(), "a running process keeps the build it started with"
    build.build_id.cache_clear()  # as a new process after the deploy
    assert build.build_id() != before
    assert not served()


NOT_PAGES = [
    "desk/admin/issues.py",
    "desk/tools.py",
    "issues/importer/parser.py",
    "issues/importing.py",
    "issues/management/commands/import_issue.py",
    "tests/reader/test_edition.py",
    "bench/load_bench.py",
]


@pytest.mark.parametrize("relative", NOT_PAGES)
def test_a_change_to_code_that_renders_no_page_keeps_them(stored_page, edit, relative):
    before = build.build_id()
    edit(relative, None, "\n# changed\n")
    build.build_id.cache_clear()
    assert build.build_id() == before and served()


def test_the_static_manifest_is_part_of_the_build(stored_page, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    before = build.build_id()
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}}))
    build.build_id.cache_clear()
    assert build.build_id() != before and not served()


CHANGED_SETTINGS = {
    "SITE_URL": "https://other.example.org",
    "STATIC_URL": "/assets/",
    "MEDIA_URL": "/files/",
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": "/files/"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "LANGUAGE_CODE": "zh-hant",
    "TIME_ZONE": "Asia/Taipei",
    "USE_I18N": False,
}


def test_every_rendering_setting_is_tested():
    assert set(build.RENDERING_SETTINGS) - set(CHANGED_SETTINGS) == {"USE_TZ", "TEMPLATES"}


@pytest.mark.parametrize("name", sorted(CHANGED_SETTINGS))
def test_a_change_to_a_setting_that_reaches_pages_retires_them(stored_page, settings, name):
    before = build.build_id()
    setattr(settings, name, CHANGED_SETTINGS[name])
    assert build.build_id() != before
    assert not served()


def test_a_change_to_the_template_settings_retires_them(stored_page, settings):
    before = build.build_id()
    jinja, django_engine = (dict(engine) for engine in settings.TEMPLATES)
    jinja["OPTIONS"] = {**jinja["OPTIONS"], "trim_blocks": True}
    settings.TEMPLATES = [jinja, django_engine]
    assert build.build_id() != before and not served()


def test_use_tz_is_part_of_the_build(settings):
    build.build_id.cache_clear()
    before = build.build_id()
    settings.USE_TZ = False
    try:
        assert build.build_id() != before
    finally:
        settings.USE_TZ = True
        build.build_id.cache_clear()


def test_other_settings_leave_the_build_alone(stored_page, settings):
    before = build.build_id()
    settings.AXES_FAILURE_LIMIT = 99
    settings.EDITION_RENDER_ON_CHANGE = False
    assert build.build_id() == before and served()


def test_the_code_that_counts_is_derived_from_the_imports():
    files, outside = build.code()
    relative = {path.relative_to(ROOT).as_posix() for path in files}
    assert {"articles/images.py", "reader/templating.py", "reader/edition.py", "newsroom/urls.py"} <= relative
    # Reached legitimately: every tag library the template engine can load (the desk's too),
    # and the flag vocabulary that the models import. Nothing else of the desk or importer.
    reached = {"desk/templatetags/flags.py", "issues/importer/flags.py"}
    assert not [p for p in relative - reached if p.split("/")[0] in {"desk", "tests", "bench"} or "importer" in p]
    assert {"django", "opencc"} <= outside
    labels = [label for label, _ in build.inputs()]
    assert any(label.startswith("distribution:django") for label in labels)
    assert "template:0:reader/page.html" in labels and "static-manifest" in labels


def test_the_templates_that_count_are_both_engines_folders():
    """The public site's Jinja2 folder and the desk's Django one (whose _favicon.html the
    public pages include): every folder a loader searches, and so tests' TEMPLATE_DIRS."""
    folders = {folder for _, folder, _ in build.template_files()}
    assert set(TEMPLATE_DIRS) <= folders
