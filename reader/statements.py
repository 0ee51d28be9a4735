"""Querysets composed once per process, then run again with other values.

Django composes a queryset's SQL each time it runs. For the small reads of a reader's first
page of an issue (its row, pages, items, neighbours) composing costs 0.5–2 ms of CPU each, five
to ten times what running the statement costs; a first reader runs four to seven of them. A
``Statement`` is such a queryset, built once with ``Arg`` where its values go. Its SQL is
composed once per database alias, and each run puts in the values (adapted by the field
named in the ``Arg``, as the ORM would), runs the statement on reader/db.py's prepared cursor
and turns the rows into model instances as Django's ``ModelIterable`` does: converters,
deferred fields, ``select_related`` objects and annotations included.

What a statement cannot carry (``prefetch_related``, values()) raises ``TypeError`` when it is
first composed. tests/reader/test_statements.py proves each one returns what its queryset
returns.
"""

from __future__ import annotations

import inspect
import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from reader.db import fetch_all


class Arg(Expression):
    """A value given each time a ``Statement`` runs, compared as ``field`` compares it."""

    def __init__(self, name: str, field: Field) -> None:
        super().__init__(output_field=field)
        self.name = name

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "%s", [self]

    def value(self, values: dict[str, Any], connection) -> Any:
        given = values.get(self.name)
        if given is None:  # ``= NULL`` matches nothing, where the ORM would say IS NULL
            raise TypeError(f"statement needs a value for {self.name!r}")
        return self.output_field.get_db_prep_value(given, connection, prepared=False)


def arg(model: type[Model], field: str, name: str | None = None) -> Arg:
    """An ``Arg`` compared as ``model``'s ``field`` (named after the field unless ``name``)."""
    return Arg(name or field, model._meta.get_field(field))


PLAIN_DESCRIPTORS = {DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor}


