"""Spreadsheet formats for the admin's exports and imports, safe to open in Excel.

django-import-export's own escaping only drops a leading "="; a cell that starts with
+ - @ tab or CR is still a formula to a spreadsheet. Every such text cell is written with
a leading apostrophe (OWASP's advice), and the apostrophe is taken off again when the
sheet comes back as corrections. Only CSV and XLSX are offered: an HTML export would be
an unescaped page of editors' text.
"""

from __future__ import annotations

from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def restore(value):
    """The text an editor meant, from a cell ``neutralise`` wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class _Neutralising:
    def export_data(self, dataset, **kwargs):
        for _ in range(len(dataset)):
            dataset.append([neutralise(cell) for cell in dataset.lpop()])
        return super().export_data(dataset, **kwargs)


class CSV(_Neutralising, base_formats.CSV):
    pass


class XLSX(_Neutralising, base_formats.XLSX):
    pass


FORMATS = [CSV, XLSX]


class ExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes named by their Chinese headings."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field and field.column_name else field_name
