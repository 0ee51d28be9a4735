"""Read-only JSON API with the public site's visibility rules (published, due issues only).

Every view returns a dict built from reader/api_shapes.py; ``api_view`` makes it an answer:
GET and HEAD only (OPTIONS answers 204 with ``Allow``, any other method 405 with ``Allow``,
never a CSRF page), ``variant=hant`` in Traditional characters, and every failure the one
error shape ``{"error": {"status", "code", "parameter", "message"}}`` with a Chinese message.
reader/openapi.py describes it all, served at /api/openapi.json.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article, Person
from issues.models import Issue
from newsroom.middleware import RETRY_AFTER
from reader import api_shapes as shapes
from reader import openapi
from reader.cache import to_traditional
from reader.site import absolute_url
from reader.views.articles import SearchParameterError, published_article, run_search
from reader.views.issues import published_issue

logger = logging.getLogger(__name__)

ALLOW = "GET, HEAD, OPTIONS"
VARIANTS = ("hans", "hant")


class Problem(StrEnum):
    """What went wrong, as the error's ``code``; ``status`` and ``label`` (the default message)."""

    BAD_PARAMETER = "bad_parameter"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNAVAILABLE = "unavailable"
    SERVER_ERROR = "server_error"

    @property
    def status(self) -> int:
        return _PROBLEMS[self][0]

    @property
    def label(self) -> str:
        return _PROBLEMS[self][1]


_PROBLEMS = {
    Problem.BAD_PARAMETER: (400, "参数有误"),
    Problem.NOT_FOUND: (404, "没有这项内容，或它尚未发布"),
    Problem.METHOD_NOT_ALLOWED: (405, "只支持 GET、HEAD 和 OPTIONS 请求"),
    Problem.UNAVAILABLE: (503, "数据库暂时无法访问，请稍后再试"),
    Problem.SERVER_ERROR: (500, "服务器内部错误"),
}


class ApiError(Exception):
    def __init__(self, problem: Problem, message: str = "", parameter: str | None = None) -> None:
        super().__init__(message or problem.label)
        self.problem = problem
        self.message = message or problem.label
        self.parameter = parameter

    @classmethod
    def bad_parameter(cls, name: str, reason: str) -> ApiError:
        return cls(Problem.BAD_PARAMETER, f"参数 {name}：{reason}", parameter=name)


class _MarkupSafeEncoder(DjangoJSONEncoder):
    """JSON whose text never contains < > & or JavaScript's line terminators: safe even if
    pasted into an HTML page or a script."""

    def encode(self, o) -> str:
        return super().encode(o).translate(_MARKUP_ESCAPES)


_MARKUP_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _json(data: dict, variant: str = "hans", status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, encoder=_MarkupSafeEncoder, json_dumps_params={"ensure_ascii": False})
    if variant == "hant":
        response.content = to_traditional(response.content.decode()).encode()
    response["Content-Language"] = "zh-Hant" if variant == "hant" else "zh-Hans"
    return response


def error_response(exc: ApiError, variant: str = "hans") -> JsonResponse:
    body = {
        "status": exc.problem.status,
        "code": exc.problem.value,
        "parameter": exc.parameter,
        "message": exc.message,
    }
    response = _json({"error": body}, variant, status=exc.problem.status)
    if exc.problem is Problem.METHOD_NOT_ALLOWED:
        response["Allow"] = ALLOW
    if exc.problem is Problem.UNAVAILABLE:
        response["Retry-After"] = str(RETRY_AFTER)
    if exc.problem.status >= 500:
        response["Cache-Control"] = "no-store"
    return response


def reading_variant(params: QueryDict) -> str:
    """The ``variant`` asked for (the API reads no cookie: one URL, one answer)."""
    value = params.get("variant", "hans")
    if value not in VARIANTS:
        raise ApiError.bad_parameter("variant", "取值应为 hans 或 hant")
    return value


def api_view(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
    """A read-only JSON view: ``view`` returns the body; every failure is the error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            return response
        if request.method not in {"GET", "HEAD"}:
            return error_response(ApiError(Problem.METHOD_NOT_ALLOWED))
        variant = "hans"
        try:
            variant = reading_variant(request.GET)
            return _json(view(request, *args, **kwargs), variant)
        except ApiError as exc:
            return error_response(exc, variant)
        except SearchParameterError as exc:
            return error_response(ApiError(Problem.BAD_PARAMETER, str(exc), exc.parameter), variant)
        except Http404:
            return error_response(ApiError(Problem.NOT_FOUND), variant)
        except (OperationalError, InterfaceError) as exc:
            logger.error("database unavailable for %s: %s", request.path, exc)
            return error_response(ApiError(Problem.UNAVAILABLE), variant)
        except Exception:
            # Reported as Django reports an unhandled exception (logging, error mails, the
            # test client re-raises it), answered in the API's own shape.
            logger.exception("API error at %s", request.path)
            signals.got_request_exception.send(sender=None, request=request)
            return error_response(ApiError(Problem.SERVER_ERROR), variant)

    return csrf_exempt(wrapper)


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/, whatever the method."""
    variant = "hant" if request.GET.get("variant") == "hant" else "hans"
    return error_response(ApiError(Problem.NOT_FOUND, "没有这个 API 地址，见 /api/openapi.json"), variant)


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
    continued_in = [c for c in row.continuations.all() if c.page.issue_id == issue.pk]
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
