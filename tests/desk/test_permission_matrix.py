"""Every admin URL, for anonymous, staff without permissions, editor and chief editor.

The URLs come from the admin site itself, so a new admin view is in the matrix the day it
is added. What each role may do is written out below as the desk's policy; a URL whose
view forgets its permission check shows up as a 200 where the policy says 403. Every URL a
role may not use is also POSTed to: refused, and the database unchanged. Every history
(revert) and recover URL is POSTed a valid form by every role, with a version of every desk
model (and of another row, and of a deleted row): history restores content, never an
issue's state, and a view refuses versions that are not its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.test import Client
from django.urls import URLResolver, reverse
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from articles.models import Article, Credit, Person, Photo
from desk import revisions
from desk import tools as editing
from desk.history import HistoryAdmin
from desk.jobs import run_import_job
from desk.workflow import do_retract_issue
from issues.models import ImportJob, Issue, Page, Publication
from tests.conftest import make_user, publish
from tests.desk.admin_forms import admin_form_data

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
    "articles.articlerevision": ("view", "view"),  # written only by desk/revisions.py
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
    "restore_item": {"change"},
    "undo": {"change"},
    "revision": {"view"},
    "recoverlist": {"add", "change", "delete"},
    "recover": {"add", "change", "delete"},
    "upload": {"add"},
    "password_change": {"change"},
    "lockouts": {"delete"},
    "unlock": {"delete"},
    "workspace": {"change"},
}
# Not model views: sign-in pages, the JS catalogue, redirects, POST-only endpoints (the
# one-click suggestion is tested per role in tests/desk/test_suggestions.py, the workspace's
# buttons in tests/desk/test_workspace.py, a flag's review in tests/desk/test_flag_checklist.py,
# an import's confirmation in tests/desk/test_imports.py).
SKIPPED = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "autocomplete",
    "view_on_site",
    "articles_article_suggestion",
    "issues_page_workspace_action",
    # POST-only, per role in tests/desk/test_revisions.py
    "articles_articlerevision_publish",
    "articles_articlerevision_discard",
    "articles_article_flag_review",
    "issues_importjob_confirm",
}
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
        "articles.articlerevision": revisions.do_propose(article, {"headline": "修改稿"}, None),
    }
    return rows, editing.page_revisions(article.page).first(), deleted_versions(sample_issue, workers_daily)


def deleted_versions(issue: Issue, publication: Publication) -> dict[str, Version]:
    """One deleted row of every model with history, each recorded before it went (the
    issue published then), so that there is something to recover."""
    gone = Issue.objects.create(publication=publication, date=dt.date(2000, 1, 3), weekday=1)
    publish(gone)
    with reversion.create_revision():
        page = Page.objects.create(issue=issue, number=50)
        article = Article.objects.create(page=issue.pages.first(), position=99, headline="将被删除")
        photo = Photo.objects.create(article=article, position=9, caption="将被删除")
        person = Person.objects.create(name="将被删除的人")
    versions = {}
    for label, obj in (
        ("issues.issue", gone),
        ("issues.page", page),
        ("articles.photo", photo),
        ("articles.article", article),
        ("articles.person", person),
    ):
        versions[label] = Version.objects.get_for_object(obj).first()
        obj.delete()
    return versions


def url_for(name: str, world) -> str:
    rows, page_revision, deleted = world
    label, action = split_name(name)
    obj = rows.get(label)
    if name == "app_list":
        return reverse("admin:app_list", kwargs={"app_label": "issues"})
    if action in {"change", "history", "delete", "password_change", "unlock", "workspace"}:
        return reverse(f"admin:{name}", args=[obj.pk])
    if action == "tool":
        return reverse(f"admin:{name}", args=[obj.pk, "split"])
    if action in {"restore", "undo"}:
        return reverse(f"admin:{name}", args=[obj.pk, page_revision.pk])
    if action == "restore_item":
        return reverse(f"admin:{name}", args=[obj.pk, Version.objects.get_for_object(obj).first().revision_id])
    if action == "revision":
        return reverse(f"admin:{name}", args=[obj.pk, Version.objects.get_for_object(obj).first().pk])
    if action == "recover":
        return reverse(f"admin:{name}", args=[deleted[label].pk])
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


# --- history and recover -------------------------------------------------------------------

HISTORY = sorted(m._meta.label_lower for m, a in admin.site._registry.items() if isinstance(a, HistoryAdmin))


def may(role: str, label: str, *actions: str) -> bool:
    editor, chief = POLICY[label]
    return role != "anonymous" and set(actions) <= set({"staff": "", "editor": editor, "chief": chief}[role].split())


def history_requests(world) -> list[tuple[str, str, str, Version]]:
    """(kind, admin model, URL object id, version) for every revert and recover URL with a
    version of every model with history, live or deleted, and one of another row."""
    rows, _, deleted = world
    live = {label: Version.objects.get_for_object(rows[label]).order_by("pk").first() for label in HISTORY}
    versions = [*live.values(), *deleted.values()]
    requests = []
    for label in HISTORY:
        for version in versions:
            requests.append(("revision", label, version.object_id, version))
            requests.append(("recover", label, "", version))
        other = rows[label]._meta.model._default_manager.exclude(pk=rows[label].pk).first()
        if other is not None:
            requests.append(("revision", label, str(other.pk), live[label]))
    return requests


def expected(kind: str, role: str, label: str, object_id: str, version: Version) -> int:
    """The policy: sign in first; then permission (403), then a version of this very row (404)."""
    model = apps.get_model(label)
    own = version.content_type.model_class() is model
    if role == "anonymous":
        return 302
    if kind == "recover":
        if not may(role, label, "add", "change", "delete"):
            return 403
        return 302 if own and not model._default_manager.filter(pk=version.object_id).exists() else 404
    if not may(role, label, "view"):
        return 403
    if not (own and object_id == version.object_id and model._default_manager.filter(pk=object_id).exists()):
        return 404
    return 302 if may(role, label, "change") else 403


def valid_form(admin_client, kind: str, label: str, object_id: str, version: Version) -> dict:
    """A form the view would accept: what its page shows, loaded by a superuser."""
    app, model = label.split(".")
    if kind == "recover":
        url = reverse(f"admin:{app}_{model}_recover", args=[version.pk])
    else:
        url = reverse(f"admin:{app}_{model}_change", args=[object_id or version.object_id])
    page = admin_client.get(url)
    return admin_form_data(page) if page.status_code == 200 else {"_save": "1", "name": "x"}


def state() -> dict[int, tuple]:
    return {pk: (status, at) for pk, status, at in Issue.objects.values_list("pk", "status", "published_at")}


def out_of_step() -> list[int]:
    """Items whose copies of their issue's date and publication time are wrong."""
    wrong = []
    for article in Article.objects.select_related("page__issue"):
        issue = article.page.issue
        published = issue.published_at if issue.status == Issue.Status.PUBLISHED else None
        if (article.issue_date, article.issue_published_at) != (issue.date, published):
            wrong.append(article.pk)
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_history_and_recover_urls_restore_no_state_and_only_their_own_versions(client, world, role):
    rows, _, _ = world
    do_retract_issue(rows["issues.issue"], None, actor="测试")
    admin_client = Client()
    admin_client.force_login(User.objects.create_superuser("root", password="pw-root"))  # noqa: S106
    if role != "anonymous":
        client.force_login(make_user(role, {"staff": None, "editor": "Editors", "chief": "Chief editors"}[role]))
    before, public = state(), set(Issue.objects.visible().values_list("pk", flat=True))
    wrong = []
    requests = history_requests(world)
    for kind, label, object_id, version in requests:
        app, model = label.split(".")
        args = [version.pk] if kind == "recover" else [object_id, version.pk]
        url = reverse(f"admin:{app}_{model}_{kind}", args=args)
        want = expected(kind, role, label, object_id, version)
        status = client.post(url, valid_form(admin_client, kind, label, object_id, version)).status_code
        if status != want:
            wrong.append(f"POST {url} (a {version.content_type.model} version): {status}, policy {want}")
        now = state()
        if any(now[pk] != was for pk, was in before.items() if pk in now):
            wrong.append(f"POST {url} changed an issue's state")
            before = now
    assert len(requests) > 50
    assert wrong == []
    assert set(Issue.objects.visible().values_list("pk", flat=True)) == public
    recovered = {value for pk, value in state().items() if pk not in before}
    assert recovered <= {(Issue.Status.IMPORTED, None)}, "a recovered issue starts again as imported"
    assert out_of_step() == []
