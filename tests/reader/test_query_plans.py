"""Every query a public page makes has an index to use (PostgreSQL).

With sequential scans priced out (``enable_seqscan = off``) the planner still picks one
when no index can serve a query; so a plan without "Seq Scan" for every statement a page
ran means each has its index, whatever the archive's size. (At this test's size the planner
would scan happily; at a million items it must not have to.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]
# Tables small by nature (one row per newspaper), where a scan is the right plan.
SMALL = {"issues_publication"}


def public_urls(issue) -> list[str]:
    article = Article.objects.filter(page__issue=issue, credits__isnull=False).first()
    person = Person.objects.filter(credits__article=article).first()
    date = issue.date.isoformat()
    return [
        "/",
        "/issues/",
        f"/issues/?date={date}",
        f"/issues/{date}/",
        f"/issues/{date}/pages/1/",
        article.get_absolute_url(),
        f"/people/{person.pk}/",
        "/search/?q=职工",
        "/search/?q=职工&order=relevance",
        "/search/?q=职工&in=title",
        f"/search/?q=职工&person={person.pk}&page_number=1&from={date}&to={date}",
        "/feeds/rss/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        f"/api/issues/{date}/",
        "/api/search/?q=职工",
    ]


def test_no_public_query_needs_a_sequential_scan(client, sample_issue, fresh_cache, settings):
    settings.PUBLIC_PAGE_CACHE = False
    scans = []
    for url in public_urls(sample_issue):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code in {200, 302}, url
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            try:
                for statement in captured.captured_queries:
                    sql = statement["sql"]
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    cursor.execute("EXPLAIN " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    for line in plan.splitlines():
                        if "Seq Scan on" in line and not any(f"on {table}" in line for table in SMALL):
                            scans.append(f"{url}: {line.strip()}\n    {sql[:300]}")
            finally:
                cursor.execute("SET enable_seqscan = on")
    assert scans == [], "\n".join(scans)
