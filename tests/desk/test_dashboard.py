"""The desk's start page: branded, the latest issues with flags per page, the review queue,
one's own recent edits and the imports running or failed, in a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.flags import Flag
from articles.models import Article, ArticleFlag
from desk import tools as editing
from issues.importing import do_import_issue
from issues.models import ImportJob
from tests.conftest import make_user, write_archive

pytestmark = pytest.mark.django_db
START = "/admin/"


@pytest.fixture
def editor(db):
    return make_user("editor", "Editors")


@pytest.fixture
def chief(db):
    return make_user("chief", "Chief editors")


def start_page(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(START)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_an_empty_desk_says_so_in_chinese(client, chief):
    client.force_login(chief)
    page, _ = start_page(client)
    assert "<title>编辑部首页 | 工人日报 编辑部</title>" in page and "Django" not in page
    for empty in ("还没有导入任何期次", "没有待审标记", "你还没有改动过稿件", "没有进行中的导入", "没有失败的导入"):
        assert empty in page
    assert 'href="/admin/articles/article/"' in page, "the app list stays"


def test_staff_without_permissions_see_only_their_own_part(client, sample_issue):
    client.force_login(make_user("plainstaff"))
    page, _ = start_page(client)
    assert str(sample_issue) not in page and "待审队列" not in page and "导入任务" not in page
    assert "你还没有改动过稿件" in page


def test_latest_issues_with_state_and_flagged_items_per_page(client, editor, sample_issue):
    client.force_login(editor)
    page, _ = start_page(client)
    flagged = Article.objects.filter(page__issue=sample_issue).flagged().count()
    assert str(sample_issue) in page and sample_issue.state.label in page
    link = re.search(r'>第1版</a> <a class="flagged" href="([^"]+)">(\d+) 篇</a>', page)
    assert link and int(link.group(2)) == flagged
    listing = client.get(link.group(1).replace("&amp;", "&"))
    assert listing.context["cl"].result_count == flagged


def test_the_review_queue_counts_link_to_the_items(client, editor, sample_issue):
    client.force_login(editor)
    page, _ = start_page(client)
    counts = ArticleFlag.objects.unreviewed().counts_by_code()
    for code, count in counts.items():
        flag = Flag(code)
        assert f'<a href="/admin/articles/article/?flag={code}">{flag.label}：{count} 处</a>' in page
    assert not any(f">{flag.value}" in page for flag in Flag), "labels, never codes"
    one = client.get(f"/admin/articles/article/?flag={Flag.MISSING_HEADLINE}")
    assert one.context["cl"].result_count == counts[Flag.MISSING_HEADLINE]


def test_my_recent_edits_and_not_anothers(client, editor, sample_issue):
    story = Article.objects.get(page__issue=sample_issue, headline="三级服务体系为职工减压赋能")
    editing.do_swap_titles(story, "kicker", "headline", user=editor)
    other = Article.objects.filter(page__issue=sample_issue).exclude(pk=story.pk).first()
    editing.do_toggle_subhead(other, 0, user=make_user("someone-else", "Editors"))
    client.force_login(editor)
    page, _ = start_page(client)
    edits = page.split("我最近的改动")[1].split("</section>")[0]
    assert f'href="/admin/articles/article/{story.pk}/change/"' in edits and "交换标题" in edits
    assert "标为/取消小标题" not in edits and "小标题" not in edits


def test_running_and_failed_imports_for_those_who_import(client, editor, chief, workers_daily):
    ImportJob.objects.create(source_name="running.txt", data=b"x", status=ImportJob.Status.SAVING, created_by=chief)
    ImportJob.objects.create(source_name="broken.txt", data=b"x", status=ImportJob.Status.FAILED, summary="文件为空")
    ImportJob.objects.create(source_name="fine.txt", data=b"x", status=ImportJob.Status.DONE)
    client.force_login(chief)
    page, _ = start_page(client)
    assert "running.txt</a>：写入中" in page and "broken.txt</a>：文件为空" in page and "fine.txt" not in page
    client.force_login(editor)
    page, _ = start_page(client)
    assert "running.txt" not in page and "导入任务" not in page


def test_the_start_page_costs_the_same_queries_however_much_there_is(client, chief, sample_issue, tmp_path):
    client.force_login(chief)
    editing.do_mark_reviewed([Article.objects.flagged().first()], user=chief)  # one of each kind of row
    ImportJob.objects.create(source_name="a.txt", data=b"x", status=ImportJob.Status.FAILED, summary="坏")
    ImportJob.objects.create(source_name="b.txt", data=b"x", status=ImportJob.Status.QUEUED)
    start_page(client)  # warm caches (content types, permissions)
    _, few = start_page(client)
    for path in sorted(write_archive(tmp_path, 4, "--start", "2022-03-26", "--serial", "21055").glob("*.txt")):
        do_import_issue(path.read_bytes(), source_name=path.name)
    for article in Article.objects.filter(page__issue=sample_issue)[:4]:
        editing.do_mark_reviewed([article], user=chief)
    for n in range(3):
        ImportJob.objects.create(source_name=f"{n}.txt", data=b"x", status=ImportJob.Status.FAILED, summary="坏")
        ImportJob.objects.create(source_name=f"q{n}.txt", data=b"x", status=ImportJob.Status.QUEUED)
    page, many = start_page(client)
    assert page.count('class="flagged"') > 1 and page.count("标为已审") >= 4
    assert many == few
