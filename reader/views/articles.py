"""Reader-facing item views: article, plain-text download, person, search."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles import search as search_service
from articles.models import Article, Credit, Person, Photo
from issues.models import Issue, Page
from reader import edition, preview
from reader.cache import last_modified, public_page
from reader.edition import remember
from reader.site import absolute_url
from reader.statements import Rows, Statement, arg
from reader.views.issues import TITLE_FIELDS, issue_articles, published_issue


def published_article(date: dt.date, page: int, position: int) -> Article:
    article = issue_article(published_issue(date), page, position)
    if article is None:
        raise Http404("no such item")
    return article


def reading_order(article: Article, memo: dict | None = None) -> tuple[Article | None, Article | None]:
    """The items before and after ``article`` in the issue, page by page (the issue's list
    kept in ``memo``, an ``edition.issue_memo``, as rows: only the two shown are made)."""
    issue = article.page.issue
    order = remember(memo, ("reading order", issue.pk), lambda: _READING_ORDER.rows(issue=issue.pk))
    index = order.index(article.pk)
    if index is None:  # moved away since the item was read: the next read has it
        return None, None
    return _linked(order, index - 1, issue), _linked(order, index + 1, issue)


def _linked(order: Rows, index: int, issue: Issue) -> Article | None:
    if not 0 <= index < len(order):
        return None
    item = order.instance(index)
    item.page.issue = issue  # its link needs the issue's date: no query for it
    return item


LINKED = (*TITLE_FIELDS, "page__number", "page__issue_id")  # a link, and the page it points into
_READING_ORDER = Statement(
    Article,
    lambda: (
        Article.objects.filter(page__issue=arg(Page, "issue"))
        .with_lead()
        .select_related("page")
        .only(*LINKED)
        .order_by("page__number", "position")
    ),
)


def article_in(request, date: dt.date, page: int, position: int) -> tuple[Issue, Article]:
    """The item the article view shows, kept by the process (``edition.remember_item``);
    while the edition renders the issue, from the items it loaded for all its pages."""
    issue = remember(edition.memo(request), ("issue", date), lambda: preview.issue_for(request, date))
    shared = edition.memo(request)
    if shared is not None:
        article = issue_articles(issue, shared).get((page, position))
    else:
        article = edition.remember_item(issue, (page, position), lambda: issue_article(issue, page, position))
    if article is None:
        raise Http404("no such item")
    return issue, article


_ITEM = Statement(
    Article,
    lambda: (
        Article.objects.select_related("page", "continues__page")
        .defer("raw_text", "search_text")
        .filter(page__issue=arg(Page, "issue"), page__number=arg(Page, "number"), position=arg(Article, "position"))
        .annotate(  # which of the reads below have anything to read (most items lack photos and parts)
            has_credits=Exists(Credit.objects.filter(article=OuterRef("pk"))),
            has_photos=Exists(Photo.objects.filter(article=OuterRef("pk"))),
            has_parts=Exists(Article.objects.filter(continues=OuterRef("pk"))),
        )
        .order_by("pk")[:1]
    ),
)
_CREDITS = Statement(Credit, lambda: Credit.objects.select_related("person").filter(article=arg(Credit, "article")))
_PHOTOS = Statement(Photo, lambda: Photo.objects.filter(article=arg(Photo, "article")))
_PARTS = Statement(Article, lambda: Article.objects.select_related("page").filter(continues=arg(Article, "continues")))


def issue_article(issue: Issue, page: int, position: int) -> Article | None:
    """The item at ``page`` and ``position`` of ``issue``, loaded as ``article_rows`` loads
    items (its credits, photos and the parts continued in as ``shown_*`` lists)."""
    article = _ITEM.first(issue=issue.pk, number=page, position=position)
    if article is None:
        return None
    article.page.issue = issue
    article.shown_credits = _CREDITS.all(article=article.pk) if article.has_credits else []
    article.shown_photos = _PHOTOS.all(article=article.pk) if article.has_photos else []
    article.shown_parts = _PARTS.all(continues=article.pk) if article.has_parts else []
    return article


@public_page(stored=True)
def article_detail(request, date: dt.date, page: int, position: int):
    issue, article = article_in(request, date, page, position)
    previous, following = reading_order(article, edition.issue_memo(request, issue))
    previous_issue, next_issue = edition.neighbours(request, issue)
    continuations = [c for c in article.shown_parts if c.page.issue_id == issue.pk]
    for part in [*continuations, article.continues]:
        if part is not None and part.page.issue_id == issue.pk:
            part.page.issue = issue  # their links need the issue's date: no query for it
    response = render(
        request,
        "reader/article.html",
        {
            "article": article,
            "issue": issue,
            "page": article.page,
            "credits": article.shown_credits,
            "photos": article.shown_photos,
            "continued_in": continuations,
            "previous_article": previous,
            "next_article": following,
            "previous_issue": previous_issue,
            "next_issue": next_issue,
            "preview": preview.notice(article.page.issue),
        },
    )
    shown = [article, issue, article.continues, *continuations, previous, following]
    last_modified(
        response, *(row.updated_at for row in shown if row), *(i.updated_at for i in (previous_issue, next_issue) if i)
    )
    edition.mark(response, issue, previous_issue, next_issue, canonical=article.get_absolute_url())
    return preview.finish(response, issue)


def article_text(request, date: dt.date, page: int, position: int):
    issue, article = article_in(request, date, page, position)
    lines = [
        f"{issue.publication.name} {issue.date:%Y年%m月%d日} 第{article.page.number}版",
        "",
        article.plain_text,
    ]
    if article.correction:
        lines += ["", f"更正（{article.corrected_at or ''}）：{article.correction}"]
    lines += ["", absolute_url(article.get_absolute_url())]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{issue.date.isoformat()}-{page}-{position}.txt"'
    return preview.finish(response, issue)


@public_page
def person_detail(request, pk: int):
    # A name credited only in issues readers cannot see is not public yet.
    person = get_object_or_404(Person.objects.visible(), pk=pk)
    articles = (
        Article.objects.visible()
        .filter(credits__person=person)
        .distinct()
        .select_related("page__issue")
        .order_by("-issue_date", "page__number", "position")
    )
    page_obj = Paginator(articles, 20).get_page(request.GET.get("page"))
    response = render(request, "reader/person.html", {"person": person, "page_obj": page_obj})
    return last_modified(response, *(a.updated_at for a in page_obj))


class SearchParameterError(BadRequest):
    """A search parameter that cannot mean anything: answered 400 with this one-line message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"参数 {name}：{message}")
        self.parameter = name


