"""sitemap.xml is an index: one section of issues, articles in pages of ``limit``."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from articles.models import Article
from issues.models import Issue


class IssueSitemap(Sitemap):
    changefreq = "never"
    priority = 0.6

    def items(self):
        return Issue.objects.visible().order_by("-date")

    def lastmod(self, issue):
        return issue.updated_at

    def get_latest_lastmod(self):
        # Sitemap's default walks every item; one aggregate does.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(Sitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Article.objects.visible().select_related("page__issue").order_by("-issue_date", "id")

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        return Article.objects.visible().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"issues": IssueSitemap, "articles": ArticleSitemap}
