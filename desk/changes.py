"""What one recorded edit changed, read from django-reversion's versions: the desk's history.

A revision holds rows as they were after the edit (a desk tool records the whole of each page
it touched, ``desk.tools.snapshot_page``); the state before is each row's previous version
(``ensure_baseline`` records a page as imported before its first edit for that reason).
Comparing the two gives what an edit did: the rows it changed, created or deleted, and the
items whose order among the others it changed. The history views list it (``history``, one
list for a page and for an item) and the undo of one operation reverts exactly it
(desk/undo.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from articles.models import Article, ArticleFlag, Credit, Photo
from issues.models import Page

CHILDREN = (Photo, Credit, ArticleFlag)
MODELS = (Page, Article, *CHILDREN)
# Fields that follow from others, from the issue or from a renumbering, and the mark every
# tool sets on the items it passes (``edited``): none is an edit of its own.
DERIVED: dict[type, frozenset[str]] = {
    Article: frozenset(
        {"position", "created_at", "updated_at", "issue_date", "issue_published_at", "edited"}
        | {"plain_text", "search_text", "keywords"}
    ),
    Photo: frozenset({"width", "height"}),
}
HISTORY_LENGTH = 50  # entries a history view lists
TITLE_FIELDS = ("kicker", "headline", "subheadline", "body")

Key = tuple[type, int]


@dataclass(frozen=True)
class State:
    """One row as one version recorded it (``fields`` as serialised: foreign keys by name)."""

    version: Version
    fields: dict

    @property
    def revision_id(self) -> int:
        return self.version.revision_id


def same(model: type, one: dict, other: dict) -> bool:
    """Whether two recorded states of a row agree on everything an editor changes."""
    derived = DERIVED.get(model, frozenset())
    return all(one[name] == other[name] for name in (one.keys() & other.keys()) - derived)


def fields_of(version: Version) -> dict:
    return json.loads(version.serialized_data)[0]["fields"] if version.format == "json" else {}


def _models_by_type() -> dict[int, type]:
    return {ct.pk: model for model, ct in ContentType.objects.get_for_models(*MODELS).items()}


def content_type_id(model: type) -> int:
    return ContentType.objects.get_for_model(model).pk


class Ledger:
    """Recorded states of desk rows, per row in the order they were recorded."""

    def __init__(self, versions: Iterable[Version]):
        models = _models_by_type()
        self._states: dict[Key, list[State]] = defaultdict(list)
        self._revisions: dict[int, dict[Key, State]] = defaultdict(dict)
        for version in sorted(versions, key=lambda v: (v.revision_id, v.pk)):
            key = (models[version.content_type_id], int(version.object_id))
            state = State(version, fields_of(version))
            self._states[key].append(state)
            self._revisions[version.revision_id][key] = state

    def recorded(self, revision_id: int) -> dict[Key, State]:
        return self._revisions.get(revision_id, {})

    def before(self, key: Key, revision_id: int) -> State | None:
        """The row's latest state recorded before the revision."""
        states = self._states.get(key, [])
        index = bisect.bisect_left([s.revision_id for s in states], revision_id)
        return states[index - 1] if index else None

    def keys(self) -> Iterable[Key]:
        return self._states.keys()


def load(revisions: list[Revision]) -> Ledger:
    """The revisions' versions with every state their changes are judged against: the pages'
    snapshots before the first of them, and each recorded row's previous version.

    A constant number of queries, whatever the number of revisions.
    """
    if not revisions:
        return Ledger([])
    ids = [r.pk for r in revisions]
    models = _models_by_type()
    page_type = content_type_id(Page)
    versions = list(Version.objects.filter(revision_id__in=ids, content_type_id__in=models))
    pages = {v.object_id for v in versions if v.content_type_id == page_type}
    earlier = Version.objects.filter(content_type_id=page_type, object_id__in=pages, revision_id__lt=min(ids))
    starts = earlier.values("object_id").annotate(last=Max("revision_id")).values_list("last", flat=True)
    start = min(starts, default=min(ids))
    recorded = defaultdict(set)
    for version in versions:
        recorded[version.content_type_id].add(version.object_id)
    same_rows = Q()
    for type_id, object_ids in recorded.items():
        same_rows |= Q(content_type_id=type_id, object_id__in=object_ids)
    page_revisions = Version.objects.filter(content_type_id=page_type, object_id__in=pages).values("revision_id")
    window = Version.objects.filter(revision_id__gte=start, revision_id__lt=max(ids), content_type_id__in=models)
    versions += window.filter(Q(revision_id__in=page_revisions) | same_rows).exclude(revision_id__in=ids)
    ledger = Ledger(versions)
    first = {key: ledger.before(key, start + 1) for key in ledger.keys()}
    missing = Q()
    for (model, pk), state in first.items():
        if state is None:
            missing |= Q(content_type_id=content_type_id(model), object_id=str(pk))
    if missing:
        older = Version.objects.filter(missing, revision_id__lt=start).values("content_type_id", "object_id")
        latest = older.annotate(last=Max("pk")).values("last")
        versions += Version.objects.filter(pk__in=latest)
        ledger = Ledger(versions)
    return ledger


