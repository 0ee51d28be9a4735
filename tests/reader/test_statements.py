"""Statements composed once per process (reader/statements.py) return what their querysets
return: the same rows, fields, related objects and annotations, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Min
from django.db.models.signals import post_init
from django.db.utils import ConnectionDoesNotExist
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Credit, Photo
from issues.models import Issue, Page
from reader import edition, reading, statements
from reader.statements import Statement, arg
from reader.views import articles as article_views
from reader.views import issues as issue_views
from tests.conftest import import_generated, publish, retract


@pytest.fixture
def generated(sample_issue, tmp_path):
    return import_generated(tmp_path / "gen")


def loaded(instance) -> dict:
    """What an instance holds: its loaded fields and annotations, and its related objects."""
    values = {k: v for k, v in vars(instance).items() if k != "_state"}
    related = {name: loaded(obj) if obj is not None else None for name, obj in instance._state.fields_cache.items()}
    return {"model": type(instance), "values": values, "related": related}


def same(found, expected) -> None:
    assert [loaded(i) for i in found] == [loaded(i) for i in expected]


def test_an_items_rows_match_the_orm(generated):
    continued = Article.objects.filter(continuations__isnull=False).select_related("page__issue").first()
    photographed = Photo.objects.select_related("article__page__issue").first().article
    credited = Credit.objects.select_related("article__page__issue").first().article
    assert continued and photographed and credited, "the archive has continued, photographed and credited items"
    for item in (continued, photographed, credited):
        assert item.credits.exists() or item.photos.exists() or item.continuations.exists()
        issue, page = item.page.issue, item.page
        expected = (
            Article.objects.select_related("page", "continues__page")
            .defer("raw_text", "search_text")
            .filter(page__issue=issue, page__number=page.number, position=item.position)
            .first()
        )
        [row] = article_views._ITEM.all(issue=issue.pk, number=page.number, position=item.position)
        flags = {name: vars(row).pop(f"has_{name}") for name in ("credits", "photos", "parts")}
        assert flags == {
            "credits": item.credits.exists(),
            "photos": item.photos.exists(),
            "parts": item.continuations.exists(),
        }
        same([row], [expected])
        same(
            article_views._CREDITS.all(article=item.pk),
            list(Credit.objects.select_related("person").filter(article=item)),
        )
        same(article_views._PHOTOS.all(article=item.pk), list(Photo.objects.filter(article=item)))
        same(
            article_views._PARTS.all(continues=item.pk),
            list(Article.objects.select_related("page").filter(continues=item)),
        )


def test_an_item_reads_only_the_parts_it_has(generated):
    bare = Article.objects.filter(credits=None, photos=None, continuations=None).select_related("page__issue").first()
    credited = (
        Article.objects.filter(photos=None, continuations=None)
        .exclude(credits=None)
        .select_related("page__issue")
        .first()
    )
    for item, expected in ((bare, 1), (credited, 2)):
        with CaptureQueriesContext(connection) as captured:
            read = article_views.issue_article(item.page.issue, item.page.number, item.position)
        assert len(captured) == expected, [q["sql"] for q in captured]
        assert [c.pk for c in read.shown_credits] == [c.pk for c in item.credits.all()]
        assert read.shown_photos == read.shown_parts == []


def test_an_issues_rows_match_the_orm(generated):
    issue = max(generated, key=lambda i: Article.objects.filter(page__issue=i).count())
    page = issue.pages.order_by("number").first()
    same(issue_views._PAGES.all(issue=issue.pk), list(Page.objects.filter(issue=issue).order_by("number")))
    titles = Article.objects.filter(page__issue=issue).with_lead().only(*issue_views.TITLE_FIELDS, "page_id")
    same(issue_views._TITLES.all(issue=issue.pk), list(titles.order_by("page_id", "position")))
    listed = Article.objects.filter(page=page).with_lead().only(*issue_views.LISTED)
    same(issue_views._PAGE_ITEMS.all(page=page.pk), list(listed))
    photographed = Photo.objects.first().article.page
    same(issue_views._PAGE_PHOTOS.all(page=photographed.pk), list(Photo.objects.filter(article__page=photographed)))
    order = (
        Article.objects.filter(page__issue=issue)
        .with_lead()
        .select_related("page")
        .only(*article_views.LINKED)
        .order_by("page__number", "position")
    )
    found = article_views._READING_ORDER.all(issue=issue.pk)
    same(found, list(order))
    rows = article_views._READING_ORDER.rows(issue=issue.pk)
    assert rows.pks == [a.pk for a in order] and len(rows) == len(found)
    assert rows.index(found[-1].pk) == len(rows) - 1 and rows.index(-1) is None
    same([rows.instance(i) for i in range(len(rows))], found)


def test_the_issue_row_and_its_neighbours_match_the_orm(generated, sample_issue):
    middle = generated[0]
    now = timezone.now()
    visible = Issue.objects.visible(now).for_reading().select_related("publication")
    row = reading._ON_DATE.all(date=middle.date, now=now)
    same(row, list(visible.filter(date=middle.date).order_by("pk")[:1]))
    assert row[0].publication.name, "the publication comes with it"
    same(reading._NEWEST.all(now=now), list(visible.order_by("-date", "pk")[:1]))
    rows = reading._ON_DATE.rows(date=middle.date, now=now)
    assert rows.fields(0, ("id", "edition_revision")) == (row[0].pk, row[0].edition_revision), "as fetched"
    same([rows.instance(0)], row)
    assert edition._sides({}, middle) == (*middle.neighbours(), None)
    assert [i.pk for i in middle.neighbours()] == [sample_issue.pk, generated[1].pk]
    retract(sample_issue)
    assert reading._ON_DATE.all(date=sample_issue.date, now=timezone.now()) == [], "visible at the moment given"


def test_the_next_scheduled_issue_comes_with_the_neighbours_it_would_change(generated, sample_issue):
    middle, later = generated
    due = timezone.now() + dt.timedelta(hours=2)
    retract(middle)
    publish(middle, at=due)
    assert Issue.objects.scheduled().aggregate(due=Min("published_at"))["due"] == due
    assert edition.expires_at({}, True, sample_issue) == due, "home: any issue that would be newer"
    assert edition._sides({}, sample_issue) == (None, later, due), "it would come between the two"
    assert edition._sides({}, later) == (sample_issue, None, due)
    retract(middle)
    publish(middle)
    retract(later)
    publish(later, at=due)
    assert edition._sides({}, middle) == (sample_issue, None, due)
    assert edition._sides({}, sample_issue) == (None, middle, None), "not between its neighbours: no change"
    assert edition._sides({}, later) == (middle, None, None), "an issue is not its own neighbour"
    retract(middle)
    publish(middle, at=due + dt.timedelta(hours=1))
    assert edition._sides({}, sample_issue) == (None, None, due), "the first of the two to come due"


def test_instances_are_made_as_the_orm_makes_them_receivers_included(generated):
    issue = generated[0]
    found = issue_views._TITLES.all(issue=issue.pk)
    assert found and all(not a._state.adding and a._state.db == "default" for a in found)
    assert issue_views._TITLES._on("default").plain
    photos = article_views._PHOTOS._on("default")
    assert not photos.plain and not photos.plain_fields, "an image's descriptor of its own, and its post_init"
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance.pk)

    post_init.connect(receiver, sender=Article)
    try:
        again = issue_views._TITLES.all(issue=issue.pk)
    finally:
        post_init.disconnect(receiver, sender=Article)
    assert heard == [a.pk for a in again], "a receiver hears of every instance"
    same(again, found)


def test_a_statement_is_composed_once_per_database(generated, monkeypatch):
    issue = generated[0]
    built = []
    statement = Statement(Issue, lambda: built.append(1) or Issue.objects.filter(pk=arg(Issue, "id")))
    assert [i.pk for i in statement.all(id=issue.pk)] == [issue.pk]
    with CaptureQueriesContext(connection) as captured:
        assert statement.first(id=generated[1].pk).pk == generated[1].pk
        assert statement.first(id=-1) is None
    assert len(built) == 1, "composed once"
    assert len(captured) == 2 and all("%s" not in q["sql"] for q in captured)


def test_a_statement_reads_where_the_router_sends_reads(generated, monkeypatch):
    pages = list(generated[0].pages.order_by("number").values_list("pk", flat=True))
    asked = []
    monkeypatch.setattr(statements.router, "db_for_read", lambda model: asked.append(model) or "elsewhere")
    with pytest.raises(ConnectionDoesNotExist, match="elsewhere"):
        issue_views._PAGES.all(issue=generated[0].pk)
    assert asked == [Page]
    found = issue_views._PAGES.all(using="default", issue=generated[0].pk)
    assert [p.pk for p in found] == pages, "or where it is told"


def test_a_statement_refuses_what_it_cannot_carry(generated):
    with pytest.raises(TypeError, match="prefetch_related"):
        Statement(Article, lambda: Article.objects.prefetch_related("photos").filter(pk=arg(Article, "id"))).all(id=1)
    with pytest.raises(TypeError, match="prefetch_related"):
        Statement(Article, lambda: Article.objects.values("pk").filter(pk=arg(Article, "id"))).all(id=1)
    with pytest.raises(TypeError, match="'id'"):
        Statement(Article, lambda: Article.objects.filter(pk=arg(Article, "id"))).all(pk=1)
    with pytest.raises(TypeError, match="'id'"):
        Statement(Article, lambda: Article.objects.filter(pk=arg(Article, "id"))).all(id=None)
    with pytest.raises(TypeError, match="built a Page"):
        Statement(Article, lambda: Page.objects.filter(pk=arg(Page, "id"))).all(id=1)
    with pytest.raises(TypeError, match="using"):
        Statement(Article, lambda: Article.objects.using("default").filter(pk=arg(Article, "id"))).all(id=1)
