"""Read-only JSON API with the public site's visibility rules (published, due issues only).

Each view returns a dict composed of reader/api_shapes.py's objects; reader/api_http.py's
``api_view`` makes it an answer (methods, variant, errors). reader/openapi.py describes it
all, served at /api/openapi.json.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article, Person
from issues.models import Issue
from reader import api_shapes as shapes
from reader import openapi
from reader.api_http import ApiError, Problem, api_view, error_response, error_variant
from reader.site import absolute_url
from reader.views.articles import published_article, run_search
from reader.views.issues import published_issue


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/, whatever the method."""
    message = "没有这个 API 地址，见 /api/openapi.json"
    return error_response(ApiError(Problem.NOT_FOUND, message), error_variant(request))


@api_view
def index(request: HttpRequest) -> dict:
    latest = Issue.objects.visible().for_reading().select_related("publication").order_by("-date").first()
    return {
        "issues_url": shapes.api_url("api-issues"),
        "search_url": shapes.api_url("api-search"),
        "openapi_url": shapes.api_url("api-openapi"),
        "latest_issue": shapes.issue(latest) if latest else None,
    }


@api_view
def openapi_json(request: HttpRequest) -> dict:
    return openapi.document()


@api_view
def calendar_json(request: HttpRequest) -> dict:
    """Years with issues, each with its months and their issue counts: one grouped query."""
    counts = (
        Issue.objects.visible()
        .order_by()
        .values(year=ExtractYear("date"), month=ExtractMonth("date"))
        .annotate(issue_count=Count("pk"))
        .order_by("-year", "-month")
    )
    years: dict[int, dict] = {}
    for row in counts:
        year = years.setdefault(row["year"], {"year": row["year"], "issue_count": 0, "months": []})
        year["issue_count"] += row["issue_count"]
        year["months"].append(
            {
                "month": row["month"],
                "issue_count": row["issue_count"],
                "url": shapes.api_url("api-month", month=f"{row['year']:04d}-{row['month']:02d}"),
            }
        )
    return {"years": list(years.values())}


def _month(value: str) -> dt.date:
    """The first day of ``YYYY-MM`` (the route's pattern admits only real months, and year 0)."""
    year, month = (int(part) for part in value.split("-"))
    if year < 1:
        raise ApiError(Problem.NOT_FOUND)
    return dt.date(year, month, 1)


def _month_url(day: dt.date | None) -> str | None:
    return shapes.api_url("api-month", month=f"{day:%Y-%m}") if day else None


@api_view
def month_json(request: HttpRequest, month: str) -> dict:
    first = _month(month)
    visible = Issue.objects.visible()
    issues = list(
        visible.for_reading()
        .select_related("publication")
        .filter(date__year=first.year, date__month=first.month)
        .order_by("-date", "publication__name")
    )
    if not issues:
        raise ApiError(Problem.NOT_FOUND, f"{first.year}年{first.month}月没有已发布的报纸")
    before = visible.filter(date__lt=first).order_by("-date").values_list("date", flat=True).first()
    after = visible.filter(date__gt=issues[0].date).order_by("date").values_list("date", flat=True).first()
    return {
        "year": first.year,
        "month": first.month,
        "issues": [shapes.issue(i) for i in issues],
        "previous_url": _month_url(before),
        "next_url": _month_url(after),
    }


def _summaries(pages: list) -> dict[int, list[dict]]:
    """The items of ``pages`` as summaries, by page id, in reading order (one query)."""
    by_page = {p.pk: p for p in pages}
    found: dict[int, list[dict]] = {p.pk: [] for p in pages}
    rows = (
        Article.objects.filter(page__in=pages).with_lead().only(*shapes.SUMMARY_FIELDS).order_by("page_id", "position")
    )
    for row in rows:
        row.page = by_page[row.page_id]
        found[row.page_id].append(shapes.item_summary(row))
    return found


def _pages(issue: Issue) -> list:
    pages = list(issue.pages.all())
    for p in pages:
        p.issue = issue
    return pages


