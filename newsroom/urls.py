from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsroom.media import serve_media
from newsroom.views import favicon
from reader import sitemaps
from reader.views.issues import healthz, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-site.xml", sitemaps.site_sitemap, name="sitemap-site"),
    re_path(
        r"^sitemap-(?P<year>[1-9][0-9]{3})-(?P<month>0[1-9]|1[0-2])\.xml$", sitemaps.month_sitemap, name="sitemap-month"
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("reader.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="media"))
