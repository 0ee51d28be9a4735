"""RSS and Atom feeds of the latest published issues' items."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from reader.site import absolute_url


class LatestArticlesFeed(Feed):
    """Links are absolute on settings.SITE_URL: Django would otherwise take the request's Host."""

    title = "工人日报 数字报 最新稿件"
    description = "最近几期已发布报纸的稿件"
    url_name = "reader:rss"

    def link(self):
        return absolute_url(reverse("reader:home"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return (
            Article.objects.visible()
            .select_related("page__issue")
            .prefetch_related("photos")
            .exclude(headline="")
            .order_by("-issue_date", "page__number", "position")[:50]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return " ".join(p["text"] for p in item.body[:1]) or " ".join(p.caption for p in item.photos.all()[:1])

    def item_pubdate(self, item):
        return item.page.issue.published_at

    def item_author_name(self, item):
        return item.byline or None


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "reader:atom"
    subtitle = LatestArticlesFeed.description
