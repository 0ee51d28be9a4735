"""Full-text search structures, one per database behind articles/search.py.

PostgreSQL: a ``search_vector`` tsvector column kept by a trigger from ``search_text``
(jieba tokens, punctuation already stripped, so the C-ctype parser glues nothing), a GIN
index over it, and fuller statistics so the planner knows common words from rare ones.
SQLite: an FTS5 table over ``search_text`` kept by triggers.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 1000",
    "UPDATE articles_article SET search_vector = to_tsvector('simple', search_text)",
    """CREATE TRIGGER articles_article_search_vector BEFORE INSERT OR UPDATE OF search_text
       ON articles_article FOR EACH ROW
       EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_text)""",
    "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        search_text, content='articles_article', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER articles_article_fts_ai AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER articles_article_fts_ad AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
       END""",
    """CREATE TRIGGER articles_article_fts_au AFTER UPDATE OF search_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO articles_article_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_ai",
    "DROP TRIGGER IF EXISTS articles_article_fts_ad",
    "DROP TRIGGER IF EXISTS articles_article_fts_au",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_article_search_fields")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
