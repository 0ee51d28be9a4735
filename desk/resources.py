"""Spreadsheet exports and title-line corrections (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from articles.models import Article, Credit, Person, Photo
from desk.spreadsheets import restore


class ArticleResource(resources.ModelResource):
    issue_date = fields.Field(attribute="page__issue__date", column_name="issue_date", readonly=True)
    page_number = fields.Field(attribute="page__number", column_name="page", readonly=True)

    class Meta:
        model = Article
        fields = ("id", "issue_date", "page_number", "position", "kind", "kicker", "headline", "subheadline", "byline")
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

    def before_save_instance(self, instance, row, **kwargs):
        instance.edited = True
        if instance.headline:
            instance.flags = [f for f in instance.flags if f not in {"missing_headline", "uncertain_title_split"}]


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
