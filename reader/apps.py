from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "读者站点"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()
