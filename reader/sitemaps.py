"""sitemap.xml is an index: one section of issues, articles in pages of ``limit``.

Every URL is on settings.SITE_URL: Django's sitemaps would take the request's Host.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from articles.models import Article
from issues.models import Issue
from reader import site


class SiteSitemap(Sitemap):
    """A sitemap whose locations are on the site's origin whatever the request's host."""

    @property
    def protocol(self) -> str:
        return site.scheme()

    def get_domain(self, site_=None) -> str:
        return site.netloc()


class IssueSitemap(SiteSitemap):
    changefreq = "never"
    priority = 0.6

    def items(self):
        return Issue.objects.visible().order_by("-date")

    def lastmod(self, issue):
        return issue.updated_at

    def get_latest_lastmod(self):
        # Sitemap's default walks every item; one aggregate does.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(SiteSitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Article.objects.visible().select_related("page__issue").order_by("-issue_date", "id")

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        return Article.objects.visible().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"issues": IssueSitemap, "articles": ArticleSitemap}


@x_robots_tag
def index(request):
    """sitemap.xml: every page of every section, as Django's index view lists them, but
    on the site's origin (Django's names the request's host)."""
    entries, latest = [], []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = site.absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        latest.append(lastmod)
        entries += [
            SitemapIndexItem(location if number == 1 else f"{location}?p={number}", lastmod)
            for number in sitemap.paginator.page_range
        ]
    known = [t for t in latest if t is not None]
    headers = {"Last-Modified": http_date(max(known).timestamp())} if known and len(known) == len(latest) else None
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml", headers=headers
    )
