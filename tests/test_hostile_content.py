"""A raw issue file carrying hostile text imports it as text, and every output shows it inert.

The sample with script tags, an event handler, a javascript: link, HTML entities, an RTL
override, zero-width characters and formula prefixes written into a kicker, a headline and
a paragraph; then every reader page, feed, JSON answer, download, admin page and
spreadsheet export that shows those items.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from articles.models import Article
from tests.conftest import import_published, make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = "<img/src=x/onerror=alert(2)>"
LINK = '<a href="javascript:alert(3)">点我</a>'
INVISIBLE = "&amp;&#60;\u200b\u200d\u202e"
HEADLINE = "三级服务体系为职工减压赋能"
KICKER = "昆明市总借助人工智能、物联网等技术,打造心理服务枢纽"
# A title line longer than the column reads as body text, so the markup replaces words.
HOSTILE_KICKER = f"@{KICKER[:10]}{IMG}"
PARAGRAPH = "记者在赋能中心看到"


@pytest.fixture
def hostile(sample_bytes, workers_daily, fresh_cache) -> Article:
    text = sample_bytes.decode("utf-8")
    text = text.replace(HEADLINE, f"={HEADLINE}{SCRIPT}", 1)
    text = text.replace(KICKER, HOSTILE_KICKER, 1)
    text = text.replace(PARAGRAPH, f"{LINK}{INVISIBLE}{PARAGRAPH}", 1)
    issue = import_published(text.encode("utf-8"), "hostile.txt")
    return Article.objects.get(page__issue=issue, headline__contains=HEADLINE)


def test_hostile_text_is_imported_as_text(hostile):
    assert hostile.headline == f"={HEADLINE}{SCRIPT}"
    assert hostile.kicker == HOSTILE_KICKER
    # Straight quotes become the curly ones Chinese text uses; nothing else is touched.
    as_read = LINK.replace('"javascript:alert(3)"', "“javascript:alert(3)”")
    assert as_read + INVISIBLE in hostile.body_text(), "entities stay literal, invisible characters kept"


def assert_inert_html(body: str, where: str) -> None:
    for live in ("<script>alert", "<img/src", "<a href=“javascript"):
        assert live not in body, f"{where}: {live}"
    assert "&lt;script&gt;alert(1)" in body or "&lt;script&gt;" in body, f"{where}: the text is shown, escaped"


def test_every_reader_page_escapes_it(client, hostile):
    pages = [
        "/",
        hostile.page.issue.get_absolute_url(),
        hostile.page.get_absolute_url(),
        hostile.get_absolute_url(),
        "/search/?q=" + HEADLINE,
        f"/people/{hostile.people.first().pk}/" if hostile.people.exists() else "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert_html(response.content.decode(), url)


def test_feeds_escape_it_as_xml_text(client, hostile):
    for url in ("/feeds/rss/", "/feeds/atom/"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body and IMG not in body and "&lt;script&gt;" in body, url


def test_json_carries_it_exactly_with_no_html_sniffing(client, hostile):
    issue = hostile.page.issue
    url = f"/api/issues/{issue.date.isoformat()}/pages/{hostile.page.number}/{hostile.position}/"
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data["headline"] == hostile.headline and data["kicker"] == hostile.kicker
    assert "<script>" not in response.content.decode(), "escaped as \\u003c in the JSON text too"


def test_the_text_download_is_plain_text(client, hostile):
    response = client.get(hostile.get_absolute_url().rstrip("/") + ".txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8" and response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in response.content.decode(), "plain text, verbatim"


def test_admin_pages_escape_it(client, hostile):
    client.force_login(make_user("chief", "Chief editors"))
    for url in (
        "/admin/articles/article/?q=" + HEADLINE,
        f"/admin/articles/article/{hostile.pk}/change/",
        f"/admin/articles/article/{hostile.pk}/tool/split/",
        f"/admin/articles/article/{hostile.pk}/history/",
        "/admin/articles/article/review/",
        f"/admin/issues/issue/{hostile.page.issue.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SCRIPT not in body and IMG not in body and LINK not in body, url


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_every_formula_prefix(client, hostile, prefix, fmt):
    hostile.headline = f'{prefix}HYPERLINK("http://evil")'
    hostile.save()
    client.force_login(make_user("chief", "Chief editors"))
    response = client.post(
        "/admin/articles/article/export/",
        {
            "format": {"csv": "0", "xlsx": "1"}[fmt],
            "resource": "0",
            **{f"articleresource_{f}": "on" for f in ("id", "kicker", "headline")},
        },
    )
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, *body = [[c.value for c in row] for row in sheet.iter_rows()]
        rows = [dict(zip(header, r, strict=True)) for r in body]
    row = {str(r["编号"]): r for r in rows}[str(hostile.pk)]
    # (CSV writers may turn a lone CR into LF; what matters is the apostrophe in front.)
    assert row["主题"][0] == "'" and row["主题"][2:] == hostile.headline[1:], "the apostrophe makes it text"
    assert row["引题"] == "'" + hostile.kicker
    for r in rows:
        for value in r.values():
            assert not (isinstance(value, str) and re.match(r"[=+\-@\t\r]", value)), value
