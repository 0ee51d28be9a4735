"""Spreadsheet exports and title-line corrections (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from articles.flags import Flag
from articles.models import Article, Credit, Person, Photo
from desk.spreadsheets import restore


class ArticleResource(resources.ModelResource):
    issue_date = fields.Field(attribute="page__issue__date", column_name="issue_date", readonly=True)
    page_number = fields.Field(attribute="page__number", column_name="page", readonly=True)
    flags = fields.Field(column_name="flags", readonly=True)

    class Meta:
        model = Article
        fields = (
            "id",
            "issue_date",
            "page_number",
            "position",
            "kind",
            "kicker",
            "headline",
            "subheadline",
            "byline",
            "flags",
        )
        export_order = fields
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True

    def get_import_fields(self):
        # A spreadsheet may correct title lines only; everything else is read-only here.
        return [self.fields[name] for name in ("id", "kicker", "headline", "subheadline")]

    def before_import_row(self, row, **kwargs):
        for name in ("kicker", "headline", "subheadline"):
            if name in row:
                row[name] = restore(row[name])

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).with_flags()

    def dehydrate_flags(self, article: Article) -> str:
        """The unreviewed flags by their Chinese labels."""
        return "、".join(row.label for row in article.open_flags)

    def before_save_instance(self, instance, row, **kwargs):
        instance.edited = True

    def do_instance_save(self, instance, is_create):
        # Only a real save settles flags (a dry run without transactions skips this).
        if instance.headline and instance.pk:
            instance.settle_flags(Flag.UNCERTAIN_TITLE_SPLIT)
        super().do_instance_save(instance, is_create)


class PhotoResource(resources.ModelResource):
    article = fields.Field(attribute="article", column_name="article", widget=ForeignKeyWidget(Article, "pk"))

    class Meta:
        model = Photo
        fields = ("id", "article", "caption", "credit", "photographers", "width", "height")


class CreditResource(resources.ModelResource):
    person = fields.Field(attribute="person", column_name="person", widget=ForeignKeyWidget(Person, "name"))

    class Meta:
        model = Credit
        fields = ("id", "article", "person", "role", "position")
