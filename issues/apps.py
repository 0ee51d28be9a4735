from django.apps import AppConfig
from django.db.backends.signals import connection_created

from newsroom.pg_arrays import use_quick_arrays


class IssuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "issues"
    verbose_name = "报纸与期次"

    def ready(self) -> None:
        # Bulk inserts (an import's items, the edition's pages) send text arrays: quicker ones.
        connection_created.connect(use_quick_arrays, dispatch_uid="newsroom-quick-arrays")
