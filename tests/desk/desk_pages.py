"""The desk's pages as tests walk them: every admin URL the site registers, filled with a row
of its model, and the text a person sees on a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import reversion
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, URLResolver, reverse
from reversion.models import Version

WORD = re.compile(r"[A-Za-z]{4,}")
WHITELIST = {"PDF", "CSV", "XLSX", "URL", "JSON", "HTML", "UUID", "ISBN", "JPEG", "WEBP"}
# Sign-in pages, logout (POST only), the JS catalogue and redirects are not desk pages.
# Views that answer POST only (a GET is refused with 405 and an empty body).
POST_ONLY = {"articles_article_suggestion", "articles_article_flag_review", "issues_importjob_confirm"}
SKIPPED = {"login", "logout", "jsi18n", "autocomplete", "view_on_site", *POST_ONLY}
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
