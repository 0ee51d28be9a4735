from django.urls import path, re_path, register_converter

from reader import api, feeds
from reader.converters import IsoDateConverter, LooseDateConverter, LoosePositiveIntConverter, PositiveIntConverter
from reader.views import articles, issues
from reader.views.canonical import redirect_to

app_name = "reader"

register_converter(IsoDateConverter, "date")
register_converter(PositiveIntConverter, "pos")
register_converter(LooseDateConverter, "anydate")
register_converter(LoosePositiveIntConverter, "anypos")


# Routes with dates and numbers: ``{date}`` and ``{pos}`` stand for their converters.
SPELLED = [
    ("issues/<{date}:date>/", issues.issue_detail, "issue"),
    ("issues/<{date}:date>/pages/<{pos}:number>/", issues.page_detail, "page"),
    ("issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>/", articles.article_detail, "article"),
    ("issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>.txt", articles.article_text, "article-text"),
    ("people/<{pos}:pk>/", articles.person_detail, "person"),
    ("api/issues/<{date}:date>/", api.issue_json, "api-issue"),
    ("api/issues/<{date}:date>/pages/<{pos}:number>/", api.page_json, "api-page"),
    ("api/issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>/", api.article_json, "api-article"),
]

urlpatterns = [
    path("", issues.home, name="home"),
    path("issues/", issues.archive, name="archive"),
    # Each at its one spelling…
    *(path(route.format(date="date", pos="pos"), view, name=name) for route, view, name in SPELLED),
    path("search/", articles.search, name="search"),
    path("feeds/rss/", feeds.feed_view(feeds.LatestArticlesFeed()), name="rss"),
    path("feeds/atom/", feeds.feed_view(feeds.LatestArticlesAtom()), name="atom"),
    path("api/search/", api.search_json, name="api-search"),
    path("api/", api.index, name="api-index"),
    path("api/openapi.json", api.openapi_json, name="api-openapi"),
    path("api/issues/", api.calendar_json, name="api-issues"),
    re_path(r"^api/months/(?P<month>[0-9]{4}-(?:0[1-9]|1[0-2]))/$", api.month_json, name="api-month"),
    # …and spelled loosely (20220325, 2022-3-25, 01), answering 301 to it; tried only after
    # every canonical route missed.
    *(
        path(route.format(date="anydate", pos="anypos"), redirect_to(f"{app_name}:{name}"))
        for route, _, name in SPELLED
    ),
    # Anything else under api/ ending in a slash is a JSON 404 (a path without the slash is
    # still redirected to it first by APPEND_SLASH, which only acts on unresolved paths).
    re_path(r"^api/(?:[\s\S]*/)?$", api.not_found),
]
