"""Production settings pass Django's deploy checks and refuse to start on the development key;
dependencies sit at or above their latest security releases."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from newsroom.settings import DEV_SECRET_KEY
from tests.conftest import ROOT

REAL_KEY = "x7#k2!" + "q9Zr4Lw8Pv3Nm6Tb1Yc5Hd0Jf" * 3
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


def production_env(**overrides: str | None) -> dict[str, str]:
    """The test process's environment made production-like: production's settings module, no
    key unless ``overrides`` give one."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DEBUG="0", HTTPS="1", ALLOWED_HOSTS="news.example.org")
    env.update({k: v for k, v in overrides.items() if v is not None})
    return env


def check_deploy(**overrides: str | None) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a production-like environment, with ``overrides``."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
    )


def start_django(**overrides: str | None) -> subprocess.CompletedProcess:
    """What a server does first: load the WSGI application (gunicorn imports newsroom.wsgi)."""
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi; print('started')"],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = check_deploy(SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", [None, "", "  ", DEV_SECRET_KEY])
def test_production_refuses_to_start_without_a_real_key(key):
    result = start_django(SECRET_KEY=key)
    assert result.returncode != 0 and "started" not in result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set")


def test_production_starts_with_a_key_and_a_laptop_without_one():
    assert start_django(SECRET_KEY=REAL_KEY).stdout.strip() == "started"
    assert start_django(DEBUG="1", HTTPS="0").stdout.strip() == "started"


def test_the_development_key_is_refused_by_check_deploy_too():
    result = check_deploy(SECRET_KEY=DEV_SECRET_KEY)
    assert result.returncode != 0 and "security.W009" in result.stdout + result.stderr


def test_a_command_that_signs_nothing_runs_without_a_key():
    sample = str(ROOT / "samples" / "workers-daily-2022-03-25.txt")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_issue", sample, "--dry-run", "--json"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert '"date": "2022-03-25"' in result.stdout
