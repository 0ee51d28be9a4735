"""reader.links.path builds exactly what reverse() would, for every named route of the site."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix

from articles.models import Article, Person
from reader import links

DAY = dt.date(2022, 3, 25)
# A value for each parameter the site's routes take.
VALUES = {
    "date": DAY,
    "number": 3,
    "page": 2,
    "position": 11,
    "pk": 7,
    "section": "articles",
    "year": "2022",  # the month sitemap's route, a regular expression: values as text
    "month": "03",
    "path": "pages/第1版 a.png",
}


# Where one parameter name is spelled differently by another route.
OWN_VALUES = {("api-month", "month"): "2022-03"}


def named_routes() -> list[str]:
    """Every route name of the site with one spelling, namespaced ones included."""
    root = get_resolver()
    names = [n for n in root.reverse_dict if isinstance(n, str)]
    for namespace, (_prefix, resolver) in root.namespace_dict.items():
        if namespace == "admin":
            continue  # the desk's pages are never built by the reader
        names += [f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)]
    return sorted(names)


def kwargs_of(name: str) -> dict:
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver().namespace_dict[namespace][1] if namespace else get_resolver()
    ((_, params),) = resolver.reverse_dict.getlist(short)[0][0]
    return {p: OWN_VALUES.get((short, p), VALUES.get(p)) for p in params}


def test_every_reader_route_is_covered():
    names = named_routes()
    assert {"reader:home", "reader:issue", "reader:page", "reader:article", "reader:person"} <= set(names)
    assert {"reader:article-text", "reader:search", "reader:archive", "reader:rss", "sitemap"} <= set(names)


@pytest.mark.parametrize("prefix", ["/", "/news/"])
def test_path_equals_reverse_for_every_named_route(prefix):
    set_script_prefix(prefix)
    try:
        for name in named_routes():
            kwargs = kwargs_of(name)
            assert links.path(name, **kwargs) == reverse(name, kwargs=kwargs), name
            if kwargs:  # the same with the values already spelled as text
                text = {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in kwargs.items()}
                assert links.path(name, **text) == reverse(name, kwargs=text), name
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("reader:page", {"date": DAY, "number": 0}),
        ("reader:page", {"date": DAY}),
        ("reader:page", {"date": DAY, "number": 1, "extra": 2}),
        ("reader:issue", {"date": "2022-02-30"}),
        ("reader:nowhere", {}),
        ("nowhere:home", {}),
    ],
)
def test_what_reverse_refuses_path_refuses(name, kwargs):
    with pytest.raises(NoReverseMatch):
        reverse(name, kwargs=kwargs)
    with pytest.raises((NoReverseMatch, ValueError)):
        links.path(name, **kwargs)


def test_models_absolute_urls_equal_reverse(sample_issue):
    issue = sample_issue
    page = issue.pages.order_by("number").last()
    article = Article.objects.filter(page=page).select_related("page__issue").last()
    person = Person.objects.first()
    date = issue.date.isoformat()
    assert issue.get_absolute_url() == reverse("reader:issue", kwargs={"date": date})
    assert page.get_absolute_url() == reverse("reader:page", kwargs={"date": date, "number": page.number})
    assert article.get_absolute_url() == reverse(
        "reader:article", kwargs={"date": date, "page": page.number, "position": article.position}
    )
    assert person.get_absolute_url() == reverse("reader:person", kwargs={"pk": person.pk})
