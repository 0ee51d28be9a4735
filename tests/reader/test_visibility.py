"""One visibility rule (issues.models.visible_q): every restatement of it agrees with it.

The stored edition's SQL lookup and search's copy on each item (Article.issue_published_at)
restate the rule for speed, and the reader's issue read (reader/reading.py) runs it composed
once with placeholders; hypothesis draws states, publication times (past, future, none,
to the microsecond) and reading clocks, and the restatements must pick exactly the rows the
querysets pick, on the real database. The copy must also stay true through every path that
writes an issue's state or an item: the workflow, plain saves, and history restores.
"""

from __future__ import annotations

import datetime as dt

import pytest
import reversion
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from articles import search
from articles.models import Article, Credit, Person, Photo
from desk import workflow
from issues.models import EditionPage, Issue, Page, Publication
from reader import edition, reading

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
BASE = dt.datetime(2022, 3, 25, 8, 0, tzinfo=dt.UTC)
STATUSES = st.sampled_from(list(Issue.Status))
# Minutes around BASE and a few microseconds, so that a clock often equals a publication time.
OFFSETS = st.builds(
    lambda minutes, micro: dt.timedelta(minutes=minutes, microseconds=micro),
    st.integers(-3, 3),
    st.sampled_from([0, 1, 500_000, 999_999]),
)
TIMES = st.one_of(st.none(), OFFSETS.map(lambda offset: BASE + offset))
CLOCKS = st.lists(OFFSETS.map(lambda offset: BASE + offset), min_size=1, max_size=6)


@pytest.fixture
def issues(workers_daily) -> list[Issue]:
    """Three issues, each with a page, two items, a photo and a credited person of its own."""
    made = []
    for day in range(3):
        issue = Issue.objects.create(publication=workers_daily, date=dt.date(2022, 3, 21 + day), weekday=1 + day)
        page = Page.objects.create(issue=issue, number=1)
        for position in (1, 2):
            article = Article.objects.create(page=page, position=position, headline=f"第{day}期第{position}篇")
        Photo.objects.create(article=article, caption="图")
        Credit.objects.create(article=article, person=Person.objects.create(name=f"记者{day}"), role="reporter")
        made.append(issue)
    return made


def visible_issues(now: dt.datetime) -> set[int]:
    return set(Issue.objects.visible(now).values_list("pk", flat=True))


def search_visible(now: dt.datetime) -> set[int]:
    """The ids search's own visibility condition lets through (its real SQL fragment)."""
    where, params = search._filters(search.Query(), now=now)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.id FROM articles_article a WHERE {' AND '.join(where)}", params)
        return {row[0] for row in cursor.fetchall()}


@HYPOTHESIS
@given(states=st.lists(st.tuples(STATUSES, TIMES), min_size=3, max_size=3), clocks=CLOCKS)
def test_every_queryset_the_edition_lookup_and_is_visible_agree(issues, states, clocks):
    for issue, (status, published_at) in zip(issues, states, strict=True):
        Issue.objects.filter(pk=issue.pk).update(status=status, published_at=published_at)
        issue.refresh_from_db()
        EditionPage.objects.update_or_create(
            path=f"/probe/{issue.pk}/",
            variant="hans",
            defaults={
                "issue": issue,
                "revision": issue.edition_revision,
                "build": edition.build_id(),
                "html": "<p>probe</p>",
                "etag": "x",
                "rendered_at": BASE,
            },
        )
    dates = {i.pk: i.date for i in issues}
    for now in clocks:
        expected = visible_issues(now)
        assert {i.pk for i in issues if i.is_visible(now)} == expected, now
        assert {i.pk for i in issues if edition.lookup(f"/probe/{i.pk}/", "hans", now)} == expected, now
        assert {i.pk for i in issues if reading.visible_on(i.date, now)} == expected, now
        newest = reading.newest(now)
        assert (newest and newest.pk) == max(expected, key=lambda pk: dates[pk], default=None), now
        assert set(Page.objects.visible(now).values_list("issue_id", flat=True)) == expected
        assert set(Article.objects.visible(now).values_list("page__issue_id", flat=True)) == expected
        assert set(Photo.objects.visible(now).values_list("article__page__issue_id", flat=True)) == expected
        people = Person.objects.filter(name__startswith="记者")
        assert set(people.visible(now).values_list("credits__article__page__issue_id", flat=True)) == expected


