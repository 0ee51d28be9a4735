"""Saving a parse: the one write path from raw issue text to rows.

The management command, the admin upload and the tests all call ``do_import_issue``. It
parses first (nothing touches the database if the text is refused), then writes the whole
issue in one transaction: a failure leaves the database as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction

from articles.flags import Flag
from articles.models import Article, ArticleFlag, Credit, Person, Photo, joined_notes
from issues.importer import IssueParse, Item, ParseError, parse_issue
from issues.models import ImportStage, Issue, Page, Publication


class Refusal(models.TextChoices):
    """Why an import is refused; the label is the one-line message's template."""

    UNKNOWN_PUBLICATION = "unknown_publication", "报头上的报纸“{name}”不在库中：请先在编辑部添加这份报纸"
    CHANGED_FILE = "changed_file", "{issue} 已由 {source} 导入，这次的文件内容不同"
    EDITED = "edited", "不能替换 {issue}：导入后编辑改过其中 {count} 篇稿件（{names}），请先撤销或删除这些改动"
    CLASH = "clash", "{issue}（第{number}期）与已有期次冲突：期号已被另一日期占用，或同一期的另一次导入已先完成"


class ImportRefused(Exception):
    """The import would lose or duplicate work: ``reason`` and its parameters; the message
    (``str``) says why, in one line of Chinese. A caller adds how to go on (the command names
    --replace, the desk its replace box)."""

    def __init__(self, reason: Refusal, **params: object) -> None:
        self.reason, self.params = reason, params
        super().__init__(reason.label.format(**params))


class ImportOutcome(models.TextChoices):
    """What an import did with a file."""

    DRY_RUN = "dry-run", "试运行（未保存）"
    CREATED = "created", "已导入"
    REPLACED = "replaced", "已重新导入"
    UNCHANGED = "unchanged", "未改动（同一文件已导入过）"


@dataclass
class ImportResult:
    parse: IssueParse
    status: ImportOutcome
    issue: Issue | None = None
    sha256: str = ""
    source_name: str = ""
    notes: list[str] = field(default_factory=list)
    # For a dry run: what the import would do (CREATED, REPLACED or UNCHANGED), or why it would be refused.
    would: ImportOutcome | None = None
    refusal: ImportRefused | None = None

    @property
    def item_count(self) -> int:
        return sum(len(p.items) for p in self.parse.pages)

    @property
    def flag_count(self) -> int:
        return sum(len(item.flags) for _, item in self.parse.items())

    def summary(self) -> str:
        p = self.parse
        number = f" 第{p.number}期" if p.number else ""
        return (
            f"{self.source_name}: {p.publication} {p.date.isoformat()}{number} {self.status.label}："
            f"{len(p.pages)} 版，{self.item_count} 篇稿件，{self.flag_count} 个待审标记，"
            f"{len(p.warnings)} 条警告"
        )


def known_publications() -> dict[str, str]:
    """Masthead name or alias (upper-cased) → publication name, for the parser."""
    names = {}
    for pub in Publication.objects.all():
        for alias in pub.masthead_names():
            if alias:
                names[alias.upper()] = pub.name
    return names


def parse_bytes(data: bytes, *, date: dt.date | None = None, default_publication: str = "") -> IssueParse:
    return parse_issue(data, publications=known_publications(), date=date, default_publication=default_publication)


