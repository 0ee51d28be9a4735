"""Every admin URL, for anonymous, staff without permissions, editor and chief editor.

The URLs come from the admin site itself, so a new admin view is in the matrix the day it
is added. What each role may do is written out below as the desk's policy; a URL whose
view forgets its permission check shows up as a 200 where the policy says 403. Every URL a
role may not use is also POSTed to: refused, and the database unchanged.
"""

from __future__ import annotations

import hashlib
import json

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import serializers
from django.urls import URLResolver, reverse
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from articles.models import Article, Credit, Person, Photo
from desk import tools as editing
from desk.jobs import run_import_job
from issues.models import ImportJob, Publication
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# The desk's policy: per model, what editors and chief editors may do.
POLICY = {
    "issues.publication": ("view", "view"),
    "issues.issue": ("view change", "view add change delete"),
    "issues.page": ("view change", "view add change delete"),
    "issues.importjob": ("", "view delete"),
    "articles.article": ("view add change", "view add change delete"),
    "articles.photo": ("view add change", "view add change delete"),
    "articles.person": ("view add change", "view add change delete"),
    "articles.credit": ("view add change delete", "view add change delete"),
    "axes.accessattempt": ("", "delete"),  # chief editors lift a colleague's login lockout
}
ROLES = ("anonymous", "staff", "editor", "chief")
# Admin views each URL name ending maps to, and what they need (all of the actions).
NEEDS = {
    "changelist": {"view"},
    "change": {"view"},
    "history": {"view"},
    "add": {"add"},
    "delete": {"delete"},
    "export": {"view"},
    "import": {"change"},
    "review": {"view"},
    "tool": {"change"},
    "restore": {"change"},
    "revision": {"view"},
    "recoverlist": {"add", "change"},
    "recover": {"add", "change"},
    "upload": {"add"},
    "password_change": {"change"},
    "lockouts": {"delete"},
    "unlock": {"delete"},
}
# Not model views: sign-in pages, the JS catalogue, redirects, POST-only endpoints.
SKIPPED = {"login", "logout", "password_change", "password_change_done", "jsi18n", "autocomplete", "view_on_site"}
NEVER = {"issues.importjob": {"add"}}  # jobs come from uploads only


def admin_url_names() -> list[str]:
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif p.name and p.name not in SKIPPED and not p.name.endswith("process_import"):
                yield p.name

    return sorted(set(walk(admin.site.urls[0])))


def split_name(name: str) -> tuple[str | None, str]:
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model._meta.label_lower, name.removeprefix(prefix)
    return None, name


def allowed(role: str, name: str) -> bool:
    label, action = split_name(name)
    if role == "anonymous":
        return False
    if name == "index":
        return True
    if name == "app_list":
        return role in {"editor", "chief"}
    editor, chief = POLICY.get(label, ("", ""))
    granted = set({"staff": "", "editor": editor, "chief": chief}[role].split())
    return NEEDS[action] <= granted and action not in NEVER.get(label, set())


@pytest.fixture
def world(sample_issue, workers_daily):
    """One row of every model the admin shows, and versions to revert and recover."""
    article = Article.objects.filter(page__issue=sample_issue, kind="article").order_by("position")[1]
    editing.do_mark_reviewed([article], user=make_user("setup"))
    for obj in (sample_issue, sample_issue.pages.first(), Photo.objects.first(), Person.objects.first()):
        with reversion.create_revision():
            obj.save()
    job = ImportJob.objects.create(source_name="x.txt", data=b"x", status="done")
    run_import_job.enqueue(job.pk)
    AccessAttempt.objects.create(username="u", ip_address="127.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="u", ip_address="127.0.0.1")
    AccessFailureLog.objects.create(username="u", ip_address="127.0.0.1")
    rows = {
        "auth.group": Group.objects.first(),
        "auth.user": make_user("someone"),
        "axes.accessattempt": AccessAttempt.objects.first(),
        "axes.accesslog": AccessLog.objects.first(),
        "axes.accessfailurelog": AccessFailureLog.objects.first(),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.first(),
        "issues.publication": Publication.objects.first(),
        "issues.issue": sample_issue,
        "issues.page": sample_issue.pages.first(),
        "issues.importjob": job,
        "articles.article": article,
        "articles.photo": Photo.objects.first(),
        "articles.person": Person.objects.first(),
        "articles.credit": Credit.objects.first(),
    }
    return rows, editing.page_revisions(article.page).first()


def url_for(name: str, world) -> str:
    rows, page_revision = world
    label, action = split_name(name)
    obj = rows.get(label)
    if name == "app_list":
        return reverse("admin:app_list", kwargs={"app_label": "issues"})
    if action in {"change", "history", "delete", "password_change", "unlock"}:
        return reverse(f"admin:{name}", args=[obj.pk])
    if action == "tool":
        return reverse(f"admin:{name}", args=[obj.pk, "split"])
    if action == "restore":
        return reverse(f"admin:{name}", args=[obj.pk, page_revision.pk])
    if action in {"revision", "recover"}:
        version = Version.objects.get_for_object(obj).first()
        return reverse(f"admin:{name}", args=[obj.pk, version.pk] if action == "revision" else [version.pk])
    return reverse(f"admin:{name}")


def snapshot() -> str:
    """Every row the desk owns, serialised: equal snapshots mean nothing changed."""
    models = [m for m in apps.get_models() if m._meta.app_label in {"issues", "articles", "auth", "reversion"}]
    data = serializers.serialize("json", [o for m in models for o in m._default_manager.order_by("pk")])
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def test_the_matrix_covers_every_admin_url_and_every_role():
    names = admin_url_names()
    assert len(names) > 80, names
    unknown = [n for n in names if split_name(n)[1] not in NEEDS and n not in {"index", "app_list"}]
    assert unknown == [], "a new kind of admin view: say in NEEDS what it requires"


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_the_policy_says(client, world, role):
    if role != "anonymous":
        user = make_user(role, {"staff": None, "editor": "Editors", "chief": "Chief editors"}[role])
        client.force_login(user)
    wrong = []
    for name in admin_url_names():
        url = url_for(name, world)
        status = client.get(url).status_code
        if role == "anonymous":
            ok = status == 302
        elif allowed(role, name):
            ok = status == 200
        else:
            ok = status in {403, 404}
        if not ok:
            wrong.append(f"GET {url} ({name}): {status}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_no_refused_url_changes_anything_when_posted_to(client, world, role):
    if role != "anonymous":
        client.force_login(make_user(role, {"staff": None, "editor": "Editors", "chief": "Chief editors"}[role]))
    before = snapshot()
    wrong = []
    for name in admin_url_names():
        if allowed(role, name) or name in {"index", "app_list"}:
            continue
        url = url_for(name, world)
        status = client.post(url, {"post": "yes", "confirm": "1", "block": "1", "_save": "1"}).status_code
        if status not in ({302} if role == "anonymous" else {403, 404, 405}):
            wrong.append(f"POST {url} ({name}): {status}")
    assert wrong == []
    assert snapshot() == before, "a refused request changed the database"
