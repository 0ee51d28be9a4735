"""Media: served with inert-making headers from local disk, or kept on S3-compatible storage.

S3 is exercised through django-storages against moto's in-process S3, with real boto3
calls: the same code path as a production bucket, without the network.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws
from PIL import Image

from articles.models import Photo
from issues.archive import export_archive
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BUCKET = "newsroom-media"


def jpeg(size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "data", "inline"),
    [("photos/a.jpg", jpeg((10, 10)), True), ("photos/x.svg", b"<svg onload='alert(1)'/>", False)],
)
def test_local_media_carry_a_sandboxing_policy_and_nosniff(client, media, name, data, inline):
    (media / name).parent.mkdir(parents=True, exist_ok=True)
    (media / name).write_bytes(data)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response.get("Content-Disposition", "")
    assert disposition.startswith("attachment") is not inline, "anything but a raster image or PDF downloads"


def test_media_paths_cannot_escape_the_media_folder(client, media):
    (media.parent / "secret.txt").write_text("no")
    for url in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/photos/..%2f..%2fsecret.txt"):
        response = client.get(url)
        assert response.status_code in {400, 404} and b"no" not in response.content


def settings_with(**env: str) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_a_bucket_in_the_environment_switches_media_to_s3():
    assert settings_with() == '["django.core.files.storage.FileSystemStorage", true]'
    assert settings_with(AWS_STORAGE_BUCKET_NAME=BUCKET) == '["storages.backends.s3.S3Storage", false]'


@pytest.fixture
def s3(settings, monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105 - moto's fake credentials
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "querystring_auth": False, "file_overwrite": False},
            },
        }
        yield client


def keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_photos_uploaded_in_the_admin_land_in_the_bucket_with_renditions(client, sample_issue, s3):
    client.force_login(make_user("editor", "Editors"))
    photo = Photo.objects.filter(article__page__issue=sample_issue).first()
    form = {
        "article": photo.article_id,
        "position": photo.position,
        "caption": photo.caption,
        "credit": photo.credit,
        "photographers": "",
        "image": SimpleUploadedFile("scene.jpg", jpeg()),
    }
    assert client.post(f"/admin/articles/photo/{photo.pk}/change/", form).status_code == 302
    photo.refresh_from_db()
    stored = keys(s3)
    assert photo.image.name in stored and (photo.width, photo.height) == (1200, 800)
    assert {k for k in stored if "-480w." in k or "-960w." in k} and len(stored) == 5, "original + 2 widths x 2"
    assert photo.image.url.startswith(f"https://{BUCKET}.s3.amazonaws.com/")
    article = client.get(photo.article.get_absolute_url()).content.decode()
    assert photo.image.url in article, "readers get the bucket's URL"


def test_the_archive_carries_media_from_the_bucket(sample_issue, s3, tmp_path):
    default_storage.save("pages/2022/03/p1.jpg", ContentFile(jpeg((20, 20))))
    export_archive(tmp_path / "backup.tar.gz")
    with tarfile.open(tmp_path / "backup.tar.gz") as tar:
        assert "media/pages/2022/03/p1.jpg" in tar.getnames()
