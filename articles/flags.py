"""The flag vocabulary on the Django side: choices for the model and lookups for the desk.

Codes are defined once, by ``issues.importer.flags.Flag`` (pure Python, so the importer
stays free of Django); this module and that one are the only places a flag code is written.
A stored code the enum no longer knows (from an older import) is shown as it is.
"""

from __future__ import annotations

from issues.importer.flags import Flag, flag_label


def choices() -> list[tuple[str, str]]:
    """The field's choices; a callable, so a new flag needs no migration."""
    return Flag.choices()


def flag_explanation(code: str) -> str:
    """What the flag means and what to check, in plain Chinese; empty for an unknown code."""
    try:
        return Flag(code).explanation
    except ValueError:
        return ""


__all__ = ["Flag", "choices", "flag_explanation", "flag_label"]
