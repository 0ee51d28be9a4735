from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        import reversion

        from articles.models import Article, Credit, Person, Photo
        from issues.models import Issue, Page

        for model, follow in ((Article, ("photos", "credits")), (Photo, ()), (Credit, ()), (Person, ())):
            if not reversion.is_registered(model):
                reversion.register(model, follow=follow)
        for model in (Issue, Page):
            if not reversion.is_registered(model):
                reversion.register(model)
