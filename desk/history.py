"""Edit history: which models django-reversion records for the desk.

Reversion stores whole-object versions (every field, serialised) grouped in revisions that
carry the user and a comment, so one editor's tool, which may touch several items, photos
and credits at once, is one entry that can be restored as a whole. Article follows its
photos, credits and flags so that they travel with it (an undo brings flags back too); Page
is recorded by the desk tools together with every item on it (``desk.tools.snapshot_page``).
"""

from __future__ import annotations

import reversion

from articles.models import Article, ArticleFlag, Credit, Person, Photo
from issues.models import Issue, Page


def register_models() -> None:
    for model, follow in (
        (Article, ("photos", "credits", "flag_set")),
        (Photo, ()),
        (Credit, ()),
        (ArticleFlag, ()),
        (Person, ()),
    ):
        # VersionAdmin registers its models first (when the admin loads), following only
        # their inlines: what is declared here replaces that.
        if reversion.is_registered(model):
            reversion.unregister(model)
        reversion.register(model, follow=follow)
    for model in (Issue, Page):
        if not reversion.is_registered(model):
            reversion.register(model)
