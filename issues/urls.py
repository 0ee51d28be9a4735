from django.urls import path

from issues import api, views

app_name = "issues"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.archive, name="archive"),
    path("issues/<str:date>/", views.issue_detail, name="issue"),
    path("issues/<str:date>/pages/<int:number>/", views.page_detail, name="page"),
    path("api/issues/<str:date>/", api.issue_json, name="api-issue"),
    path("api/issues/<str:date>/pages/<int:number>/", api.page_json, name="api-page"),
    path("api/issues/<str:date>/pages/<int:page>/<int:position>/", api.article_json, name="api-article"),
    path("api/search/", api.search_json, name="api-search"),
]
