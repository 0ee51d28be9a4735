"""Read-only JSON API with the public site's visibility rules (published issues only)."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse

from articles.models import Article
from reader.views.articles import published_article, run_search
from reader.views.issues import issue_context, page_articles, published_issue


class _MarkupSafeEncoder(DjangoJSONEncoder):
    """JSON whose text never contains < > &: safe even if pasted into an HTML page."""

    def encode(self, o) -> str:
        return super().encode(o).translate(_MARKUP_ESCAPES)


_MARKUP_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, encoder=_MarkupSafeEncoder, json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """A GET-only JSON view whose 404s are JSON too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return _json({"error": "method not allowed"}, status=405)
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return _json({"error": str(exc) or "not found"}, status=404)

    return wrapper


def _title(article: Article) -> dict:
    return {
        "position": article.position,
        "kind": article.kind,
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "url": article.get_absolute_url(),
    }


def _issue(issue) -> dict:
    return {
        "publication": issue.publication.name,
        "date": issue.date.isoformat(),
        "weekday": issue.weekday,
        "lunar_date": issue.lunar_date,
        "number": issue.number,
        "page_count": issue.page_count,
        "url": issue.get_absolute_url(),
    }


@api_view
def issue_json(request, date: dt.date):
    context = issue_context(published_issue(date), titles=True)
    return _json(
        {
            "issue": _issue(context["issue"]),
            "missing_pages": context["missing_pages"],
            "pages": [
                {
                    "number": p.number,
                    "name": p.name,
                    "url": p.get_absolute_url(),
                    "items": [_title(a) for a in p.titles],
                }
                for p in context["pages"]
            ],
        }
    )


@api_view
def page_json(request, date: dt.date, number: int):
    issue = published_issue(date)
    page = issue.pages.filter(number=number).first()
    if page is None:
        return _json({"error": "no such page"}, status=404)
    return _json(
        {
            "issue": _issue(issue),
            "page": {"number": page.number, "name": page.name, "url": page.get_absolute_url()},
            "items": [{**_title(a), "byline": a.byline} for a in page_articles(page)],
        }
    )


@api_view
def article_json(request, date: dt.date, page: int, position: int):
    a = published_article(date, page, position)
    return _json(
        {
            "issue": _issue(a.page.issue),
            "page": a.page.number,
            **_title(a),
            "byline": a.byline,
            "source": a.source,
            "dateline": {"place": a.dateline_place, "date": a.dateline_date} if a.dateline_place else None,
            "paragraphs": a.body,
            "photos": [
                {
                    "caption": p.caption,
                    "credit": p.credit,
                    "photographers": p.photographers,
                    "image": p.image.url if p.image else None,
                    "width": p.width,
                    "height": p.height,
                }
                for p in a.photos.all()
            ],
            "credits": [
                {"name": c.person.name, "role": c.role, "url": c.person.get_absolute_url()} for c in a.credits.all()
            ],
            "continued_to_page": a.continued_to_page,
            "continued_from_page": a.continued_from_page,
            "continues": a.continues.get_absolute_url() if a.continues else None,
            "continued_in": [c.get_absolute_url() for c in a.continuations.all()],
            "keywords": a.keywords,
            "correction": {"text": a.correction, "date": a.corrected_at.isoformat() if a.corrected_at else None}
            if a.correction
            else None,
        }
    )


@api_view
def not_found(request):
    raise Http404("no such resource")


@api_view
def search_json(request):
    results, paginator, page_obj, hits = run_search(request.GET)
    return _json(
        {
            "query": results.query.text,
            "total": results.total,
            "capped": results.capped,
            "page": page_obj.number,
            "pages": paginator.num_pages,
            "results": [
                {**_title(h), "date": h.page.issue.date.isoformat(), "page": h.page.number, "snippet": str(h.snippet)}
                for h in hits
            ],
            "facets": results.facets,
        }
    )
