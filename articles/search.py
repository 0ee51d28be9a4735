"""Search: one interface, a PostgreSQL and an SQLite backend.

Queries are segmented exactly like indexed text (``segmentation.query_tokens``), after
Traditional characters are turned Simplified. Every token must match (search-mode tokens of
a query are all present in text that contains it). A quoted phrase must also appear
verbatim in the item's plain text: token matches alone would accept the words scattered.

At archive scale (1,000,000 items) the candidate set is bounded: at most ``CAP`` matches,
newest first. PostgreSQL walks the newest-first index when the planner expects many matches
(a common word finds ten hits within a few rows) and collects the matches from the GIN
index when it expects few (a rare word has only a handful). Counts beyond ``CAP`` show as
"1,000+"; relevance ranks and facets are computed within the candidate set. The trade-off:
"most relevant" means most relevant among the newest thousand matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import opencc
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import segmentation

CAP = 1000
PER_PAGE = 10
ESTIMATE_TTL = 60 * 60
DENSE = 20_000  # planner estimate above which walking the date index wins
PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')
_t2s = opencc.OpenCC("t2s")


@dataclass
class Query:
    text: str = ""
    title_only: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page_number: int | None = None
    person_id: int | None = None
    order: str = "newest"  # or "relevance"

    @cached_property
    def simplified(self) -> str:
        return _t2s.convert(self.text.strip())

    @cached_property
    def phrases(self) -> list[str]:
        return [next(g for g in m.groups() if g) for m in PHRASE.finditer(self.simplified)]

    @cached_property
    def tokens(self) -> list[str]:
        seen: dict[str, None] = {}
        for token in segmentation.query_tokens(self.simplified):
            seen.setdefault(token.lower(), None)
        return list(seen)

    @property
    def is_empty(self) -> bool:
        return not self.tokens


@dataclass
class Results:
    query: Query
    ids: list[int] = field(default_factory=list)  # candidates, in the order asked for
    capped: bool = False
    facets: dict[str, list] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def total_display(self) -> str:
        return f"{CAP:,}+" if self.capped else f"{self.total:,}"


def search(query: Query) -> Results:
    """Candidate ids for ``query``, newest first or by relevance, with facet counts."""
    if query.is_empty:
        return Results(query)
    backend = _backend()
    rows = backend.candidates(query)
    capped = len(rows) > CAP
    rows = rows[:CAP]
    ids = [row[0] for row in rows]
    if query.order == "relevance" and ids:
        ids = backend.rank(query, ids)
    return Results(query, ids, capped, facets(rows))


def facets(rows: list[tuple[int, dt.date, int]]) -> dict[str, list]:
    """Counts per page number, per year and per credited person over the candidate set.

    ``rows`` are the candidates as the backends return them: (id, issue date, page number).
    """
    if not rows:
        return {"pages": [], "years": [], "people": []}
    ids = [row[0] for row in rows]
    pages = Counter(number for _, _, number in rows)
    years = Counter(date.year for _, date, _ in rows if date)
    return {
        "pages": sorted(pages.items()),
        "years": sorted(years.items(), reverse=True),
        "people": _backend().people(ids),
    }


def _backend() -> PostgresBackend | SqliteBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _filters(query: Query, alias: str = "a", now: dt.datetime | None = None) -> tuple[list[str], list]:
    """SQL conditions shared by both backends (visibility, filters, phrase and title checks).

    Visibility is ``issues.models.visible_q`` read from the item's own row: its copy of
    ``Issue.items_published_at`` is set only while the issue is published (articles/signals.py
    keeps it; tests/reader/test_visibility.py proves the two agree).
    """
    where = [f"{alias}.issue_published_at <= %s"]
    params: list = [now or timezone.now()]
    if query.date_from:
        where.append(f"{alias}.issue_date >= %s")
        params.append(query.date_from)
    if query.date_to:
        where.append(f"{alias}.issue_date <= %s")
        params.append(query.date_to)
    if query.page_number:
        where.append(f"{alias}.page_id IN (SELECT id FROM issues_page WHERE number = %s)")
        params.append(query.page_number)
    if query.person_id:
        where.append(f"EXISTS (SELECT 1 FROM articles_credit c WHERE c.article_id = {alias}.id AND c.person_id = %s)")
        params.append(query.person_id)
    for phrase in query.phrases:
        where.append(f"{alias}.plain_text LIKE %s ESCAPE '\\'")
        params.append(f"%{_like(phrase)}%")
    if query.title_only:
        for token in query.tokens:
            where.append(f"({alias}.kicker || {alias}.headline || {alias}.subheadline) LIKE %s ESCAPE '\\'")
            params.append(f"%{_like(token)}%")
    return where, params


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


PEOPLE_SQL = (
    "SELECT c.person_id, p.name, COUNT(DISTINCT c.article_id) AS n FROM articles_credit c "
    "JOIN articles_person p ON p.id = c.person_id WHERE c.article_id {ids} "
    "GROUP BY c.person_id, p.name ORDER BY n DESC, p.name LIMIT 10"
)


class PostgresBackend:
    def _tsquery(self, query: Query) -> str:
        return " & ".join("'" + token.replace("'", "''") + "'" for token in query.tokens)

    def estimate(self, query: Query) -> int:
        """The planner's guess of the matches; cached, as it only moves with ANALYZE."""
        key = "search-estimate:" + hashlib.sha256(self._tsquery(query).encode()).hexdigest()
        rows = cache.get(key)
        if rows is None:
            rows = self._explain(query)
            cache.set(key, rows, ESTIMATE_TTL)
        return rows

    def _explain(self, query: Query) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_article WHERE search_vector @@ to_tsquery('simple', %s)",
                [self._tsquery(query)],
            )
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def plan(self, query: Query) -> tuple[str, list]:
        """The candidate SQL: walk the newest-first index for common words, GIN for rare ones."""
        where, params = _filters(query)
        sql_where = " AND ".join(["a.search_vector @@ to_tsquery('simple', %s)", *where])
        params = [self._tsquery(query), *params, CAP + 1]
        if self.estimate(query) >= DENSE:
            sql = (
                "SELECT a.id, a.issue_date, p.number FROM articles_article a JOIN issues_page p ON p.id = a.page_id "
                f"WHERE {sql_where} ORDER BY a.issue_date DESC, a.id DESC LIMIT %s"
            )
        else:
            sql = (
                "WITH hits AS MATERIALIZED "
                f"(SELECT a.id, a.issue_date, a.page_id FROM articles_article a WHERE {sql_where}) "
                "SELECT h.id, h.issue_date, p.number FROM hits h JOIN issues_page p ON p.id = h.page_id "
                "ORDER BY h.issue_date DESC, h.id DESC LIMIT %s"
            )
        return sql, params

    def candidates(self, query: Query) -> list[tuple[int, dt.date, int]]:
        """(id, issue date, page number) of up to CAP + 1 matches, newest first."""
        sql, params = self.plan(query)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def people(self, ids: list[int]) -> list[tuple[int, str, int]]:
        """The ten people credited most among ``ids``: (id, name, items)."""
        with connection.cursor() as cursor:
            cursor.execute(PEOPLE_SQL.format(ids="= ANY(%s)"), [ids])
            return cursor.fetchall()

    def rank(self, query: Query, ids: list[int]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM articles_article WHERE id = ANY(%s) "
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, issue_date DESC, id DESC",
                [ids, self._tsquery(query)],
            )
            return [row[0] for row in cursor.fetchall()]


