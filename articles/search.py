"""Search: one interface, a PostgreSQL and an SQLite backend.

Queries are segmented exactly like indexed text (``segmentation.query_tokens``), after
Traditional characters are turned Simplified. Every token must match (search-mode tokens of
a query are all present in text that contains it). A quoted phrase must also appear
verbatim in the item's plain text: token matches alone would accept the words scattered.

At archive scale (1,000,000 items) the candidate set is bounded: at most ``CAP`` matches,
newest first. PostgreSQL walks the newest-first index when the planner expects most items to
match (a common word finds ten hits within a few rows), collects the matches from the GIN
index when it expects few (a rare word has only a handful), and in between collects them from
the GIN index within the newest items' dates, a window sized from the estimate to hold the
limit (a word in a few percent of a million items would otherwise fetch a hundred thousand
rows, or walk tens of thousands of search vectors), falling back to every match when the
window held fewer. A window the planner would run by reading every row of its dates (and
testing its search vector) instead of with the word index is not taken: EXPLAIN is asked
once an hour per query. Counts beyond ``CAP`` show as
"1,000+"; relevance ranks and facets are computed within the candidate set. The trade-off:
"most relevant" means most relevant among the newest thousand matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import opencc
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import segmentation

CAP = 1000
PER_PAGE = 10
ESTIMATE_TTL = 60 * 60
POOL = 2 * CAP  # a phrase is checked on the plain text of at most this many word matches
WALK_COST = 8  # a row walked in date order (its search vector read) against a bitmap match
WINDOW_MARGIN = 4  # a window spans this many times the newest rows the estimate says hold the limit
POSTINGS_PER_ROW = 20  # entries of a word's list in the GIN index decoded for the cost of a row fetched
WORD_INDEXES = ("article_search_vector", "article_search_date")  # GIN, articles/0003 and 0011
PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')
# Taiwan-standard Traditional back to Simplified: undoes reader/cache.py's s2tw exactly (plain
# t2s leaves 著 where the paper printed 着); other Traditional text folds as with t2s.
_t2s = opencc.OpenCC("tw2s")


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
        """The count, with "+" when more matches exist than were collected."""
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"


def search(query: Query) -> Results:
    """Candidate ids for ``query`` with facet counts.

    Items whose title lines contain every query word come first, then the rest; within each
    group newest first, or by relevance when asked.
    """
    if query.is_empty:
        return Results(query)
    backend = _backend()
    rows, partial = backend.candidates(query)
    capped = partial or len(rows) > CAP
    rows = rows[:CAP]
    ids = [row[0] for row in rows]
    if query.order == "relevance" and ids:
        ids = backend.rank(query, ids)
    titled = {row[0] for row in rows if row[3]}
    ids.sort(key=lambda id_: id_ not in titled)  # stable: keeps the order within each group
    return Results(query, ids, capped, facets(rows))


def facets(rows: list[tuple]) -> dict[str, list]:
    """Counts per page number, per year and per credited person over the candidate set.

    ``rows`` are the candidates as the backends return them: (id, issue date, page number, …).
    """
    if not rows:
        return {"pages": [], "years": [], "people": []}
    ids = [row[0] for row in rows]
    pages = Counter(row[2] for row in rows)
    years = Counter(row[1].year for row in rows if row[1])
    return {
        "pages": sorted(pages.items()),
        "years": sorted(years.items(), reverse=True),
        "people": _backend().people(ids),
    }


def _backend() -> PostgresBackend | SqliteBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _filters(query: Query, alias: str = "a", now: dt.datetime | None = None) -> tuple[list[str], list]:
    """SQL conditions shared by both backends (visibility, filters, title-only), phrases aside.

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
    if query.title_only:
        title, title_params = _in_titles(query, alias)
        where.append(title)
        params += title_params
    return where, params


def _phrases(query: Query, alias: str = "a") -> tuple[list[str], list]:
    """A quoted phrase must appear verbatim in the item's plain text."""
    return [f"{alias}.plain_text LIKE %s ESCAPE '\\'" for _ in query.phrases], [
        f"%{_like(phrase)}%" for phrase in query.phrases
    ]