@dataclass(frozen=True)
class Change:
    """One row an operation changed: ``before`` None if it created it, ``after`` None if it
    deleted it."""

    model: type
    pk: int
    before: State | None
    after: State | None

    @property
    def key(self) -> Key:
        return (self.model, self.pk)

    @property
    def items(self) -> set[int]:
        """The items the change concerns (a photo's, credit's or flag's item, before and after)."""
        if self.model is Article:
            return {self.pk}
        if self.model is Page:
            return set()
        return {s.fields["article"] for s in (self.before, self.after) if s is not None}


@dataclass
class Operation:
    """What one revision did."""

    revision: Revision
    changes: list[Change] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    # Per page: the items on it before, in order, and those whose order among the others changed.
    before_order: dict[int, list[int]] = field(default_factory=dict)
    after_order: dict[int, list[int]] = field(default_factory=dict)
    moved: dict[int, list[int]] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)

    @property
    def items(self) -> set[int]:
        touched = {pk for change in self.changes for pk in change.items}
        return touched | {pk for moved in self.moved.values() for pk in moved}

    def of(self, model: type, kind: str) -> list[Change]:
        """The changes of ``model`` rows of one kind: created, deleted or changed."""
        test = {
            "created": lambda c: c.before is None,
            "deleted": lambda c: c.after is None,
            "changed": lambda c: c.before is not None and c.after is not None,
        }[kind]
        return [c for c in self.changes if c.model is model and test(c)]

    def title(self, pk: int) -> str:
        """An item's display title as the operation left it (or found it, if it deleted it)."""
        return self.titles.get(pk) or f"稿件 {pk}"


def display_title(fields: dict) -> str:
    """``Article.display_title`` of a recorded state."""
    names = ("kicker", "headline", "subheadline", "body")
    return Article(**{name: fields.get(name) or ("" if name != "body" else []) for name in names}).display_title


def _ms(moment: dt.datetime) -> dt.datetime:
    """To the millisecond, as Django's JSON serialiser writes times."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def operation(revision: Revision, ledger: Ledger | None = None) -> Operation:
    """What ``revision`` changed, judged against each row's previous version."""
    ledger = ledger or load([revision])
    after = ledger.recorded(revision.pk)
    op = Operation(revision, pages={pk for model, pk in after if model is Page})
    before = {key: ledger.before(key, revision.pk) for key in after}
    started = _ms(revision.date_created)
    for key, state in after.items():
        model, pk = key
        previous = before[key]
        if previous is None:
            if _created(model, state, started, op, before):
                op.changes.append(Change(model, pk, None, state))
        elif not same(model, previous.fields, state.fields):
            op.changes.append(Change(model, pk, previous, state))
    _deleted(op, ledger, after, before)
    _order(op, after, before)
    recorded = [(pk, s) for (model, pk), s in after.items() if model is Article]
    recorded += [(c.pk, c.before) for c in op.changes if c.model is Article and c.after is None]
    op.titles = {pk: display_title(state.fields) for pk, state in recorded}
    return op


def _created(model: type, state: State, started: dt.datetime, op: Operation, before: dict) -> bool:
    """Whether a row first recorded by the revision was made by it (not merely never recorded)."""
    if model is Article:
        created = parse_datetime(state.fields.get("created_at") or "")
        return created is not None and created >= started
    if model in CHILDREN:
        parent = (Article, state.fields["article"])
        made_with = any(c.key == parent and c.before is None for c in op.changes)
        # A version from before flags were rows recorded none: a flag is no proof of new.
        recorded = before.get(parent) is not None and not (model is ArticleFlag and "flags" in before[parent].fields)
        return made_with or recorded
    return False


def _deleted(op: Operation, ledger: Ledger, after: dict, before: dict) -> None:
    """Rows on a recorded page just before the revision (and rows of its items) it no longer has."""
    snapshots = {page: ledger.before((Page, page), op.revision.pk) for page in op.pages}
    latest = {key: ledger.before(key, op.revision.pk) for key in ledger.keys() if key not in after}
    gone = []
    for (model, pk), state in latest.items():
        if model is not Article or state is None or snapshots.get(state.fields["page"]) is None:
            continue
        if state.revision_id >= snapshots[state.fields["page"]].revision_id:
            gone.append(Change(Article, pk, state, None))
    parents = {pk: before[(Article, pk)] for model, pk in after if model is Article and before[(Article, pk)]}
    parents.update({change.pk: change.before for change in gone})
    for (model, pk), state in latest.items():
        if model in CHILDREN and state is not None and state.fields["article"] in parents:
            if state.revision_id >= parents[state.fields["article"]].revision_id:
                gone.append(Change(model, pk, state, None))
    op.changes.extend(gone)


