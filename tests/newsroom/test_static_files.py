"""The app serves its own static files (WhiteNoise): hashed names cached for a year, the
public site's and the admin's styles, a favicon, all from gunicorn alone."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT

YEAR = 365 * 24 * 3600


@pytest.fixture(autouse=True)
def production_whitenoise(settings):
    """WhiteNoise as in production: STATIC_ROOT indexed once (the suite looks files up per request)."""
    settings.WHITENOISE_AUTOREFRESH = False


def hashed_links(html: str, suffix: str) -> list[str]:
    """The static URLs a page links that end in ``suffix``, e.g. ``.css``."""
    return re.findall(rf'href="(/static/[^"]+\.[0-9a-f]{{12}}{re.escape(suffix)})"', html)


def assert_long_lived(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
    assert max_age >= YEAR and "immutable" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_site_stylesheet_has_a_hashed_name_served_for_a_year(client, sample_issue):
    html = client.get("/").content.decode()
    assert "/static/css/site.css" not in html
    [stylesheet] = hashed_links(html, ".css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    response = client.get(stylesheet)
    assert_long_lived(response, "text/css")
    assert b"--accent" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_static_files_go_out_compressed_to_clients_that_accept_it(client, sample_issue):
    [stylesheet] = hashed_links(client.get("/").content.decode(), ".css")
    response = client.get(stylesheet, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]


def test_the_admin_styles_are_hashed_and_served(client):
    html = client.get("/admin/login/").content.decode()
    sheets = hashed_links(html, ".css")
    assert any("/static/admin/css/base." in sheet for sheet in sheets), sheets
    for sheet in sheets:
        assert_long_lived(client.get(sheet), "text/css")


def test_an_unhashed_name_is_served_briefly_only(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200 and "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_pages_link_the_favicon(client, sample_issue, url):
    html = client.get(url).content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert len(icons) == 2 and all(re.search(r"\.[0-9a-f]{12}\.(ico|svg)$", icon) for icon in icons)
    for icon in icons:
        assert client.get(icon).status_code == 200


def test_favicon_ico_at_the_root_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "max-age=86400" in response["Cache-Control"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.ico", response.url)
    icon = client.get(response.url)
    assert_long_lived(icon, "image/")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00", "an ICO file"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own local server
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(tmp_path, static_manifest):
    """gunicorn alone, as in production: DEBUG off, nothing in front of it."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gunicorn_alone_serves_the_admin_and_the_site_styled(gunicorn, static_manifest):
    status, _, body = fetch(gunicorn + "/admin/login/")
    assert status == 200
    sheets = hashed_links(body.decode(), ".css")
    assert sheets
    sheets.append("/static/" + json.loads(static_manifest.read_text())["paths"]["css/site.css"])
    for sheet in sheets:
        status, headers, css = fetch(gunicorn + sheet)
        assert status == 200 and headers["Content-Type"].startswith("text/css") and css
        assert "immutable" in headers["Cache-Control"]
    status, headers, _ = fetch(gunicorn + "/favicon.ico")
    assert status == 200 and headers["Content-Type"].startswith("image/"), "redirect followed to the icon"