def _in_titles(query: Query, alias: str = "a") -> tuple[str, list]:
    """True where the kicker, headline and subheadline together contain every query word."""
    lines = f"LOWER({alias}.kicker || ' ' || {alias}.headline || ' ' || {alias}.subheadline)"
    sql = " AND ".join(f"{lines} LIKE %s ESCAPE '\\'" for _ in query.tokens)
    return f"({sql})", [f"%{_like(token)}%" for token in query.tokens]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


PEOPLE_SQL = (
    "SELECT c.person_id, p.name, COUNT(DISTINCT c.article_id) AS n FROM articles_credit c "
    "JOIN articles_person p ON p.id = c.person_id WHERE c.article_id {ids} "
    "GROUP BY c.person_id, p.name ORDER BY n DESC, p.name LIMIT 10"
)


class Strategy(StrEnum):
    """How PostgreSQL collects a query's matches; both use an index, neither reads every row."""

    GIN = "gin"  # bitmap from the GIN index: cost grows with the matches, for selective words
    WINDOW = "window"  # the GIN bitmap within the newest rows' dates: for words in a few percent
    WALK = "walk"  # newest-first date index, stopping at the limit: for common words


@dataclass
class Plan:
    sql: str
    params: list
    settings: dict[str, str]  # planner settings the statement runs under (SET LOCAL)
    strategy: Strategy


