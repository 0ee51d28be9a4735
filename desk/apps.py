from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "编辑部"

    def ready(self) -> None:
        from . import history

        history.register_models()
        history.connect_signals()
