from django.contrib.sitemaps import Sitemap

from articles.models import Article
from issues.models import Issue


class IssueSitemap(Sitemap):
    changefreq = "never"
    priority = 0.6

    def items(self):
        return Issue.objects.published().order_by("-date")

    def lastmod(self, issue):
        return issue.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Article.objects.published().select_related("page__issue").order_by("-issue_date", "id")

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"issues": IssueSitemap, "articles": ArticleSitemap}
