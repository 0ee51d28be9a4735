"""Flags in the desk: labels and explanations instead of codes, counts without a query per
row, the filter by flag, review state on the item page, uploads and exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.flags import Flag
from articles.models import Article, ArticleFlag
from desk import jobs
from issues.importing import do_import_issue
from issues.models import ImportJob
from tests.conftest import make_user, write_archive

pytestmark = pytest.mark.django_db

ISSUES = "/admin/issues/issue/"
ITEMS = "/admin/articles/article/"


@pytest.fixture
def chief(db):
    return make_user("chief", "Chief editors")


def issue_list_queries(client) -> tuple[int, dict[str, str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ISSUES)
    assert response.status_code == 200
    counts = dict(
        re.findall(
            r'<th class="field-date[^"]*"><a href="[^"]*">([^<]+)</a></th>.*?<td class="field-flagged_items">(\d+)</td>',
            response.content.decode(),
            re.S,
        )
    )
    return len(queries), counts


def test_the_issue_list_counts_flagged_items_in_constant_queries(client, chief, sample_issue, tmp_path):
    client.force_login(chief)
    one, counts = issue_list_queries(client)
    flagged = Article.objects.filter(page__issue=sample_issue).flagged().count()
    assert list(counts.values()) == [str(flagged)]

    for path in sorted(
        write_archive(tmp_path, 4, "--start", "2022-03-26", "--serial", "21055", "--items", "3").glob("*.txt")
    ):
        do_import_issue(path.read_bytes(), source_name=path.name)
    five, counts = issue_list_queries(client)
    assert len(counts) == 5 and five == one
    Article.objects.filter(page__issue=sample_issue).flagged().first().mark_reviewed(chief)
    _, after = issue_list_queries(client)
    assert {date: int(n) for date, n in after.items() if n != counts[date]} == {"2022年3月25日": flagged - 1}


def test_filter_by_flag_and_the_review_queue(client, chief, sample_issue):
    client.force_login(chief)
    quotes = Article.objects.with_flag(Flag.UNBALANCED_QUOTES)
    listing = client.get(f"{ITEMS}?flag={Flag.UNBALANCED_QUOTES}")
    assert listing.status_code == 200 and listing.context["cl"].result_count == quotes.count() > 1
    page = listing.content.decode()
    assert Flag.UNBALANCED_QUOTES.label in page and f">{Flag.UNBALANCED_QUOTES}<" not in page
    assert client.get(f"{ITEMS}?flag=%3Cscript%3E").context["cl"].result_count == 0

    queue = client.get(f"{ITEMS}review/").content.decode()
    for flag in Flag:
        n = Article.objects.with_flag(flag).count()
        link = f'<a href="{ITEMS}?flag={flag.value}" title="{flag.explanation}">{flag.label}</a></td><td>{n}</td>'
        assert link in queue, flag
    assert "<code>" not in queue


def test_the_item_page_shows_each_flag_with_its_explanation_evidence_and_review(client, chief, sample_issue):
    client.force_login(chief)
    item = Article.objects.with_flag(Flag.POSSIBLE_LOST_TEXT).with_flag(Flag.MISSING_HEADLINE).get()
    item.mark_reviewed(chief, Flag.POSSIBLE_LOST_TEXT)
    page = client.get(f"{ITEMS}{item.pk}/change/").content.decode()
    flags = re.search(r'<ul class="flags">(.*?)</ul>', page, re.S).group(1)
    lost = item.flag_set.get(code=Flag.POSSIBLE_LOST_TEXT)
    assert f"<strong>{Flag.MISSING_HEADLINE.label}</strong>：{Flag.MISSING_HEADLINE.explanation}" in flags
    assert '<li class="reviewed"><strong>疑似丢字</strong>' in flags and "已审：chief" in flags
    assert lost.note.split("；")[0].replace("…", "") in flags.replace("…", "")
    assert Flag.MISSING_HEADLINE.value not in flags


def test_the_list_shows_open_flags_by_label(client, chief, sample_issue):
    client.force_login(chief)
    item = Article.objects.with_flag(Flag.MISSING_HEADLINE).get()
    response = client.get(f"{ITEMS}?page__issue__id__exact={sample_issue.pk}")
    cells = re.findall(r'<td class="field-flag_list">([^<]*)</td>', response.content.decode())
    assert len(cells) == Article.objects.count() and any("缺主题" in c for c in cells)
    item.mark_reviewed(chief)
    cells = re.findall(r'<td class="field-flag_list">([^<]*)</td>', client.get(ITEMS).content.decode())
    assert not any("缺主题" in c for c in cells)


def test_the_upload_preview_names_flags_in_chinese(client, chief, sample_bytes, workers_daily):
    client.force_login(chief)
    upload = SimpleUploadedFile("workers-daily.txt", sample_bytes, content_type="text/plain")
    client.post("/admin/issues/issue/upload/", {"files": [upload]})
    job = jobs.make_preview(ImportJob.objects.get())
    page = client.get(f"/admin/issues/importjob/{job.pk}/change/").content.decode()
    assert f'title="{Flag.MISSING_HEADLINE.explanation}">{Flag.MISSING_HEADLINE.label}</span>' in page
    assert not any(flag.value in page for flag in Flag)


def test_the_export_lists_open_flags_by_label(client, chief, sample_issue):
    client.force_login(chief)
    response = client.post(
        f"{ITEMS}export/",
        {"format": "0", "resource": "0", **{f"articleresource_{f}": "on" for f in ("id", "headline", "flags")}},
    )
    rows = {int(r["编号"]): r["待审标记"] for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    expected = {
        a.pk: "、".join(f.label for f in a.flag_set.all()) for a in Article.objects.filter(page__issue=sample_issue)
    }
    assert rows == expected and "缺主题" in "".join(rows.values())
    assert ArticleFlag.objects.exists()
