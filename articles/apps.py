from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        """Put the desk's models under django-reversion.

        Reversion stores whole-object versions (every field, serialised) grouped in
        revisions that carry the user and a comment, so one editor's tool, which may touch
        several items, photos and credits at once, is one entry that can be restored as a
        whole; VersionAdmin adds the history and revert views to the admin for free. Article
        follows its photos and credits so that they travel with it; Page is recorded by the
        desk tools together with every item on it (articles.editing.snapshot_page).
        """
        import reversion

        from articles.models import Article, Credit, Person, Photo
        from issues.models import Issue, Page

        for model, follow in ((Article, ("photos", "credits")), (Photo, ()), (Credit, ()), (Person, ())):
            if not reversion.is_registered(model):
                reversion.register(model, follow=follow)
        for model in (Issue, Page):
            if not reversion.is_registered(model):
                reversion.register(model)