class PostgresBackend:
    """Chooses the plan shape itself (from its cached estimate) and pins it with planner settings.

    Left to itself, the planner prices a bitmap over 10-40 % of a mid-sized table above a
    sequential scan, which detoasts every row's search vector (180-500 ms at 37,000 items).
    """

    def _tsquery(self, query: Query) -> str:
        return " & ".join("'" + token.replace("'", "''") + "'" for token in query.tokens)

    def _match(self, query: Query) -> tuple[str, list]:
        """The word matches with every filter but the phrases: what an index collects."""
        where, params = _filters(query)
        sql_where = " AND ".join(["a.search_vector @@ to_tsquery('simple', %s)", *where])
        return f"SELECT a.id, a.issue_date, a.page_id FROM articles_article a WHERE {sql_where}", [
            self._tsquery(query),
            *params,
        ]

    def estimate(self, query: Query) -> tuple[int, int]:
        """(expected matches, items in the table) from the statistics (the words' frequencies
        in most_common_elems, the filters'): no row is read. Cached, as both move with ANALYZE."""
        return tuple(self._kept("estimate", query, lambda: self._explain(query)))

    def _kept(self, name: str, query: Query, find, *extra):
        """``find()`` for the query's words and filters (and ``extra``), cached for ``ESTIMATE_TTL``."""
        asked = [
            connection.settings_dict["NAME"],
            self._tsquery(query),
            query.title_only,
            query.date_from,
            query.date_to,
        ]
        asked += [query.page_number, query.person_id, *extra]
        key = f"search-{name}:" + hashlib.sha256(repr(asked).encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = find()
            cache.set(key, found, ESTIMATE_TTL)
        return found

    def _explain(self, query: Query) -> tuple[int, int]:
        sql, params = self._match(query)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'articles_article'::regclass")
            total = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"]), max(int(total), 0)

    def strategy(self, query: Query) -> Strategy:
        """The cheapest way to the limit by the estimate, in rows read: the walk reads about
        limit / share rows, each with its search vector (``WALK_COST``); the GIN bitmap fetches
        every match; the window fetches the matches among the newest rows that hold the limit
        (with a margin) and decodes the word's whole list of rows in the index on the way."""
        matches, total = self.estimate(query)
        limit = _limit(query)
        walked = limit * max(total, 1) / max(matches, 1)
        costs = {Strategy.WALK: walked * WALK_COST, Strategy.GIN: matches}
        # A window of at most half the items (else the planner reads the window's vectors), and
        # none under ``date_to``: the window starts from the newest items of all.
        if self.window_rows(query) * 2 < total and not query.date_to:
            costs[Strategy.WINDOW] = limit * WINDOW_MARGIN + matches / POSTINGS_PER_ROW
        chosen = min(costs, key=costs.get)
        if chosen is Strategy.WINDOW and not self._window_uses_words(query):
            del costs[Strategy.WINDOW]
            chosen = min(costs, key=costs.get)
        return chosen

    def _window_uses_words(self, query: Query) -> bool:
        """Whether the planner takes the window's matches from the word index too. When the
        words are in most rows it prices that bitmap above reading every row of the window's
        dates and testing its search vector, which reads several times the rows the walk
        does (a phrase of two common words: 16,000 vectors, 130 ms at 37,000 items). Asked
        of EXPLAIN once an hour per query, like the estimate."""

        def uses_words() -> list[bool]:
            plan = self.plan(query, Strategy.WINDOW)
            with _planner(plan.settings) as cursor:
                cursor.execute("EXPLAIN " + plan.sql, plan.params)
                text = " ".join(row[0] for row in cursor.fetchall())
            return [plan.strategy is not Strategy.WINDOW or any(index in text for index in WORD_INDEXES)]

        try:  # asked of the window it judges: its size (the limit) and its oldest date
            return self._kept("uses-words", query, uses_words, _limit(query), self.window_start(query))[0]
        except DatabaseError:
            return True  # not asked, not kept: the estimate's choice stands

    def window_rows(self, query: Query) -> int:
        """How many of the newest items the window spans: those the estimate says hold the
        limit, times the margin, rounded up to a power of two (a few sizes, each looked up once
        an hour by ``window_start``)."""
        matches, total = self.estimate(query)
        rows = int(_limit(query) * max(total, 1) / max(matches, 1) * WINDOW_MARGIN)
        return 1 << max(rows - 1, 1).bit_length()

    def window_start(self, query: Query) -> dt.date | None:
        """The oldest date of the window (``Strategy.WINDOW``): that of the newest rows the
        estimate says hold the limit, times the margin. Kept like the estimate: a later
        import only widens the window, and a window that held too few falls back. A visible
        item always has its issue's date (articles/signals.py), so ``>=`` it loses none."""
        rows = self.window_rows(query)
        key = f"search-window:{connection.settings_dict['NAME']}:{rows}"
        found = cache.get(key)
        if found is None:
            with _planner({"enable_seqscan": "off"}) as cursor:
                cursor.execute(
                    "SELECT issue_date FROM articles_article WHERE issue_date IS NOT NULL "
                    "ORDER BY issue_date DESC, id DESC OFFSET %s LIMIT 1",
                    [rows],
                )
                row = cursor.fetchone()
            found = (row[0],) if row else (None,)
            cache.set(key, found, ESTIMATE_TTL)
        return found[0]

    def plan(self, query: Query, strategy: Strategy | None = None) -> Plan:
        """The candidate statement: the matches (up to the limit, newest first) by the chosen
        index, then the phrase check on the plain text of those only, and the title flag."""
        strategy = strategy or self.strategy(query)
        match, params = self._match(query)
        limit = _limit(query)
        start = self.window_start(query) if strategy is Strategy.WINDOW else None
        if strategy is Strategy.WINDOW and start is None:
            strategy = Strategy.GIN  # fewer rows than the window: the window is every match
        if start is not None:
            match += " AND a.issue_date >= %s"
            params.append(start)
        if strategy is Strategy.WALK:
            pool = f"pool AS MATERIALIZED ({match} ORDER BY a.issue_date DESC, a.id DESC LIMIT %s)"
        else:
            pool = (
                f"hits AS MATERIALIZED ({match}), "
                "pool AS MATERIALIZED (SELECT * FROM hits ORDER BY issue_date DESC, id DESC LIMIT %s)"
            )
        title, title_params = _in_titles(query)
        phrases, phrase_params = _phrases(query)
        checked = f"WHERE {' AND '.join(phrases)} " if phrases else ""
        # One row at least, carrying the pool's size, even when the phrase check keeps none.
        sql = (
            f"WITH {pool} SELECT r.id, r.issue_date, r.number, r.titled, n.pooled "
            "FROM (SELECT COUNT(*) AS pooled FROM pool) n LEFT JOIN LATERAL ("
            f"SELECT h.id, h.issue_date, p.number, {title} AS titled "
            "FROM pool h JOIN articles_article a ON a.id = h.id JOIN issues_page p ON p.id = h.page_id "
            f"{checked}ORDER BY h.issue_date DESC, h.id DESC LIMIT %s) r ON true"
        )
        # the pool joins its rows by primary key, one probe each, never a pass over the table
        settings = {"enable_seqscan": "off", "enable_hashjoin": "off", "enable_mergejoin": "off"}
        if strategy is Strategy.WALK:
            settings["enable_bitmapscan"] = "off"
        if strategy is Strategy.WINDOW:
            # the window's rows as a bitmap ANDed with the word's, never a walk of their vectors
            settings["enable_indexscan"] = "off"
        return Plan(sql, [*params, limit, *title_params, *phrase_params, CAP + 1], settings, strategy)

    def candidates(self, query: Query) -> tuple[list[tuple[int, dt.date, int, bool]], bool]:
        """(id, issue date, page number, title match) of up to CAP + 1 matches, newest first,
        and whether the phrase check stopped short of all the word matches."""
        plan = self.plan(query)
        rows, pooled = self._run(plan)
        if plan.strategy is Strategy.WINDOW and pooled < _limit(query):
            # The window held fewer matches than the limit: there may be older ones.
            rows, pooled = self._run(self.plan(query, Strategy.GIN))
        return rows, bool(query.phrases) and pooled >= POOL

    def _run(self, plan: Plan) -> tuple[list[tuple], int]:
        """The candidate rows and how many word matches the pool held."""
        with _planner(plan.settings) as cursor:
            cursor.execute(plan.sql, plan.params)
            rows = cursor.fetchall()
        return [row[:4] for row in rows if row[0] is not None], rows[0][4]

    def people(self, ids: list[int]) -> list[tuple[int, str, int]]:
        """The ten people credited most among ``ids``: (id, name, items)."""
        with connection.cursor() as cursor:
            cursor.execute(PEOPLE_SQL.format(ids="= ANY(%s)"), [ids])
            return cursor.fetchall()

    def rank(self, query: Query, ids: list[int]) -> list[int]:
        with _planner({"enable_seqscan": "off"}) as cursor:
            cursor.execute(
                "SELECT id FROM articles_article WHERE id = ANY(%s) "
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, issue_date DESC, id DESC",
                [ids, self._tsquery(query)],
            )
            return [row[0] for row in cursor.fetchall()]


def _limit(query: Query) -> int:
    """How many word matches the candidate statement collects at most."""
    return POOL if query.phrases else CAP + 1


@contextmanager
def _planner(settings: dict[str, str]) -> Iterator:
    """A cursor whose statements run under ``settings``, restored afterwards (also when the
    caller's transaction goes on: SET LOCAL would last until its end)."""
    names = list(settings)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join("current_setting(%s)" for _ in names)
            + ", "
            + ", ".join("set_config(%s, %s, true)" for _ in names),
            [*names, *(item for pair in settings.items() for item in pair)],
        )
        before = cursor.fetchone()[: len(names)]
        # On an error the block rolls back, and the settings with it (they were SET LOCAL
        # after its savepoint): restoring them in the aborted transaction would hide the error.
        yield cursor
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
            [item for pair in zip(names, before, strict=True) for item in pair],
        )


class SqliteBackend:
    def _match(self, query: Query) -> str:
        return " ".join('"' + token.replace('"', '""') + '"' for token in query.tokens)

    def candidates(self, query: Query) -> tuple[list[tuple[int, dt.date, int, bool]], bool]:
        where, params = _filters(query)
        phrases, phrase_params = _phrases(query)
        title, title_params = _in_titles(query)
        sql = (
            f"SELECT a.id, a.issue_date, p.number, {title} FROM articles_article a "
            "JOIN articles_article_fts f ON f.rowid = a.id JOIN issues_page p ON p.id = a.page_id "
            f"WHERE articles_article_fts MATCH %s AND {' AND '.join([*where, *phrases])} "
            "ORDER BY a.issue_date DESC, a.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*title_params, self._match(query), *params, *phrase_params, CAP + 1])
            rows = cursor.fetchall()
        return [(id_, _as_date(day), number, bool(titled)) for id_, day, number, titled in rows], False

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
