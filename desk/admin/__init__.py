"""The editors' desk in Django's admin: one module per model family."""

from desk.admin import accounts, articles, issues, revisions

__all__ = ["accounts", "articles", "issues", "revisions"]
