"""The editors' desk in Django's admin: one module per model family."""

from desk.admin import articles, issues

__all__ = ["articles", "issues"]
