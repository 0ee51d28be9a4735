"""Admin uploads are capped in number of files and total size, with a clear message, before
anything is parsed; bodies beyond any form's need are refused before they are read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from desk import jobs
from issues.models import ImportJob
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/issues/issue/upload/"


@pytest.fixture
def chief(client, workers_daily):
    client.force_login(make_user("chief", "Chief editors"))


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if the upload reaches the parser."""

    def parse(*args, **kwargs):
        raise AssertionError("the upload was parsed")

    monkeypatch.setattr(jobs, "do_import_issue", parse)


def files(count: int, size: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"page-{n}.txt", b"x" * size, content_type="text/plain") for n in range(count)]


def test_more_files_than_the_cap_are_refused_before_parsing(client, chief, settings, no_parsing):
    settings.NEWSROOM_UPLOAD_MAX_FILES = 3
    response = client.post(UPLOAD, {"files": files(4, 10)})
    assert response.status_code == 200
    assert "一次最多上传 3 个文件，这次选了 4 个；请分批上传。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_total_above_the_cap_is_refused_before_parsing(client, chief, settings, no_parsing):
    settings.NEWSROOM_UPLOAD_MAX_BYTES = 1024 * 1024
    response = client.post(UPLOAD, {"files": files(3, 400 * 1024)})
    assert response.status_code == 200
    assert "一次上传的文件合计 1.2 MB，超过上限 1.0 MB；请分批上传。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_within_the_caps_the_files_are_previewed(client, chief, settings, sample_bytes):
    settings.NEWSROOM_UPLOAD_MAX_FILES = 1
    settings.NEWSROOM_UPLOAD_MAX_BYTES = len(sample_bytes)
    upload = SimpleUploadedFile("workers-daily.txt", sample_bytes, content_type="text/plain")
    response = client.post(UPLOAD, {"files": [upload]})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/admin/issues/importjob/{job.pk}/change/" and bytes(job.data) == sample_bytes


@pytest.mark.parametrize("who", ["anonymous", "chief"])
def test_a_body_beyond_the_request_cap_is_refused_before_it_is_read(client, workers_daily, settings, who):
    if who == "chief":
        client.force_login(make_user("chief", "Chief editors"))
    settings.NEWSROOM_REQUEST_MAX_BYTES = 64 * 1024
    response = client.post(UPLOAD, {"files": files(2, 40 * 1024)})
    assert response.status_code == 413
    assert response.content.decode().startswith("提交的内容太大（0.1 MB），上限为 0.1 MB")
    assert not ImportJob.objects.exists()


def test_the_default_caps(settings):
    assert settings.NEWSROOM_UPLOAD_MAX_FILES == 20 and settings.NEWSROOM_UPLOAD_MAX_BYTES == 50 * 1024 * 1024
    assert settings.NEWSROOM_REQUEST_MAX_BYTES > settings.NEWSROOM_UPLOAD_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > settings.NEWSROOM_UPLOAD_MAX_FILES
