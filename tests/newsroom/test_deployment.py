"""Production settings pass Django's deploy checks; dependencies sit at or above their
latest security releases."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version

from tests.conftest import ROOT

FLOORS = {"django": (5, 2, 19), "pillow": (12, 3), "tablib": (3, 4), "django-import-export": (4, 0)}


def as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]+\])?==([\w.]+)", line.strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def test_every_runtime_requirement_is_pinned():
    lines = [
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines and all("==" in line for line in lines)


def test_security_floors_are_met_by_the_pins_and_the_installed_packages():
    pins = pinned()
    for name, floor in FLOORS.items():
        assert as_tuple(pins[name]) >= floor, f"{name} pinned below its security floor"
        assert as_tuple(version(name)) >= floor, f"{name} installed below its security floor"
    assert pins["django"].startswith("5.2."), "Django stays on the 5.2 LTS line"


def test_formula_escaping_and_import_export_permissions_are_on(settings):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
    assert settings.IMPORT_EXPORT_IMPORT_PERMISSION_CODE and settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE


def check_deploy(**overrides: str | None) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a production-like environment, with ``overrides``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}}
    env.update(DEBUG="0", HTTPS="1", ALLOWED_HOSTS="news.example.org")
    env.update({k: v for k, v in overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = check_deploy(SECRET_KEY="x7#k2!" + "q9Zr4Lw8Pv3Nm6Tb1Yc5Hd0Jf" * 3)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_key_is_caught_by_check_deploy():
    result = check_deploy()
    assert result.returncode != 0 and "W009" in result.stdout + result.stderr
