from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("issues/<str:date>/pages/<int:page>/<int:position>/", views.article_detail, name="article"),
    path("issues/<str:date>/pages/<int:page>/<int:position>.txt", views.article_text, name="article-text"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("search/", views.search, name="search"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestArticlesAtom(), name="atom"),
]
