"""Spreadsheet exports and title-line corrections (django-import-export)."""

from import_export import fields, resources, widgets
from import_export.widgets import ForeignKeyWidget

from articles.flags import Flag
from articles.models import Article, Credit, Person, Photo
from desk.spreadsheets import restore
from desk.tools import touch


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label, read back from the label (or the stored code)."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.labels = dict(choices)
        self.codes = {label: code for code, label in choices}

    def clean(self, value, row=None, **kwargs):
        return self.codes.get(value, value)

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value)


def column(attribute: str, name: str, **kwargs) -> fields.Field:
    """A spreadsheet column: the model attribute under a Chinese heading."""
    return fields.Field(attribute=attribute, column_name=name, **kwargs)


class ArticleResource(resources.ModelResource):
    id = column("id", "编号", widget=widgets.IntegerWidget())
    issue_date = column("page__issue__date", "出版日期", readonly=True)
    page_number = column("page__number", "版次", readonly=True)
    position = column("position", "顺序", readonly=True)
    kind = column("kind", "类型", readonly=True)
    kicker = column("kicker", "引题")
    headline = column("headline", "主题")
    subheadline = column("subheadline", "副题")
    byline = column("byline", "署名", readonly=True)
    body = fields.Field(column_name="正文", readonly=True)
    flags = fields.Field(column_name="待审标记", readonly=True)

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
            "body",
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

    def dehydrate_kind(self, article: Article) -> str:
        return article.get_kind_display()

    def dehydrate_body(self, article: Article) -> str:
        """The body as it reads: one paragraph a line."""
        return article.body_text()

    def dehydrate_flags(self, article: Article) -> str:
        """The unreviewed flags by their Chinese labels."""
        return "、".join(row.label for row in article.open_flags)

    def before_save_instance(self, instance, row, **kwargs):
        instance.edited = True

    def do_instance_save(self, instance, is_create):
        # Only a real save settles flags (a dry run without transactions skips this).
        if instance.pk:
            touch(instance, *((Flag.UNCERTAIN_TITLE_SPLIT,) if instance.headline else ()))
        super().do_instance_save(instance, is_create)


class PhotoResource(resources.ModelResource):
    id = column("id", "编号", widget=widgets.IntegerWidget())
    article = column("article", "稿件", widget=ForeignKeyWidget(Article, "pk"))
    caption = column("caption", "图片说明")
    credit = column("credit", "图片署名")
    photographers = fields.Field(column_name="摄影", readonly=True)
    width = column("width", "宽（像素）", readonly=True)
    height = column("height", "高（像素）", readonly=True)

    class Meta:
        model = Photo
        fields = ("id", "article", "caption", "credit", "photographers", "width", "height")

    def dehydrate_photographers(self, photo: Photo) -> str:
        return "、".join(photo.photographers)


class CreditResource(resources.ModelResource):
    id = column("id", "编号", widget=widgets.IntegerWidget())
    article = column("article", "稿件", widget=ForeignKeyWidget(Article, "pk"))
    person = column("person", "署名人", widget=ForeignKeyWidget(Person, "name"))
    role = column("role", "角色", widget=ChoiceLabelWidget(Credit.Role.choices))
    position = column("position", "顺序", widget=widgets.IntegerWidget())

    class Meta:
        model = Credit
        fields = ("id", "article", "person", "role", "position")
