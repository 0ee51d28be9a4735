"""Backup and restore: export_archive then import_archive onto an empty database gives the
same rows, the same editors' corrections and history, the same media and the same public pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from reversion.models import Revision

from articles.models import Article, Credit, Person, Photo
from issues.models import Issue, Page


def public_urls() -> list[str]:
    urls = []
    for issue in Issue.objects.published():
        urls.append(issue.get_absolute_url())
        for page in issue.pages.all():
            urls.append(page.get_absolute_url())
            urls += [a.get_absolute_url() for a in page.articles.all()]
    urls += [p.get_absolute_url() for p in Person.objects.all()]
    return urls


def rows() -> dict:
    return {
        "issues": list(Issue.objects.values_list("date", "number", "status", "raw_text", "warnings")),
        "pages": list(Page.objects.values_list("issue__date", "number", "name", "image")),
        "articles": list(
            Article.objects.order_by("page__number", "position").values_list(
                "position",
                "kind",
                "kicker",
                "headline",
                "subheadline",
                "body",
                "flags",
                "edited",
                "continues__position",
            )
        ),
        "photos": list(Photo.objects.values_list("caption", "credit", "image")),
        "credits": list(Credit.objects.values_list("article__position", "person__name", "role")),
    }


def wipe() -> None:
    Issue.objects.all().delete()
    Person.objects.all().delete()
    Revision.objects.all().delete()  # the set-up's publication is in the history


@pytest.mark.django_db
def test_round_trip_restores_rows_corrections_media_and_pages(sample_issue, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    article = Article.objects.get(page__issue=sample_issue, position=3)
    article.headline = "编辑补上的标题"
    article.edited = True
    article.save()
    page = sample_issue.pages.get()
    page.image.save("page1.png", ContentFile(b"\x89PNG fake page image"))

    before_rows = rows()
    client = Client()
    before_pages = {url: client.get(url).content for url in public_urls()}
    assert before_pages and all(before_pages.values())

    path = tmp_path / "backup.tar.gz"
    call_command("export_archive", str(path), stdout=StringIO())
    wipe()
    (tmp_path / "media" / page.image.name).unlink()
    assert not Article.objects.exists()

    out = StringIO()
    call_command("import_archive", str(path), stdout=out)
    assert "restored" in out.getvalue()
    assert rows() == before_rows
    assert (tmp_path / "media" / page.image.name).read_bytes() == b"\x89PNG fake page image"
    after_pages = {url: client.get(url).content for url in public_urls()}
    assert after_pages.keys() == before_pages.keys()
    for url, content in before_pages.items():
        assert after_pages[url] == content, url


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(sample_issue, tmp_path):
    path = tmp_path / "backup.tar.gz"
    call_command("export_archive", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_archive", str(path), stdout=StringIO())


@pytest.mark.django_db
def test_restore_refuses_what_is_not_an_archive(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="not a newsroom archive"):
        call_command("import_archive", str(bogus), stdout=StringIO())
