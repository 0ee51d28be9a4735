"""Flags as rows: ArticleFlag replaces the JSON columns Article.flags and Article.flag_notes.

Each code in an item's ``flags`` list becomes one unreviewed row with its note; going back,
unreviewed rows become the list again (reviewed ones were cleared in the old scheme).

SQLite rebuilds the article table where it cannot alter a column in place (adding the
columns back; dropping them on SQLite before 3.35), which drops the full-text triggers of
0003_search_index: they are made again, and the index rebuilt, after either direction.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.flags

BATCH = 2000
SEARCH = importlib.import_module("articles.migrations.0003_search_index")


def rows_from_json(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleFlag = apps.get_model("articles", "ArticleFlag")
    batch = []
    items = Article.objects.exclude(flags=[]).order_by("pk").values_list("pk", "flags", "flag_notes")
    for pk, codes, notes in items.iterator(chunk_size=BATCH):
        notes = notes if isinstance(notes, dict) else {}
        for code in dict.fromkeys(str(c) for c in codes or []):
            batch.append(ArticleFlag(article_id=pk, code=code[:40], note=str(notes.get(code, "") or "")))
        if len(batch) >= BATCH:
            ArticleFlag.objects.bulk_create(batch)
            batch = []
    ArticleFlag.objects.bulk_create(batch)


def json_from_rows(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleFlag = apps.get_model("articles", "ArticleFlag")
    by_item: dict[int, tuple[list, dict]] = {}
    unreviewed = ArticleFlag.objects.filter(reviewed_at__isnull=True)
    for pk, code, note in unreviewed.values_list("article_id", "code", "note"):
        codes, notes = by_item.setdefault(pk, ([], {}))
        codes.append(code)
        if note:
            notes[code] = note
    for pk, (codes, notes) in by_item.items():
        Article.objects.filter(pk=pk).update(flags=codes, flag_notes=notes)


def rebuild_sqlite_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in (*SEARCH.SQLITE_BACKWARD, *SEARCH.SQLITE_FORWARD):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_ordering_by_column"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleFlag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(choices=articles.flags.choices, max_length=40, verbose_name="标记")),
                ("note", models.TextField(blank=True, verbose_name="依据")),
                ("suggestions", models.JSONField(blank=True, default=list, verbose_name="建议写法")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="审阅时间")),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="flag_set",
                        to="articles.article",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审阅人",
                    ),
                ),
            ],
            options={
                "verbose_name": "待审标记",
                "verbose_name_plural": "待审标记",
                "ordering": ["article_id", "pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("reviewed_at__isnull", True)),
                        fields=["code", "article"],
                        name="flag_unreviewed",
                    )
                ],
                "constraints": [models.UniqueConstraint(fields=("article", "code"), name="one_flag_per_code")],
            },
        ),
        migrations.RunPython(rows_from_json, json_from_rows),
        migrations.RunPython(migrations.RunPython.noop, rebuild_sqlite_search),
        migrations.RemoveField(model_name="article", name="flag_notes"),
        migrations.RemoveField(model_name="article", name="flags"),
        migrations.RunPython(rebuild_sqlite_search, migrations.RunPython.noop),
    ]