def do_import_issue(
    data: bytes,
    *,
    source_name: str,
    publication: Publication | None = None,
    date: dt.date | None = None,
    replace: bool = False,
    dry_run: bool = False,
    progress: Callable[[ImportStage], None] | None = None,
) -> ImportResult:
    """Parse ``data`` and save it as one issue, atomically.

    Raises ``ParseError`` for text the importer refuses and ``ImportRefused`` where saving
    would duplicate an issue or overwrite editors' work. ``progress`` hears each
    ``ImportStage`` before it starts, outside any transaction, so that a worker can report it.
    Publishing is the workflow's (``desk.workflow.publish_imported``), in the caller's
    transaction when the two must stand or fall together.
    """
    if progress:
        progress(ImportStage.PARSING)
    fallback = publication or Publication.objects.filter(slug=settings.NEWSROOM_DEFAULT_PUBLICATION).first()
    parse = parse_bytes(data, date=date, default_publication=fallback.name if fallback else "")
    sha = hashlib.sha256(data).hexdigest()
    result = ImportResult(parse=parse, status=ImportOutcome.DRY_RUN, sha256=sha, source_name=source_name)
    if dry_run:
        return _foresee(result, publication, replace=replace)
    if publication is None:
        publication = Publication.objects.filter(name=parse.publication).first()
        if publication is None:
            raise ImportRefused(Refusal.UNKNOWN_PUBLICATION, name=parse.publication)

    if progress:
        progress(ImportStage.SAVING)
    with transaction.atomic():
        _lock_issue(publication, parse.date)
        existing = Issue.objects.select_for_update().filter(publication=publication, date=parse.date).first()
        if plan(existing, sha, replace=replace) == ImportOutcome.UNCHANGED:
            result.status, result.issue = ImportOutcome.UNCHANGED, existing
            return result
        if existing:
            existing.pages.all().delete()
            issue = existing
            result.status = ImportOutcome.REPLACED
        else:
            issue = Issue(publication=publication, date=parse.date)
            result.status = ImportOutcome.CREATED
        _fill_issue(issue, parse, source_name=source_name, sha=sha)
        try:
            with transaction.atomic():
                issue.save()
        except IntegrityError as exc:
            raise ImportRefused(Refusal.CLASH, issue=f"{publication} {parse.date}", number=parse.number) from exc
        _save_pages(issue, parse)
    result.issue = issue
    return result


def plan(existing: Issue | None, sha: str, *, replace: bool) -> ImportOutcome:
    """What importing a file of hash ``sha`` does to the issue of its date (None: there is
    none yet): the re-import policy. Raises ImportRefused for a changed file without
    ``replace``, and for a replacement that would overwrite editors' corrections."""
    if existing is None:
        return ImportOutcome.CREATED
    if existing.source_sha256 == sha:
        return ImportOutcome.UNCHANGED
    if not replace:
        raise ImportRefused(Refusal.CHANGED_FILE, issue=existing, source=existing.source_name or "另一个文件")
    edited = list(Article.objects.filter(page__issue=existing, edited=True).values_list("headline", flat=True))
    if edited:
        names = "、".join(h or "(无标题)" for h in edited[:5])
        raise ImportRefused(Refusal.EDITED, issue=existing, count=len(edited), names=names)
    return ImportOutcome.REPLACED


def _foresee(result: ImportResult, publication: Publication | None, *, replace: bool) -> ImportResult:
    """A dry run's result with what the import would do, or why it would be refused."""
    parse = result.parse
    publication = publication or Publication.objects.filter(name=parse.publication).first()
    if publication is None:
        result.refusal = ImportRefused(Refusal.UNKNOWN_PUBLICATION, name=parse.publication)
        return result
    existing = Issue.objects.select_related("publication").filter(publication=publication, date=parse.date).first()
    try:
        result.would = plan(existing, result.sha256, replace=replace)
    except ImportRefused as exc:
        result.refusal = exc
    return result