@api_view
def issue_json(request: HttpRequest, date: dt.date) -> dict:
    issue = published_issue(date)
    pages = _pages(issue)
    items = _summaries(pages)
    return {
        "issue": shapes.issue(issue),
        "missing_pages": issue.missing_page_numbers([p.number for p in pages]),
        "contents": [{"page": shapes.page(p), "items": items[p.pk]} for p in pages],
    }


@api_view
def page_json(request: HttpRequest, date: dt.date, number: int) -> dict:
    issue = published_issue(date)
    pages = _pages(issue)
    index = next((i for i, p in enumerate(pages) if p.number == number), None)
    if index is None:
        raise ApiError(Problem.NOT_FOUND, f"{date.isoformat()} 没有第{number}版")
    current = pages[index]
    return {
        "issue": shapes.issue(issue),
        "page": shapes.page(current),
        "previous_page": shapes.page(pages[index - 1]) if index else None,
        "next_page": shapes.page(pages[index + 1]) if index + 1 < len(pages) else None,
        "items": _summaries([current])[current.pk],
    }


@api_view
def article_json(request: HttpRequest, date: dt.date, page: int, position: int) -> dict:
    row = published_article(date, page, position)
    issue = row.page.issue
    # Parts of the same story are shown only within its issue (as the item page does).
    continues = row.continues if row.continues and row.continues.page.issue_id == issue.pk else None
    continued_in = [c for c in row.shown_parts if c.page.issue_id == issue.pk]
    for part in [continues, *continued_in]:
        if part:
            part.page.issue = issue
    return shapes.item(row, continues, continued_in)


def search_url(params: QueryDict, **changes: str | None) -> str:
    """The API search with ``params`` changed (a value of None drops that parameter)."""
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return absolute_url(reverse("reader:api-search") + (f"?{query.urlencode()}" if query else ""))


def _facets(params: QueryDict, results) -> dict:
    """Counts per page, year and person over the candidates, each with the search it narrows to."""
    query, facets, params = results.query, results.facets, params.copy()
    params.pop("p", None)
    years = []
    for year, count in facets.get("years", []):
        start = max(dt.date(year, 1, 1), query.date_from or dt.date.min)
        end = min(dt.date(year, 12, 31), query.date_to or dt.date.max)
        url = search_url(params, **{"from": start.isoformat(), "to": end.isoformat()})
        years.append({"year": year, "count": count, "url": url})
    return {
        "pages": [
            {"page_number": n, "count": count, "url": search_url(params, page_number=str(n))}
            for n, count in facets.get("pages", [])
        ],
        "years": years,
        "people": [
            {
                "person": shapes.person(Person(pk=pk, name=name)),
                "count": count,
                "url": search_url(params, person=str(pk)),
            }
            for pk, name, count in facets.get("people", [])
        ],
    }


def _query(query) -> dict:
    return {
        "q": query.text,
        "in": "title" if query.title_only else None,
        "from": query.date_from.isoformat() if query.date_from else None,
        "to": query.date_to.isoformat() if query.date_to else None,
        "page_number": query.page_number,
        "person": query.person_id,
        "order": query.order,
    }


@api_view
def search_json(request: HttpRequest) -> dict:
    results, paginator, page_obj, hits = run_search(request.GET)
    asked = int(request.GET.get("p") or 1)
    if asked != page_obj.number:
        raise ApiError.bad_parameter("p", f"超出结果页数（共 {paginator.num_pages} 页）")
    params = request.GET
    return {
        "query": _query(results.query),
        "total": results.total,
        "capped": results.capped,
        "pagination": {
            "p": page_obj.number,
            "per_page": paginator.per_page,
            "last": paginator.num_pages,
            "previous_url": search_url(params, p=str(page_obj.number - 1)) if page_obj.has_previous() else None,
            "next_url": search_url(params, p=str(page_obj.number + 1)) if page_obj.has_next() else None,
        },
        "results": [{"item": shapes.item_summary(h), "snippet_html": str(h.snippet)} for h in hits],
        "facets": _facets(params, results),
    }
