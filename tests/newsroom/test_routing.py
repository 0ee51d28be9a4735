"""Public reads go to the replica alias; editors and writes stay on the primary."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom.routers import ReplicaReadsMiddleware, ReplicaRouter, reading_from_replica


def route(request) -> str | None:
    seen = {}

    def view(req):
        seen["db"] = ReplicaRouter().db_for_read(Article)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen["db"]


@pytest.mark.parametrize(
    ("method", "path", "user", "db"),
    [
        ("get", "/issues/2022-03-25/", AnonymousUser(), "replica"),
        ("head", "/search/", AnonymousUser(), "replica"),
        ("post", "/search/", AnonymousUser(), None),
        ("get", "/admin/articles/article/", AnonymousUser(), None),
        ("get", "/issues/2022-03-25/", User(username="editor"), None),
    ],
)
def test_only_anonymous_public_reads_use_the_replica(method, path, user, db):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    assert route(request) == db
    assert reading_from_replica.get() is False


def test_writes_and_migrations_stay_on_the_primary():
    router = ReplicaRouter()
    token = reading_from_replica.set(True)
    try:
        assert router.db_for_write(Article) is None
    finally:
        reading_from_replica.reset(token)
    assert router.allow_migrate("default", "articles") and not router.allow_migrate("replica", "articles")
