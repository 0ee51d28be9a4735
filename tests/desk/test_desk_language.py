"""Every desk page, as an Editor and as a Chief editor, speaks Chinese.

The pages come from the admin site itself (every URL pattern, filled with a row of its
model), so a page added later is walked the day it is registered. The visible text (tags,
scripts, styles and attributes stripped) may hold no run of four or more ASCII letters
except the whitelisted abbreviations and words that come from the data (user content:
texts, file names, user names, hashes).
"""

from __future__ import annotations

import pytest
import reversion
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from articles.flags import Flag
from articles.models import Article, Photo
from desk import jobs
from desk import tools as editing
from issues.models import ImportJob
from tests.conftest import SAMPLE, make_user, retract
from tests.desk.admin_forms import admin_form_data
from tests.desk.desk_pages import desk_urls, english, user_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_world(sample_issue):
    """A row of every model the desk shows, a recorded edit, a finished and a failed job."""
    editor, chief = make_user("editor", "Editors"), make_user("chief", "Chief editors")
    article = Article.objects.filter(page__issue=sample_issue, kind="article").order_by("position")[1]
    editing.do_mark_reviewed([article], user=editor)
    for obj in (sample_issue, sample_issue.pages.first(), Photo.objects.first()):
        with reversion.create_revision():
            reversion.set_user(editor)
            obj.save()
    ImportJob.objects.create(source_name="good.txt", data=b"x", status=ImportJob.Status.DONE, issue=sample_issue)
    ImportJob.objects.create(source_name="bad.txt", data=b"x", status=ImportJob.Status.FAILED, summary="文件为空")
    rows = {model: model._default_manager.order_by("pk").first() for model in admin.site._registry}
    rows[Article] = article
    previewed = ImportJob.objects.create(source_name="again.txt", data=SAMPLE.read_bytes(), created_by=chief)
    changed = SAMPLE.read_bytes().replace("职工".encode(), "员工".encode(), 1)
    refused = ImportJob.objects.create(source_name="changed.txt", data=changed, created_by=chief)
    for job in (previewed, refused):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
        jobs.make_preview(ImportJob.objects.get(pk=job.pk))
    extra = [f"/admin/issues/importjob/{job.pk}/change/" for job in (previewed, refused)]
    return {"editor": editor, "chief": chief}, rows, extra


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_every_desk_page_is_chinese(desk_world, role):
    users, rows, extra = desk_world
    client = Client()
    client.force_login(users[role])
    urls, unreached = desk_urls(rows)
    urls += extra
    assert len(urls) > 30, urls
    allowed = user_words() | {users[role].username}
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404, 405}, (url, response.status_code)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if words := english(response.content.decode(), allowed):
                found[url] = words
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())
    print(f"walked {len(urls)} pages as {role}; not reached: {unreached}")


def test_the_desks_messages_are_chinese(client, desk_world):
    """Pages reached after actions, with their messages: a tool refused, a flag reviewed, an
    item saved and its flags checked again, an upload stored, a bulk action refused."""
    users, _, _ = desk_world
    allowed = user_words()
    client.force_login(users["chief"])
    first = Article.objects.order_by("page__number", "position").first()
    headless = Article.objects.with_flag(Flag.MISSING_HEADLINE).first()
    flag = headless.flag_set.first()
    pages = [
        client.post(f"/admin/articles/article/{first.pk}/tool/merge-previous/", follow=True),
        client.post(f"/admin/articles/article/{first.pk}/tool/split/", {"block": 0}, follow=True),
        client.post(f"/admin/articles/article/{headless.pk}/flag/{flag.pk}/review/", follow=True),
        client.post("/admin/issues/issue/upload/", {"files": [SimpleUploadedFile("x.txt", b"x")]}, follow=True),
        client.post("/admin/issues/issue/upload/", {}, follow=True),
        client.post("/admin/articles/article/", {"action": "mark_reviewed", "_selected_action": []}, follow=True),
    ]
    data = admin_form_data(client.get(f"/admin/articles/article/{headless.pk}/change/"))
    pages.append(
        client.post(f"/admin/articles/article/{headless.pk}/change/", {**data, "headline": "新主题"}, follow=True)
    )
    for response in pages:
        assert response.status_code == 200
        assert english(response.content.decode(), allowed) == [], response.request["PATH_INFO"]
    assert any("审过" in page.content.decode() for page in pages)


def test_the_walker_sees_english():
    """The check itself: English outside tags fails, attributes and scripts do not."""
    html = '<p class="Something">编辑 <b>Save</b></p><script>var aaaa = 1;</script><input type="submit" value="Go on">'
    assert english(html, set()) == ["Save"]
    assert english(html, {"Save"}) == []
    assert english('<input type="submit" value="Delete">', set()) == ["Delete"]


def test_times_are_the_newsrooms_in_messages_and_lists(client, desk_world, sample_issue):
    """The publish message and the issue list show one time, in the newsroom's zone."""
    users, _, _ = desk_world
    retract(sample_issue)
    client.force_login(users["chief"])
    at = "2031-05-06T14:06"  # typed in the newsroom's time zone
    form = {"action": "publish", "_selected_action": [sample_issue.pk], "confirm": "yes", "at": at}
    response = client.post("/admin/issues/issue/", {**form, "override": "on", "reason": "测试"}, follow=True)
    page = response.content.decode()
    assert "（2031-05-06 14:06）" in page, "the message"
    sample_issue.refresh_from_db()
    assert timezone.localtime(sample_issue.published_at).strftime("%H:%M") == "14:06"
    listing = client.get("/admin/issues/issue/").content.decode()
    assert "14:06" in listing and "06:06" not in listing and "22:06" not in listing
