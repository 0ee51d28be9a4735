"""The desk's admin site: branded for the paper, with a start page of the work waiting."""

from __future__ import annotations

from django.contrib import admin

from desk import dashboard


class DeskSite(admin.AdminSite):
    site_header = "工人日报 编辑部"
    site_title = "工人日报 编辑部"
    index_title = "编辑部首页"
    index_template = "admin/desk_index.html"

    def index(self, request, extra_context=None):
        context = {**dashboard.start_page(request.user), **(extra_context or {})}
        return super().index(request, context)