def _order(op: Operation, after: dict, before: dict) -> None:
    """Per page, the order before and after, and the items whose order among the others changed."""
    gone = {c.pk: c.before for c in op.changes if c.model is Article and c.after is None}
    was = {pk: state for (model, pk), state in before.items() if model is Article and state is not None} | gone
    now = {pk: state for (model, pk), state in after.items() if model is Article}
    for page in op.pages:
        op.before_order[page] = _ordered(was, page)
        op.after_order[page] = _ordered(now, page)
        kept = set(op.before_order[page]) & set(op.after_order[page])
        moved = out_of_order(
            [pk for pk in op.before_order[page] if pk in kept], [pk for pk in op.after_order[page] if pk in kept]
        )
        if moved:
            op.moved[page] = moved


def _ordered(states: dict[int, State], page: int) -> list[int]:
    return [pk for _, pk in sorted((s.fields["position"], pk) for pk, s in states.items() if s.fields["page"] == page)]


def out_of_order(first: list[int], second: list[int]) -> list[int]:
    """The items of ``second`` outside a longest run it shares in order with ``first`` (same items)."""
    if not second:
        return []
    index = {pk: i for i, pk in enumerate(first)}
    seq = [index[pk] for pk in second]
    # longest increasing subsequence of positions, O(n log n)
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(seq)
    for i, value in enumerate(seq):
        spot = bisect.bisect_left(tails, value)
        if spot == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[spot], tail_at[spot] = value, i
        parent[i] = tail_at[spot - 1] if spot else -1
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(second[i])
        i = parent[i]
    return [pk for pk in second if pk not in keep]


# --- the history: one list for a page and for an item ---------------------------------------


@dataclass(frozen=True)
class Item:
    pk: int
    title: str
    exists: bool


@dataclass(frozen=True)
class Entry:
    """One line of history: when, who, what operation, which items."""

    revision: Revision
    when: str
    who: str
    operation: str
    items: list[Item]
    pages: set[int]
    recorded: set[int]  # the items the revision recorded (to which it can restore one)
    undoable: bool

    @property
    def page(self) -> int | None:
        return min(self.pages) if self.pages else None


def when(revision: Revision) -> str:
    """A revision's time to the second, in the newsroom's time zone."""
    return f"{timezone.localtime(revision.date_created):%Y-%m-%d %H:%M:%S}"


def who(revision: Revision) -> str:
    return revision.user.get_username() if revision.user else "系统"


def item_revisions(article: Article) -> QuerySet[Revision]:
    """The revisions that recorded ``article``, newest first."""
    recorded = Version.objects.get_for_object(article).values("revision_id")
    return Revision.objects.filter(pk__in=recorded).order_by("-pk")


def history(revisions: QuerySet[Revision], *, item: int | None = None, limit: int = HISTORY_LENGTH) -> list[Entry]:
    """Entries for the revisions (newest first), each naming the items it touched; with
    ``item``, only those that touched that item (and the one that first recorded it)."""
    revisions = list(revisions.select_related("user")[:limit])
    ledger = load(revisions)
    operations = [operation(revision, ledger) for revision in revisions]
    if item is not None:
        first = min((r.pk for r in revisions), default=None)
        operations = [op for op in operations if item in op.items or op.revision.pk == first]
    touched = {pk for op in operations for pk in op.items}
    current = {a.pk: a for a in Article.objects.filter(pk__in=touched).only(*TITLE_FIELDS)}
    entries = []
    for op in operations:
        items = [
            Item(pk, current[pk].display_title if pk in current else op.title(pk), pk in current)
            for pk in sorted(op.items, key=lambda pk: _place(op, pk))
        ]
        entries.append(
            Entry(
                revision=op.revision,
                when=when(op.revision),
                who=who(op.revision),
                operation=op.revision.get_comment(),
                items=items,
                pages=op.pages,
                recorded=set(op.titles) - {c.pk for c in op.of(Article, "deleted")},
                undoable=bool(op.changes or op.moved),
            )
        )
    return entries


def _place(op: Operation, pk: int) -> tuple[int, int]:
    for order in (op.after_order, op.before_order):
        for page, pks in sorted(order.items()):
            if pk in pks:
                return (page, pks.index(pk))
    return (0, pk)