class SqliteBackend:
    def _match(self, query: Query) -> str:
        return " ".join('"' + token.replace('"', '""') + '"' for token in query.tokens)

    def candidates(self, query: Query) -> list[tuple[int, dt.date, int]]:
        where, params = _filters(query)
        sql = (
            "SELECT a.id, a.issue_date, p.number FROM articles_article a "
            "JOIN articles_article_fts f ON f.rowid = a.id JOIN issues_page p ON p.id = a.page_id "
            f"WHERE articles_article_fts MATCH %s AND {' AND '.join(where)} "
            "ORDER BY a.issue_date DESC, a.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(query), *params, CAP + 1])
            return [(id_, _as_date(day), number) for id_, day, number in cursor.fetchall()]

    def people(self, ids: list[int]) -> list[tuple[int, str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(PEOPLE_SQL.format(ids="IN (SELECT value FROM json_each(%s))"), [json.dumps(ids)])
            return cursor.fetchall()

    def rank(self, query: Query, ids: list[int]) -> list[int]:
        marks = ",".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s AND rowid IN ({marks}) "
                "ORDER BY bm25(articles_article_fts)",
                [self._match(query), *ids],
            )
            return [row[0] for row in cursor.fetchall()]


def _as_date(value) -> dt.date | None:
    """SQLite hands raw SQL dates back as text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def snippet(text: str, query: Query, width: int = 90) -> SafeString:
    """An escaped window of ``text`` around the first match, matches wrapped in <mark>."""
    words = sorted({*query.phrases, *(t for t in query.tokens if len(t) > 1 or not t.isascii())}, key=len, reverse=True)
    flat = text.replace("\n", " ")
    first = min((i for i in (flat.lower().find(w.lower()) for w in words) if i >= 0), default=0)
    start = max(0, first - width // 3)
    window = flat[start : start + width]
    html = escape(window)
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(flat) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - built from escaped text only
