"""Reader-facing issue views: home, archive calendar, issue and page."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from articles.models import Article, Credit, Photo
from issues.models import Issue, Page
from reader import edition, links, preview
from reader.cache import last_modified, public_page
from reader.edition import remember
from reader.site import absolute_url
from reader.statements import Statement, arg


def published_issue(date: dt.date) -> Issue:
    """The issue readers see on ``date`` (the API's rule; pages use ``preview.issue_for``)."""
    issue = Issue.objects.visible().for_reading().select_related("publication").filter(date=date).order_by("pk").first()
    if issue is None:
        raise Http404("no published issue on that date")
    return issue


# What a link to an item shows (its title lines, or with ``with_lead()`` its first words),
# and its last change (Last-Modified); lists add where the item is.
TITLE_FIELDS = ("id", "position", "kind", "kicker", "headline", "subheadline", "updated_at")
_PAGES = Statement(Page, lambda: Page.objects.filter(issue=arg(Page, "issue")).order_by("number"))
_TITLES = Statement(
    Article,
    lambda: (
        Article.objects.filter(page__issue=arg(Page, "issue"))
        .with_lead()
        .only(*TITLE_FIELDS, "page_id")
        .order_by("page_id", "position")
    ),
)


def issue_pages(issue: Issue) -> list[Page]:
    """The issue's pages in order (each knowing its issue)."""
    pages = _PAGES.all(issue=issue.pk)
    for page in pages:
        page.issue = issue
    return pages


def pages_with_titles(issue: Issue) -> list[Page]:
    """The issue's pages, each with ``titles``: its items' title lines (an untitled one's
    first words), in order."""
    pages = issue_pages(issue)
    by_page = {page.pk: page for page in pages}
    for page in pages:
        page.titles = []
    for article in _TITLES.all(issue=issue.pk):
        page = by_page.get(article.page_id)
        if page is not None:  # a page added since the pages were read waits for the next read
            article.page = page
            page.titles.append(article)
    return pages


def issue_modified(context: dict, *, titles: bool = False) -> list:
    """When the rows an issue or page view shows last changed (for Last-Modified)."""
    return [
        context["issue"].updated_at,
        *(i.updated_at for i in (context["previous_issue"], context["next_issue"]) if i),
        *(a.updated_at for p in context["pages"] for a in (p.titles if titles else ())),
        *(a.updated_at for a in context.get("articles", ())),
    ]


def issue_context(issue: Issue, *, titles: bool = False, request: HttpRequest | None = None) -> dict:
    """What the masthead and page navigation show; item titles per page only when asked.

    With the ``request`` of a public page, the pages, titles and neighbours come from the
    issue's memo (``edition.issue_memo``).
    """
    memo = edition.issue_memo(request, issue) if request else None
    if titles:
        pages = remember(memo, ("titled pages", issue.pk), lambda: pages_with_titles(issue))
    else:
        pages = remember(memo, ("pages", issue.pk), lambda: issue_pages(issue))
    previous, following = edition.neighbours(request, issue) if request else issue.neighbours()
    return {
        "issue": issue,
        "pages": pages,
        "missing_pages": issue.missing_page_numbers([p.number for p in pages]),
        "previous_issue": previous,
        "next_issue": following,
        "preview": preview.notice(issue),
    }


def mark(response: HttpResponse, context: dict, canonical: str) -> HttpResponse:
    """Offer a rendering of the issue in ``context``, found at ``canonical``, to the rendered
    edition (a staff preview is kept private instead)."""
    edition.mark(response, context["issue"], context["previous_issue"], context["next_issue"], canonical=canonical)
    return preview.finish(response, context["issue"])


@public_page(stored=True)
def home(request):
    issue = remember(edition.memo(request), "home", lambda: preview.newest_for(request))
    if issue is None:
        return render(request, "reader/empty.html", status=200)
    context = issue_context(issue, request=request)
    front = context["pages"][0] if context["pages"] else None
    context.update(page=front, articles=articles_of(front, request) if front else [], is_home=True)
    response = last_modified(render(request, "reader/page.html", context), *issue_modified(context))
    return mark(response, context, links.path("reader:home"))


@public_page
def archive(request):
    jump = request.GET.get("date")
    if jump:
        try:
            day = dt.date.fromisoformat(jump)
        except ValueError:
            day = None
        if day:
            issue = Issue.objects.visible().filter(date__lte=day).order_by("-date").only("date").first()
            if issue is None:
                issue = Issue.objects.visible().order_by("date").only("date").first()
            if issue:
                return redirect(issue.get_absolute_url())
    dates = list(Issue.objects.visible().order_by("-date").values_list("date", flat=True))
    if not dates:
        return render(request, "reader/archive.html", {"months": [], "years": []})
    years = sorted({d.year for d in dates}, reverse=True)
    try:
        year = int(request.GET.get("year", dates[0].year))
    except ValueError:
        year = dates[0].year
    if year not in years:
        raise Http404("no issues that year")
    have = {d for d in dates if d.year == year}
    months = []
    for month in range(12, 0, -1):
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        days_with_issue = [d for d in have if d.month == month]
        if not days_with_issue:
            continue
        months.append(
            {
                "month": month,
                "weeks": [[(d, d in have) if d.month == month else (None, False) for d in week] for week in weeks],
            }
        )
    return render(request, "reader/archive.html", {"months": months, "years": years, "year": year})


@public_page(stored=True)
def issue_detail(request, date: dt.date):
    issue = remember(edition.memo(request), ("issue", date), lambda: preview.issue_for(request, date))
    context = issue_context(issue, titles=True, request=request)
    response = render(request, "reader/issue.html", context)
    last_modified(response, *issue_modified(context, titles=True))
    return mark(response, context, issue.get_absolute_url())


LISTED = (*TITLE_FIELDS, "page_id", "byline")  # what a page's list of items shows of each (page.html)
_PAGE_ITEMS = Statement(
    Article, lambda: Article.objects.filter(page=arg(Article, "page")).with_lead().only(*LISTED).order_by("position")
)
_PAGE_PHOTOS = Statement(Photo, lambda: Photo.objects.filter(article__page=arg(Article, "page")))


def page_articles(page: Page) -> list[Article]:
    """The page's items (what the list shows: their bodies stay in the database), and photos
    (``printed_photos``) for the photo items."""
    articles = _PAGE_ITEMS.all(page=page.pk)
    photos = {a.pk: [] for a in articles}
    if any(a.kind == Article.Kind.PHOTO for a in articles):
        for photo in _PAGE_PHOTOS.all(page=page.pk):
            photos.get(photo.article_id, []).append(photo)  # of an item added since: the next read
    for article in articles:
        article.page = page
        article.printed_photos = photos[article.pk] if article.kind == Article.Kind.PHOTO else []
    return articles


def articles_of(page: Page, request: HttpRequest) -> list[Article]:
    """``page_articles`` kept in the issue's memo; while the edition renders the issue, the
    same items from the ones it loaded for all its pages."""
    memo = edition.issue_memo(request, page.issue)
    if edition.memo(request) is not None:
        return [a for a in issue_articles(page.issue, memo).values() if a.page_id == page.pk]
    return remember(memo, ("page items", page.pk), lambda: page_articles(page))


def article_rows():
    """Items as the article view shows them: page and the part continued loaded, the search
    columns left out, and ``shown_credits``, ``shown_photos`` and ``shown_parts`` (the parts
    continued in) prefetched; ``reader.views.articles.issue_article`` loads the same for one."""
    return (
        Article.objects.select_related("page", "continues__page")
        .defer("raw_text", "search_text")
        .prefetch_related(
            Prefetch("credits", Credit.objects.select_related("person"), to_attr="shown_credits"),
            Prefetch("photos", to_attr="shown_photos"),
            Prefetch("continuations", Article.objects.select_related("page"), to_attr="shown_parts"),
        )
    )


def issue_articles(issue: Issue, memo: dict) -> dict[tuple[int, int], Article]:
    """Every item of the issue by (page number, position), loaded once for all its pages: as
    ``issue_article`` loads one, with ``printed_photos`` as ``page_articles`` sets them."""

    def load() -> dict[tuple[int, int], Article]:
        pages = {p.pk: p for p in remember(memo, ("pages", issue.pk), lambda: issue_pages(issue))}
        found = {}
        for article in article_rows().filter(page__issue=issue).order_by("page__number", "position"):
            article.page = pages[article.page_id]
            article.printed_photos = article.shown_photos if article.kind == Article.Kind.PHOTO else []
            found[article.page.number, article.position] = article
        return found

    return remember(memo, ("articles", issue.pk), load)


@public_page(stored=True)
def page_detail(request, date: dt.date, number: int):
    issue = remember(edition.memo(request), ("issue", date), lambda: preview.issue_for(request, date))
    context = issue_context(issue, request=request)
    page = next((p for p in context["pages"] if p.number == number), None)
    if page is None:
        raise Http404("no such page")
    numbers = [p.number for p in context["pages"]]
    index = numbers.index(number)
    context.update(
        page=page,
        articles=articles_of(page, request),
        previous_page=context["pages"][index - 1] if index > 0 else None,
        next_page=context["pages"][index + 1] if index + 1 < len(numbers) else None,
    )
    response = last_modified(render(request, "reader/page.html", context), *issue_modified(context))
    return mark(response, context, page.get_absolute_url())


def healthz(request):
    """For load balancers and benchmarks: the cheapest response Django can give."""
    return HttpResponse("ok", content_type="text/plain")


def robots_txt(request):
    sitemap = absolute_url(links.path("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /search/\nAllow: /\n\nSitemap: {sitemap}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
