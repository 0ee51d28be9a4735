from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "读者站点"

    def ready(self) -> None:
        from . import signals

        signals.connect()
