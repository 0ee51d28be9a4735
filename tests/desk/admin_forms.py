"""The data an admin change form would post back unchanged: a valid form, as an attacker
who first loads the page would send it."""

from __future__ import annotations

import datetime as dt

from django import forms

from desk.paragraphs import BodyField, formset_data


def admin_form_data(response) -> dict[str, object]:
    """POST data for the change form (and its inlines) that ``response`` rendered."""
    context = response.context
    data: dict[str, object] = {"_save": "保存"}
    every = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        every += list(formset.forms)
    for form in every:
        for name, field in form.fields.items():
            data.update(_field_data(form.add_prefix(name), field, form[name].value()))
    return data


def _field_data(key: str, field: forms.Field, value: object) -> dict[str, object]:
    if isinstance(field, BodyField):
        return formset_data(value, prefix=key)
    if isinstance(field, forms.FileField):
        return {}  # the stored file stays when none is sent
    if isinstance(field.widget, forms.MultiWidget):
        parts = field.widget.decompress(value)
        return {f"{key}_{i}": _text(part) for i, part in enumerate(parts)}
    if isinstance(field, forms.BooleanField):
        return {key: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {key: [_text(v) for v in value]}
    return {key: _text(value)}


def _text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value
