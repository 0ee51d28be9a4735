from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "编辑部"

    def ready(self) -> None:
        from . import history

        history.register_models()
        history.connect_signals()


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the desk's own site (branding and start page)."""

    default = False
    default_site = "desk.site.DeskSite"
