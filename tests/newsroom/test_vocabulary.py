"""Vocabulary is defined once: flag codes, import outcomes and import stages are enums.

A flag code written as a string anywhere but its two definitions, or a JSON-text search for
one, fails here; so does an import stage that is not also an import job's status.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from articles.flags import Flag
from issues.importing import ImportOutcome
from issues.models import ImportJob, ImportStage
from tests.conftest import ROOT, TEMPLATE_DIRS

PACKAGES = ("issues", "articles", "desk", "reader")
DEFINITIONS = {ROOT / "issues" / "importer" / "flags.py", ROOT / "articles" / "flags.py"}
CODE = re.compile(r"\b(" + "|".join(re.escape(flag.value) for flag in Flag) + r")\b")
JSON_SEARCH = re.compile(r"flags__i?contains")


def sources() -> list[Path]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    return [p for p in files if "migrations" not in p.parts and p not in DEFINITIONS]


def literal_codes(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``path`` that names a flag code."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        (node.lineno, node.value[:60])
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.search(node.value)
    ]


def test_flag_codes_are_written_only_in_the_flag_modules():
    assert len(sources()) > 40
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in sources() for line, text in literal_codes(path)
    ]
    templates = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html") if CODE.search(p.read_text(encoding="utf-8"))]
    assert offenders == [] and templates == [], "use the Flag enum (articles.flags) instead"


def test_no_json_text_search_for_flags():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if JSON_SEARCH.search(line)
    ]
    assert offenders == [], "items with a flag: Article.objects.with_flag(code), an indexed query"


def test_the_scan_sees_a_literal_when_there_is_one(tmp_path):
    planted = tmp_path / "planted.py"
    code = Flag.MISSING_HEADLINE.value
    planted.write_text(f'"""About {code}."""\nx = [f for f in flags if f != "{code}"]\ny = f"{{x}}:{code}"\n')
    assert sorted(line for line, _ in literal_codes(planted)) == [1, 2, 3]


def test_every_import_stage_is_a_job_status_with_the_same_label():
    for stage in ImportStage:
        assert ImportJob.Status(stage.value).label == stage.label
    assert set(ImportJob.PROGRESS) == set(ImportJob.Status)


def test_import_outcomes_read_in_chinese():
    assert all(re.search(r"[\u4e00-\u9fff]", outcome.label) for outcome in ImportOutcome)
    assert len({outcome.label for outcome in ImportOutcome}) == len(ImportOutcome)