class _Composed:
    """A statement's SQL on one database, and how its rows become instances. Holds no
    connection: each run uses the running thread's (Django's connections are per thread)."""

    def __init__(self, queryset: QuerySet, alias: str) -> None:
        if queryset._prefetch_related_lookups or queryset._iterable_class is not ModelIterable:
            raise TypeError("a Statement runs plain model querysets (no prefetch_related, no values())")
        if queryset._db is not None or queryset._known_related_objects:
            raise TypeError("a Statement reads where the router sends it (no using(), no related manager)")
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, self.params = compiler.as_sql()  # also sets select, klass_info, annotation_col_map
        if compiler.has_extra_select:
            raise TypeError("a Statement runs querysets whose rows are their columns (no extra select)")
        self.alias = alias
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.at = {name: self.start + index for index, name in enumerate(self.init_list)}  # a field's column
        self.populators = get_related_populators(klass_info, compiler.select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.columns = [column[0] for column in compiler.select]
        # Attributes Django's own descriptors hold: setting them is storing them (``_made``).
        self.plain_fields = all(
            type(inspect.getattr_static(self.model, name, None)) in PLAIN_DESCRIPTORS for name in self.init_list
        )

    def fetch(self, values: dict[str, Any]) -> list:
        """The statement's rows with these values, as the database driver gives them."""
        connection = connections[self.alias]
        params = [p.value(values, connection) if isinstance(p, Arg) else p for p in self.params]
        return fetch_all(self.alias, self.sql, params)

    def rows(self, values: dict[str, Any]) -> list:
        """``fetch``, each value turned into Python's."""
        rows = self.fetch(values)
        connection = connections[self.alias]
        converters = self._converters(connection)
        return [_converted(row, converters, connection) for row in rows] if converters else rows

    @property
    def pk_converted(self) -> bool:
        """Whether the key's column has converters on this database (a UUID on SQLite)."""
        at = self.at[self.model._meta.pk.attname]
        return any(position == at for position, _, _ in self._converters(connections[self.alias]))

    def converted(self, row: tuple) -> tuple | list:
        """A fetched row with its values turned into Python's (Django's converters)."""
        connection = connections[self.alias]
        converters = self._converters(connection)
        return _converted(row, converters, connection) if converters else row

    def instance(self, row, plain: bool | None = None) -> Model:
        """The model instance of one row, as Django's ``ModelIterable`` makes it (``plain``:
        ``self.plain``, asked once for many rows)."""
        plain = self.plain if plain is None else plain
        instance = self._made(row[self.start : self.end]) if plain else self._from_db(row)
        for populator in self.populators:
            populator.populate(row, instance)
        for name, column in self.annotations:
            setattr(instance, name, row[column])
        return instance

    def _from_db(self, row) -> Model:
        return self.model.from_db(self.alias, self.init_list, row[self.start : self.end])

    def _made(self, values) -> Model:
        """``Model.from_db`` for a ``plain`` model, where that call only sets the loaded fields'
        attributes and the instance's state: set here directly, a title's instance costs a
        quarter of what it did (an issue page makes forty). tests/reader/test_statements.py
        compares the two."""
        model = self.model
        instance = model.__new__(model)
        instance.__dict__.update(zip(self.init_list, values, strict=True))
        instance._state = state = ModelState()
        state.adding, state.db = False, self.alias
        return instance

    @property
    def plain(self) -> bool:
        """The loaded fields are held by Django's own descriptors, and the model neither
        overrides ``from_db``, ``__init__`` or ``__setattr__`` nor has ``pre_init`` or
        ``post_init`` receivers (an ``ImageField`` with dimensions has both a descriptor of
        its own and a receiver)."""
        model = self.model
        return (
            self.plain_fields
            and model.from_db.__func__ is Model.from_db.__func__
            and model.__setattr__ is Model.__setattr__
            and model.__init__ is Model.__init__
            and not pre_init.has_listeners(model)
            and not post_init.has_listeners(model)
        )

    def _converters(self, connection) -> list:
        """The converters of each column on ``connection`` (as ``SQLCompiler.get_converters``),
        kept on the connection: they are its backend's bound methods, and go with it."""
        kept = connection.__dict__.setdefault(_CONVERTERS, weakref.WeakKeyDictionary())
        converters = kept.get(self)
        if converters is None:
            converters = kept[self] = [
                (position, functions, column)
                for position, column in enumerate(self.columns)
                if (functions := connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            ]
        return converters


_CONVERTERS = "_statement_converters"


def _converted(row: tuple, converters: list, connection) -> list:
    """``row`` with the database's values turned into Python's."""
    row = list(row)
    for position, functions, column in converters:
        for convert in functions:
            row[position] = convert(row[position], column, connection)
    return row


class Statement:
    """A queryset made by ``build`` (with ``Arg`` for its values), composed once per database."""

    def __init__(self, model: type[Model], build: Callable[[], QuerySet]) -> None:
        self.model = model
        self.build = build
        self._composed: dict[str, _Composed] = {}
        self._lock = threading.Lock()

    def all(self, *, using: str | None = None, **values: Any) -> list[Model]:
        """The instances the queryset would give with these values, read on ``using`` or
        where the router sends reads of its model."""
        composed = self._on(using or router.db_for_read(self.model))
        plain = composed.plain
        return [composed.instance(row, plain) for row in composed.rows(values)]

    def rows(self, *, using: str | None = None, **values: Any) -> Rows:
        """``all()``, each instance made only when asked for (``Rows.instance``)."""
        composed = self._on(using or router.db_for_read(self.model))
        return Rows(composed, composed.fetch(values))

    def first(self, *, using: str | None = None, **values: Any) -> Model | None:
        found = self.all(using=using, **values)
        return found[0] if found else None

    def _on(self, alias: str) -> _Composed:
        composed = self._composed.get(alias)
        if composed is None:
            with self._lock:
                composed = self._composed.get(alias) or _Composed(self.build(), alias)
                if composed.model is not self.model:
                    raise TypeError(f"a Statement of {self.model.__name__} built a {composed.model.__name__} queryset")
                self._composed[alias] = composed
        return composed


class Rows:
    """A statement's rows as fetched, and their primary keys, in order: for rows of which a
    request makes a few into instances (an item's neighbours in its issue's reading order), or
    none (the issue read, reader/reading.py, when its key finds the process's copy)."""

    def __init__(self, composed: _Composed, rows: list) -> None:
        self._composed = composed
        self._rows = rows
        at = composed.at[composed.model._meta.pk.attname]
        self.pks = [composed.converted(row)[at] for row in rows] if composed.pk_converted else [row[at] for row in rows]
        self._index = {pk: index for index, pk in enumerate(self.pks)}

    def __len__(self) -> int:
        return len(self._rows)

    def index(self, pk) -> int | None:
        """Where the row of ``pk`` is, or None."""
        return self._index.get(pk)

    def instance(self, index: int) -> Model:
        composed = self._composed
        return composed.instance(composed.converted(self._rows[index]))

    def fields(self, index: int, names: tuple[str, ...]) -> tuple:
        """The values of the model's fields ``names`` (attnames) in row ``index`` as fetched
        (to compare, as a key: not converted), no instance made."""
        row = self._rows[index]
        return tuple(row[self._composed.at[name]] for name in names)