def apply(op: str, issue: Issue, status: Issue.Status, at: dt.datetime | None) -> None:
    """One write to an issue or its items, through the path a desk user or the code takes."""
    article = Article.objects.filter(page__issue=issue).first()
    moves = {
        "publish": lambda: workflow.do_publish_issue(
            issue, None, actor="测试", reason="测试数据", at=at, override=True
        ),
        "retract": lambda: workflow.do_retract_issue(issue, None, actor="测试"),
        "review": lambda: workflow.do_send_to_review(issue, None, actor="测试"),
    }
    if op in moves:
        try:
            moves[op]()
        except workflow.TransitionRefused:
            pass  # not a move from this state: the workflow refuses it, nothing changes
    elif op == "save":  # a plain save of the state (an admin form, a script)
        issue.status, issue.published_at = status, at
        issue.save()
    elif op == "edit":
        article.headline += "改"
        article.save()
    elif op == "record":  # history remembers the item and the issue as they are now
        with reversion.create_revision():
            reversion.add_to_revision(article)
            reversion.add_to_revision(issue)
    elif op == "restore-item":
        version = Version.objects.get_for_object(article).first()
        if version is not None:
            version.revert()
    elif op == "restore-issue":
        version = Version.objects.get_for_object(issue).first()
        if version is not None:
            version.revert()
    issue.refresh_from_db()


OPS = st.sampled_from(["publish", "retract", "review", "save", "edit", "record", "restore-item", "restore-issue"])


@HYPOTHESIS
@given(
    steps=st.lists(st.tuples(st.integers(0, 2), OPS, STATUSES, TIMES), min_size=1, max_size=8),
    clocks=CLOCKS,
)
def test_search_copy_of_visibility_stays_true_through_every_write_path(issues, steps, clocks):
    for index, op, status, at in steps:
        apply(op, issues[index], status, at)
    now = dt.datetime.now(dt.UTC)
    for clock in [*clocks, now, now + dt.timedelta(days=1)]:
        assert search_visible(clock) == set(Article.objects.visible(clock).values_list("pk", flat=True)), clock


def test_a_history_restore_keeps_an_item_findable(issues):
    """A version recorded before publication carries no publication time; restoring it after
    publication must not hide the item from search."""
    issue = issues[0]
    article = Article.objects.filter(page__issue=issue).first()
    with reversion.create_revision():
        reversion.add_to_revision(article)
    workflow.do_publish_issue(issue, None, actor="测试", reason="测试数据", override=True)
    Version.objects.get_for_object(article).first().revert()
    now = dt.datetime.now(dt.UTC)
    assert article.pk in search_visible(now) and Article.objects.visible(now).filter(pk=article.pk).exists()


def test_home_and_the_edition_agree_on_the_newest_issue_when_two_papers_share_a_date(issues):
    """reader/reading.py's newest issue and ``newest_pk`` (whose stored home page a publication
    retires) break a tie on the date the same way, and so do a date's issue and the staff's."""
    other = Publication.objects.create(name="第二份报", slug="second-paper")
    for issue in (issues[-1], Issue.objects.create(publication=other, date=issues[-1].date, weekday=3)):
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED, published_at=BASE)
    now = BASE + dt.timedelta(hours=1)
    assert reading.newest(now).pk == Issue.objects.visible(now).newest_pk()
    assert reading.visible_on(issues[-1].date, now).pk == min(
        Issue.objects.visible(now).filter(date=issues[-1].date).values_list("pk", flat=True)
    )
