"""newsroom/pg_arrays.py: the quicker text array dumper writes psycopg's own bytes, and every
PostgreSQL connection uses it."""

import json

import pytest
from django.db import connection
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper
from psycopg.types.json import Jsonb

from articles.models import Article
from issues.models import Page
from newsroom.pg_arrays import QuickListDumper

TRICKY = [
    'a "quoted" word',
    "back\\slash\\",
    '\\"',
    "",
    "NULL",
    "null",
    None,
    "with space",
    "tab\tand\nnewline",
    "{braces},comma",
    "全角“引号”与\u3000空格",
    "plain",
]
LISTS = [
    TRICKY,
    [None, None],
    [],
    [["nested", 'q"'], ["back\\", None]],
    [Jsonb({"kind": "text", "text": '他说："好\\坏"'}), Jsonb([1, "x", None])],
    [Jsonb({"a": '"'}), None],
]


@pytest.mark.parametrize("values", LISTS)
def test_quick_dumper_writes_the_same_bytes(values):
    tx = Transformer()
    ours = QuickListDumper(list, tx).upgrade(values, PyFormat.TEXT)
    theirs = ListDumper(list, tx).upgrade(values, PyFormat.TEXT)
    assert type(ours) is QuickListDumper
    assert ours.oid == theirs.oid
    assert bytes(ours.dump(values)) == bytes(theirs.dump(values))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays")
def test_postgresql_connections_dump_lists_quickly_and_read_back_the_same(sample_issue):
    connection.ensure_connection()
    dumper = connection.connection.adapters.get_dumper(list, PyFormat.AUTO)
    assert dumper is QuickListDumper
    strings = [v for v in TRICKY if v is not None]
    with connection.cursor() as cursor:
        cursor.execute("SELECT (%s)::text[], (%s)::jsonb[]", [TRICKY, LISTS[4]])
        texts, documents = cursor.fetchone()
    assert texts == TRICKY
    # Django reads jsonb as text and decodes it itself.
    assert [json.loads(d) for d in documents] == [{"kind": "text", "text": '他说："好\\坏"'}, [1, "x", None]]
    # A bulk insert of several rows goes through UNNEST, one array per column.
    page = Page.objects.create(issue=sample_issue, number=99)
    Article.objects.bulk_create(
        Article(page=page, position=k, headline=text[:200], body=[{"kind": "text", "text": text}])
        for k, text in enumerate(strings, start=1)
    )
    stored = list(Article.objects.filter(page=page).order_by("position").values_list("headline", "body"))
    assert stored == [(text, [{"kind": "text", "text": text}]) for text in strings]