def _lock_issue(publication: Publication, date: dt.date) -> None:
    """Serialise imports of one issue: a second process waits, then finds it imported.

    SQLite already allows one writer at a time; PostgreSQL gets a transaction-scoped
    advisory lock keyed by publication and date.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [publication.pk, date.toordinal()])


def _fill_issue(issue: Issue, parse: IssueParse, *, source_name: str, sha: str) -> None:
    issue.number = parse.number
    issue.weekday = parse.weekday
    issue.lunar_date = parse.lunar_date
    issue.page_count = parse.page_count
    issue.source_name = source_name
    issue.source_sha256 = sha
    issue.source_encoding = parse.encoding
    issue.raw_text = parse.text
    issue.masthead = "\n".join(parse.masthead)
    issue.warnings = [note.as_json() for note in parse.warnings]
    issue.unassigned = list(parse.unassigned)


def _save_pages(issue: Issue, parse: IssueParse) -> None:
    people: dict[str, Person] = {}
    names = {c.name for _, item in parse.items() for c in item.credits}
    for person in Person.objects.filter(name__in=names):
        people[person.name] = person
    missing = [Person(name=n) for n in sorted(names - people.keys())]
    for person in Person.objects.bulk_create(missing, ignore_conflicts=True):
        people.setdefault(person.name, person)
    if any(p.pk is None for p in people.values()):
        people = {p.name: p for p in Person.objects.filter(name__in=names)}

    # Pages and items go in one INSERT each, without save signals: the issue's own save, in
    # this transaction, already retired what readers had of it (reader/signals.py).
    pages = [
        Page(
            issue=issue,
            number=page_parse.number,
            name=page_parse.name,
            header=page_parse.header,
            furniture=list(page_parse.furniture),
        )
        for page_parse in parse.pages
    ]
    Page.objects.bulk_create(pages)
    if any(page.pk is None for page in pages):  # backends without RETURNING ids
        saved = {page.number: page for page in Page.objects.filter(issue=issue)}
        pages = [saved[page.number] for page in pages]

    articles: list[tuple[Article, object]] = []
    for page, page_parse in zip(pages, parse.pages, strict=True):
        for position, item in enumerate(page_parse.items, start=1):
            article = Article(
                page=page,
                position=position,
                kind=item.kind,
                kicker=item.kicker,
                headline=item.headline,
                subheadline=item.subheadline,
                byline=item.byline,
                source=item.source,
                dateline_place=item.dateline_place,
                dateline_date=item.dateline_date,
                body=[{"kind": p.kind, "text": p.text} for p in item.paragraphs],
                continued_to_page=item.continued_to,
                continued_from_page=item.continued_from,
                raw_text=item.raw_text,
                issue_date=issue.date,
                issue_published_at=issue.items_published_at,
            )
            article.refresh_search_fields(captions=[f"{photo.caption}\n{photo.credit}" for photo in item.photos])
            articles.append((article, item))
    Article.objects.bulk_create([a for a, _ in articles])
    if any(a.pk is None for a, _ in articles):  # backends without RETURNING ids
        saved = {(a.page_id, a.position): a for a in Article.objects.filter(page__issue=issue)}
        articles = [(saved[(a.page_id, a.position)], item) for a, item in articles]

    photos, credits = [], []
    for article, item in articles:
        for position, photo in enumerate(item.photos):
            photos.append(
                Photo(
                    article=article,
                    position=position,
                    caption=photo.caption,
                    credit=photo.credit,
                    photographers=list(photo.photographers),
                )
            )
        seen = set()
        for position, credit in enumerate(item.credits):
            if (credit.name, credit.role) in seen:
                continue
            seen.add((credit.name, credit.role))
            credits.append(Credit(article=article, person=people[credit.name], role=credit.role, position=position))
    Photo.objects.bulk_create(photos)
    Credit.objects.bulk_create(credits)
    ArticleFlag.objects.bulk_create(flag for article, item in articles for flag in _flags(article, item))
    _link_continuations([a for a, _ in articles])


def _flags(article: Article, item: Item) -> list[ArticleFlag]:
    """The item's flags as unreviewed rows, each with the importer's evidence (its notes rendered
    in Chinese, issues/importer/notes.py); an OCR flag also
    carries the spellings the importer suggests, which the desk applies with one click."""
    notes = {code: joined_notes(*(note.chinese() for note in found)) for code, found in item.notes}
    suggestions = [dataclasses.asdict(s) for s in item.suggestions]
    return [
        ArticleFlag(
            article=article,
            code=code,
            note=notes.get(code, ""),
            suggestions=suggestions if code == Flag.POSSIBLE_OCR_ERROR else [],
        )
        for code in dict.fromkeys(item.flags)
    ]


def _link_continuations(articles: list[Article]) -> None:
    """Point each (上接第N版) part at the part on page N that jumps to its page."""
    by_page: dict[int, list[Article]] = {}
    for article in articles:
        by_page.setdefault(article.page.number, []).append(article)
    linked = []
    for article in articles:
        if not article.continued_from_page:
            continue
        candidates = [
            a for a in by_page.get(article.continued_from_page, []) if a.continued_to_page == article.page.number
        ]
        same_title = [a for a in candidates if article.headline and a.headline == article.headline]
        match = same_title[0] if len(same_title) == 1 else candidates[0] if len(candidates) == 1 else None
        if match is not None:
            article.continues = match
            linked.append(article)
    if linked:
        Article.objects.bulk_update(linked, ["continues"])


__all__ = [
    "ImportOutcome",
    "ImportRefused",
    "ImportResult",
    "ParseError",
    "Refusal",
    "do_import_issue",
    "parse_bytes",
    "plan",
]
