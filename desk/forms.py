"""Desk forms whose fields an editor types into as text, never as JSON."""

from __future__ import annotations

from django import forms

from articles.models import Article
from desk.paragraphs import BodyField, BodyFormMixin, TextListField
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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="报头上可能出现的其他写法，一行一个。",
    )

    class Meta:
        model = Publication
        fields = ("name", "name_en", "slug", "aliases")
