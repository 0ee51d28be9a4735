from django.urls import path

from reader import api, feeds
from reader.views import articles, issues

app_name = "reader"

urlpatterns = [
    path("", issues.home, name="home"),
    path("issues/", issues.archive, name="archive"),
    path("issues/<str:date>/", issues.issue_detail, name="issue"),
    path("issues/<str:date>/pages/<int:number>/", issues.page_detail, name="page"),
    path("issues/<str:date>/pages/<int:page>/<int:position>/", articles.article_detail, name="article"),
    path("issues/<str:date>/pages/<int:page>/<int:position>.txt", articles.article_text, name="article-text"),
    path("people/<int:pk>/", articles.person_detail, name="person"),
    path("search/", articles.search, name="search"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestArticlesAtom(), name="atom"),
    path("api/issues/<str:date>/", api.issue_json, name="api-issue"),
    path("api/issues/<str:date>/pages/<int:number>/", api.page_json, name="api-page"),
    path("api/issues/<str:date>/pages/<int:page>/<int:position>/", api.article_json, name="api-article"),
    path("api/search/", api.search_json, name="api-search"),
]
