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


def canonical(route: str, view, name: str) -> list:
    """``route`` (with ``{date}`` and ``{pos}`` for its converters) at its one spelling, and
    the same route spelled loosely (``20220325``, ``01``) answering 301 to it."""
    return [
        path(route.format(date="date", pos="pos"), view, name=name),
        path(route.format(date="anydate", pos="anypos"), redirect_to(f"{app_name}:{name}")),
    ]


urlpatterns = [
    path("", issues.home, name="home"),
    path("issues/", issues.archive, name="archive"),
    *canonical("issues/<{date}:date>/", issues.issue_detail, "issue"),
    *canonical("issues/<{date}:date>/pages/<{pos}:number>/", issues.page_detail, "page"),
    *canonical("issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>/", articles.article_detail, "article"),
    *canonical("issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>.txt", articles.article_text, "article-text"),
    *canonical("people/<{pos}:pk>/", articles.person_detail, "person"),
    path("search/", articles.search, name="search"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestArticlesAtom(), name="atom"),
    *canonical("api/issues/<{date}:date>/", api.issue_json, "api-issue"),
    *canonical("api/issues/<{date}:date>/pages/<{pos}:number>/", api.page_json, "api-page"),
    *canonical("api/issues/<{date}:date>/pages/<{pos}:page>/<{pos}:position>/", api.article_json, "api-article"),
    path("api/search/", api.search_json, name="api-search"),
    # Anything else under api/ ending in a slash is a JSON 404 (a path without the slash is
    # still redirected to it first by APPEND_SLASH, which only acts on unresolved paths).
    re_path(r"^api/(?:[\s\S]*/)?$", api.not_found),
]