ID = re.compile(r"[0-9]{1,18}")  # ASCII digits within a 64-bit id
CHOICES = {"in": {"", "title"}, "order": {"", "newest", "relevance"}}


def parse_query(params) -> search_service.Query:
    """The search the parameters ask for; ``SearchParameterError`` for a malformed one."""

    def as_date(name: str) -> dt.date | None:
        value = params.get(name, "")
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise SearchParameterError(name, "不是有效日期，应为 YYYY-MM-DD") from None

    def as_id(name: str) -> int | None:
        value = params.get(name, "")
        if not value:
            return None
        if not ID.fullmatch(value) or int(value) < 1:
            raise SearchParameterError(name, "应为正整数")
        return int(value)

    text = params.get("q", "")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise SearchParameterError("q", "含有控制字符")
    for name, allowed in CHOICES.items():
        if params.get(name, "") not in allowed:
            raise SearchParameterError(name, "取值应为 " + "、".join(sorted(v for v in allowed if v)))
    as_id("p")
    return search_service.Query(
        text=text[:200],
        title_only=params.get("in") == "title",
        date_from=as_date("from"),
        date_to=as_date("to"),
        page_number=as_id("page_number"),
        person_id=as_id("person"),
        order=params.get("order") or "newest",
    )


def run_search(params) -> tuple[search_service.Results, Paginator, object, list[Article]]:
    query = parse_query(params)
    results = search_service.search(query)
    paginator = Paginator(results.ids, search_service.PER_PAGE)
    page_obj = paginator.get_page(params.get("p"))
    ids = list(page_obj.object_list)
    found = {
        a.pk: a
        for a in Article.objects.visible()
        .filter(pk__in=ids)
        .select_related("page__issue")
        .defer("raw_text", "search_text", *(f"page__issue__{name}" for name in Issue.IMPORT_RECORD))
        .with_credits()
    }
    hits = [found[i] for i in ids if i in found]
    for hit in hits:
        hit.snippet = search_service.snippet(hit.plain_text, query)
    return results, paginator, page_obj, hits


def named_person(query: search_service.Query) -> Person | None:
    """The person the query names, when they have published items: offer their page."""
    name = query.simplified.strip('"“”「」 ')
    if not name or len(name) > 50:
        return None
    return Person.objects.visible().filter(name=name).first()


@public_page
def search(request):
    try:
        results, paginator, page_obj, hits = run_search(request.GET)
    except SearchParameterError as exc:
        context = {"query": search_service.Query(), "error": str(exc)}
        return render(request, "reader/search.html", context, status=400)
    params = request.GET.copy()
    params.pop("p", None)
    return render(
        request,
        "reader/search.html",
        {
            "query": results.query,
            "results": results,
            "page_obj": page_obj,
            "hits": hits,
            "querystring": params.urlencode(),
            "person": Person.objects.visible().filter(pk=results.query.person_id).first()
            if results.query.person_id
            else None,
            "named": named_person(results.query),
        },
    )
