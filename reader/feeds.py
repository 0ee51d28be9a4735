"""RSS and Atom feeds of the latest published issues' items, one of each per reading variant.

- An entry is dated by its printed issue: 00:00 of the issue's date in the newsroom's time
  zone (``issues.models.printed_at``), never the moment it was imported or published. Atom's
  ``updated`` is ``articles.models.last_change``: the printed moment, or the item's last save
  after its issue became visible (an editor's fix, a dated correction 更正), whichever is later;
  saves made before readers could see the item do not count.
- Authors are the people credited (Credit → Person, in credit order), one element each; an
  item credited to nobody has none (the Atom feed names the paper for the whole feed).
- The summary is HTML we build: the first paragraphs (or a photo's captions), each escaped
  as text and wrapped in a ``<p>`` of ours, photos as an ``<img>`` with escaped attributes, a
  correction as its own paragraph. The reader's text is never sent as markup.
- Untitled items are in, titled by ``Article.display_title`` like everywhere else.
- ``?variant=hant`` gives the same feed in Traditional characters (reader/cache.py's
  conversion); its links keep the variant so readers land in it. Any other value is a 400.
  The variant is read from the URL only, never the cookie: one URL, one document.

Links are absolute on settings.SITE_URL: Django would otherwise take the request's Host.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.http import urlencode

from articles.models import Article, last_change
from issues.models import Issue, printed_at
from reader import cache
from reader.site import absolute_url

ENTRIES = 50  # items in a feed, newest issue first
SUMMARY_CHARS = 200  # paragraphs are added to the summary until it has this many characters
SUMMARY_PARAGRAPHS = 3
DC = "http://purl.org/dc/elements/1.1/"
LANGUAGE = {"hans": "zh-Hans", "hant": "zh-Hant"}


def variant_query(variant: str) -> str:
    """The query string that asks for ``variant`` ("" for the default, Simplified)."""
    return "" if variant == "hans" else "?" + urlencode({"variant": variant})


def summary_html(item: Article) -> str:
    """The entry's summary: HTML built here, every piece of the item's text escaped as text."""
    parts: list[str] = []
    length = 0
    for paragraph in item.body:
        if len(parts) >= SUMMARY_PARAGRAPHS or length >= SUMMARY_CHARS:
            break
        parts.append(format_html("<p>{}</p>", paragraph["text"]))
        length += len(paragraph["text"])
    for photo in item.photos.all():
        if photo.image:
            parts.append(format_html('<p><img src="{}" alt="{}"></p>', absolute_url(photo.image.url), photo.caption))
        if photo.caption:
            parts.append(format_html("<p>{}</p>", photo.caption))
    if item.correction:
        day = item.corrected_at
        dated = f"（{day.year}年{day.month}月{day.day}日）" if day else ""
        parts.append(format_html("<p>更正{}：{}</p>", dated, item.correction))
    return "".join(parts) or escape(item.display_title)


def credited_names(item: Article) -> list[str]:
    """The names of the people credited on the item, in credit order, each once."""
    return list(dict.fromkeys(credit.person.name for credit in item.credits.all()))


class RssWithCreators(Rss201rev2Feed):
    """RSS 2.0 naming each credited person in a ``dc:creator`` of their own."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)


class AtomWithAuthors(Atom1Feed):
    """Atom naming each credited person in an ``author`` of their own."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class LatestArticlesFeed(Feed):
    feed_type = RssWithCreators
    title = "工人日报 数字报 最新稿件"
    description = "最近几期已发布报纸的稿件"
    url_name = "reader:rss"

    def get_object(self, request: HttpRequest, *args, **kwargs) -> str:
        """The reading variant (``feed_view`` has checked it)."""
        return request.GET.get("variant", "hans")

    def link(self, variant: str) -> str:
        return absolute_url(reverse("reader:home")) + variant_query(variant)

    def feed_url(self, variant: str) -> str:
        return absolute_url(reverse(self.url_name)) + variant_query(variant)

    def get_feed(self, obj: str, request: HttpRequest):
        generator = super().get_feed(obj, request)
        generator.feed["language"] = LANGUAGE[obj]  # Django's takes one language per Feed
        return generator

    def items(self, variant: str) -> list[Article]:
        """The newest items, each told the variant its link asks for (``variant``)."""
        items = list(
            Article.objects.visible()
            .for_listing()
            .with_changed_at()
            .with_credits()
            .select_related("page__issue")
            .defer(*(f"page__issue__{name}" for name in Issue.IMPORT_RECORD))
            .prefetch_related("photos")
            .order_by("-issue_date", "page__number", "position")[:ENTRIES]
        )
        for item in items:
            item.variant = variant
        return items

    def item_title(self, item: Article) -> str:
        return item.display_title

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url()) + variant_query(item.variant)

    def item_guid(self, item: Article) -> str:
        return self.item_link(item)

    def item_description(self, item: Article) -> str:
        return summary_html(item)

    def item_pubdate(self, item: Article):
        return printed_at(item.page.issue.date)

    def item_updateddate(self, item: Article):
        return last_change(item.page.issue.date, item.changed_at)

    def item_extra_kwargs(self, item: Article) -> dict:
        return {"authors": credited_names(item)}


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = AtomWithAuthors
    url_name = "reader:atom"
    subtitle = LatestArticlesFeed.description
    author_name = "工人日报"


def feed_view(feed: LatestArticlesFeed):
    """The view serving ``feed``: 400 for an unknown variant; else the document, kept under
    the site revision (reader/cache.py), in Traditional characters for ``hant``."""

    def view(request: HttpRequest) -> HttpResponse:
        variant = request.GET.get("variant", "hans")
        if variant not in cache.VARIANTS:
            return HttpResponse("variant 只能是 hans 或 hant。", status=400, content_type="text/plain; charset=utf-8")
        content, content_type, modified = cache.cached(f"feed|{feed.url_name}|{variant}", lambda: render(request))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Language"] = LANGUAGE[variant]
        if modified:
            response["Last-Modified"] = modified
        return response

    def render(request: HttpRequest) -> tuple[bytes, str, str | None]:
        response = feed(request)
        content = response.content
        if request.GET.get("variant") == "hant":
            content = cache.to_traditional(content.decode("utf-8")).encode("utf-8")
        return content, response["Content-Type"], response.get("Last-Modified")

    return view
