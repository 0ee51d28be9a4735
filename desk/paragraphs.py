"""The paragraph editor: an item's body as a list of paragraphs, never as JSON.

``BodyField`` is a form field whose widget renders a formset (one row per paragraph: text,
kind, order, delete, and one empty row to add a paragraph) and reads it back from the POST;
the field turns it into the stored list of blocks, with each row's error shown on its row.
Works without JavaScript. ``TextListField`` does the same for short lists (photographers,
a publication's other names): typed as text, stored as a JSON list.
"""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from articles import body as body_rules
from articles.body import BlockKind


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label="文字",
        required=False,
        strip=False,
        max_length=body_rules.MAX_PARAGRAPH_CHARS + 100,  # the rule's own message below says more
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "class": "paragraph-text"}),
    )
    kind = forms.ChoiceField(label="类型", choices=BlockKind.choices, initial=BlockKind.TEXT)

    def clean(self):
        data = super().clean()
        if self.errors or not self.has_changed() and self.empty_permitted:
            return data
        if not data.get("text", "").strip():
            raise forms.ValidationError("段落不能为空：要删掉这一段，请勾选“删除”")
        try:
            data["block"] = body_rules.paragraph(data.get("kind", BlockKind.TEXT), data["text"])
        except body_rules.BodyError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class BaseParagraphFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "顺序"
        form.fields["ORDER"].widget.attrs.update({"class": "paragraph-order", "min": 1})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除"

    def blocks(self) -> list[dict[str, str]]:
        """The paragraphs kept, in the order typed (ties keep their place); call once valid."""
        return [form.cleaned_data["block"] for form in self.ordered_forms if "block" in form.cleaned_data]


ParagraphFormSet = forms.formset_factory(
    ParagraphForm,
    formset=BaseParagraphFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=body_rules.MAX_PARAGRAPHS,
    validate_max=True,
    absolute_max=body_rules.MAX_PARAGRAPHS + 1,
)


def paragraph_formset(body: list[dict] | None = None, data=None, prefix: str = "body") -> BaseParagraphFormSet:
    initial = [{"text": p.get("text", ""), "kind": p.get("kind", BlockKind.TEXT)} for p in body or []]
    return ParagraphFormSet(data, initial=initial, prefix=prefix)


class ParagraphsWidget(forms.Widget):
    """Renders the paragraph formset; reads it back from the POST as a bound formset."""

    template = "desk/paragraphs.html"

    class Media:
        css = {"all": ["desk/paragraphs.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.initial_body: list[dict] = []

    def value_from_datadict(self, data, files, name):
        return paragraph_formset(self.initial_body, data, prefix=name)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL_FORMS" not in data

    def render(self, name, value, attrs=None, renderer=None):
        formset = value if isinstance(value, forms.BaseFormSet) else paragraph_formset(value, prefix=name)
        return SafeString(render_to_string(self.template, {"formset": formset, "name": name}))


class BodyField(forms.Field):
    """``Article.body`` edited as paragraphs; cleans to the list of blocks."""

    widget = ParagraphsWidget

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        if not isinstance(value, forms.BaseFormSet):
            raise forms.ValidationError("正文没有提交：请刷新页面后再改")
        if not value.is_valid():
            errors = [e for e in value.non_form_errors()] or ["有段落需要修改：请看下面各段的提示"]
            raise forms.ValidationError(errors)
        return value.blocks()

    def has_changed(self, initial, data):
        if not isinstance(data, forms.BaseFormSet) or not data.is_valid():
            return True
        return data.blocks() != [{"kind": p.get("kind"), "text": p.get("text")} for p in initial or []]

    def bound_data(self, data, initial):
        return data


class BodyFormMixin:
    """For a ModelForm with ``body``: the widget starts from the item's paragraphs, so a
    formset posted back is read against them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].widget.initial_body = self.initial.get("body") or []


SEPARATORS = re.compile(r"[\n\r,，、;；]+")
LINES = re.compile(r"[\n\r]+")


class TextListField(forms.CharField):
    """A short list typed as text, one entry per line or separated by 、 or commas."""

    def __init__(
        self, *, max_items: int = 20, max_item_length: int = 50, joiner: str = "、", separators=SEPARATORS, **kwargs
    ):
        self.max_items, self.max_item_length, self.joiner = max_items, max_item_length, joiner
        self.separators = separators
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "多个用顿号“、”、逗号或换行分开。")
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return self.joiner.join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        items = list(dict.fromkeys(part.strip() for part in self.separators.split(text) if part.strip()))
        if len(items) > self.max_items:
            raise forms.ValidationError(f"最多 {self.max_items} 项，现有 {len(items)} 项")
        if long := [item for item in items if len(item) > self.max_item_length]:
            raise forms.ValidationError(f"“{long[0][:20]}”太长：每项最多 {self.max_item_length} 字")
        return items

    def has_changed(self, initial, data):
        return list(initial or []) != self.to_python(data)


def formset_data(body, prefix: str = "body") -> dict[str, object]:
    """The POST data of the paragraph editor holding ``body`` unchanged (a list of blocks, or a
    formset as rendered): what a browser sends back when nothing was edited."""
    if isinstance(body, forms.BaseFormSet):
        body = [{"kind": f["kind"].value(), "text": f["text"].value()} for f in body.forms[: body.initial_form_count()]]
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": len(body) + 1,
        f"{prefix}-INITIAL_FORMS": len(body),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": body_rules.MAX_PARAGRAPHS,
    }
    for i, block in enumerate(body):
        data.update(
            {f"{prefix}-{i}-text": block["text"], f"{prefix}-{i}-kind": block["kind"], f"{prefix}-{i}-ORDER": i + 1}
        )
    data.update({f"{prefix}-{len(body)}-text": "", f"{prefix}-{len(body)}-kind": BlockKind.TEXT})
    return data
