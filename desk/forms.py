"""Desk forms whose fields an editor types into as text, never as JSON."""

from __future__ import annotations

from django import forms

from articles import body as body_rules
from articles.models import Article
from desk import workspace
from desk.paragraphs import LINES, BodyField, BodyFormMixin, ParagraphForm, TextListField
from desk.tools import HEADLINE_MAX, ROLE_LABELS, TITLE_ROLES
from issues.models import Publication


class ArticleForm(BodyFormMixin, forms.ModelForm):
    body = BodyField(label="正文")

    class Meta:
        model = Article
        fields = (
            *("kicker", "headline", "subheadline", "byline", "source", "dateline_place", "dateline_date"),
            *("kind", "body", "continued_from_page", "continued_to_page", "continues"),
        )


class PublicationForm(forms.ModelForm):
    aliases = TextListField(
        label="报头别名",
        joiner="\n",
        separators=LINES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="报头上可能出现的其他写法，一行一个。",
    )

    class Meta:
        model = Publication
        fields = ("name", "name_en", "slug", "aliases")


ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in TITLE_ROLES]
STALE = "这篇稿件在你打开工作台之后已被改动（也许是别的编辑）：请看刷新后的内容再操作。"


class StampedForm(forms.Form):
    """A workspace form about one item; refused if the item changed since the form was shown
    (paragraphs are named by their place, which an earlier change may have moved)."""

    stamp = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_stamp(self) -> str:
        if self.cleaned_data["stamp"] != workspace.stamp(self.article):
            raise forms.ValidationError(STALE)
        return self.cleaned_data["stamp"]


class BlockForm(StampedForm):
    block = forms.IntegerField(label="段落", min_value=0, max_value=body_rules.MAX_PARAGRAPHS)


class ParagraphEditForm(BlockForm):
    text = ParagraphForm.base_fields["text"]
    kind = ParagraphForm.base_fields["kind"]


class MoveForm(BlockForm):
    target = forms.ModelChoiceField(label="移到", queryset=Article.objects.none())

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, article=article, **kwargs)
        self.fields["target"].queryset = Article.objects.filter(page=article.page_id).exclude(pk=article.pk)


class PromoteForm(BlockForm):
    role = forms.ChoiceField(label="升为", choices=ROLE_CHOICES)


class RoleForm(StampedForm):
    role = forms.ChoiceField(label="标题行", choices=ROLE_CHOICES)


class SwapForm(StampedForm):
    swap_a = forms.ChoiceField(label="交换", choices=ROLE_CHOICES)
    swap_b = forms.ChoiceField(label="与", choices=ROLE_CHOICES)


class TitlesForm(StampedForm):
    kicker = forms.CharField(label="引题", required=False, max_length=HEADLINE_MAX)
    headline = forms.CharField(label="主题", required=False, max_length=HEADLINE_MAX)
    subheadline = forms.CharField(label="副题", required=False, max_length=HEADLINE_MAX)


class MergeForm(StampedForm):
    confirm = forms.BooleanField(required=False)
