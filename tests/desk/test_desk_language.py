"""Every desk page, as an Editor and as a Chief editor, speaks Chinese.

The pages come from the admin site itself (every URL pattern, filled with a row of its
model), so a page added later is walked the day it is registered. The visible text (tags,
scripts, styles and attributes stripped) may hold no run of four or more ASCII letters
except the whitelisted abbreviations and words that come from the data (user content:
texts, file names, user names, hashes).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import reversion
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, reverse
from reversion.models import Version

from articles.models import Article, Photo
from desk import tools as editing
from issues.models import ImportJob
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[A-Za-z]{4,}")
WHITELIST = {"PDF", "CSV", "XLSX", "URL", "JSON", "HTML", "UUID", "ISBN", "JPEG", "WEBP"}
# Sign-in pages, logout (POST only), the JS catalogue and redirects are not desk pages.
SKIPPED = {"login", "logout", "jsi18n", "autocomplete", "view_on_site", "articles_article_suggestion"}
# A second argument for views that take one besides the row.
SECOND = {"tool": "split"}


class VisibleText(HTMLParser):
    """The text a reader of the page sees: no tags, attributes, scripts or styles."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "input" and dict(attrs).get("type") in {"submit", "button"}:
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def user_words() -> set[str]:
    """ASCII words that occur in stored data: what the desk shows of it is user content."""
    words: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        fields += [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField | models.FileField)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            words.update(WORD.findall(" ".join(str(value) for value in row)))
    return words


def english(html: str, allowed: set[str]) -> list[str]:
    allowed = {word.lower() for word in allowed} | {word.lower() for word in WHITELIST}
    return sorted({w for w in WORD.findall(visible_text(html)) if w.lower() not in allowed})


def admin_patterns() -> list[str]:
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif p.name and p.name not in SKIPPED and not p.name.endswith(("process_import", "delete")):
                yield p.name

    return sorted(set(walk(admin.site.urls[0])))


def model_of(name: str) -> tuple[type[models.Model] | None, str]:
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name.removeprefix(prefix)
    return None, name


def desk_urls(rows: dict) -> tuple[list[str], list[str]]:
    """Every admin URL that can be filled: without arguments, with a row of its model, or
    with the row and a version of it; and the names that could not be."""
    urls, unreached = [], []
    for name in admin_patterns():
        model, action = model_of(name)
        row = rows.get(model)
        candidates: list[list] = [[]]
        if name == "app_list":
            candidates = [[label] for label in ("issues", "articles", "auth")]
        elif row is not None:
            version = Version.objects.get_for_object(row).first() if reversion.is_registered(model) else None
            candidates += [[row.pk], [row.pk, SECOND.get(action, version.pk if version else 0)]]
            if action == "recover" and version is not None:
                candidates.append([version.pk])
        found = []
        for args in candidates:
            try:
                found.append(reverse(f"admin:{name}", args=args))
            except NoReverseMatch:
                continue
        if name == "app_list":
            urls += found
        elif found:
            urls.append(found[-1] if action != "recover" else found[0])
        else:
            unreached.append(name)
    return urls, unreached


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
    return {"editor": editor, "chief": chief}, rows


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_every_desk_page_is_chinese(desk_world, role):
    users, rows = desk_world
    client = Client()
    client.force_login(users[role])
    urls, unreached = desk_urls(rows)
    assert len(urls) > 30, urls
    allowed = user_words() | {users[role].username}
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if words := english(response.content.decode(), allowed):
                found[url] = words
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())
    print(f"walked {len(urls)} pages as {role}; not reached: {unreached}")


def test_the_walker_sees_english():
    """The check itself: English outside tags fails, attributes and scripts do not."""
    html = '<p class="Something">编辑 <b>Save</b></p><script>var aaaa = 1;</script><input type="submit" value="Go on">'
    assert english(html, set()) == ["Save"]
    assert english(html, {"Save"}) == []
    assert english('<input type="submit" value="Delete">', set()) == ["Delete"]
