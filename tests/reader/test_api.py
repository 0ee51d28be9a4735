"""The JSON API: every answer these tests get is validated against /api/openapi.json.

``api`` is a test client whose every request checks its answer against the document: the
status is one the operation lists (or 405 for a method it does not), the body validates
against that response's schema (closed objects: an undocumented field fails), documented
headers are present. The document itself is checked against the OpenAPI 3.1 schema
(tests/data/openapi-3.1-schema.json) and each of its schemas as JSON Schema 2020-12.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from articles.models import Article, Person
from reader import api, openapi, urls
from reader.cache import to_traditional
from tests.conftest import import_published, make_user, publish, retract, write_archive

OAS_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "openapi-3.1-schema.json"
SAMPLE_DATE = "2022-03-25"
ALLOW = "GET, HEAD, OPTIONS"


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")


def find_operation(document: dict, path: str) -> str | None:
    """The document's path template that ``path`` matches, concrete paths first."""
    if path in document["paths"]:
        return path
    return next((t for t in document["paths"] if "{" in t and _template_regex(t).match(path)), None)


def resolve_ref(document: dict, node: dict) -> dict:
    while "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def validate(document: dict, schema: dict, body) -> None:
    root = {**schema, "components": document["components"]}
    Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(body)


class ApiClient:
    """A test client that validates every answer against the OpenAPI document."""

    def __init__(self, client: Client, document: dict) -> None:
        self.client = client
        self.document = document
        self.seen: list[tuple[str | None, str, int]] = []

    def request(self, method: str, path: str, data: dict | None = None, **extra):
        response = (
            getattr(self.client, method)(path, data, **extra) if data else getattr(self.client, method)(path, **extra)
        )
        self.check(method, urlsplit(path).path, response)
        return response

    def get(self, path: str, data: dict | None = None, **extra):
        return self.request("get", path, data, **extra)

    def check(self, method: str, path: str, response) -> None:
        template = find_operation(self.document, path)
        self.seen.append((template, method, response.status_code))
        if method == "options" and response.status_code == 204:
            assert response["Allow"] == ALLOW and response.content == b""
            return
        assert response["Content-Type"] == "application/json", (path, response["Content-Type"])
        answer = self._documented_answer(template, method, response.status_code)
        for header in answer.get("headers", {}):
            assert response.has_header(header), (path, header)
        if method == "head":
            assert response.content == b""
            return
        body = json.loads(response.content)
        validate(self.document, answer["content"]["application/json"]["schema"], body)
        if response.status_code >= 400:
            assert body["error"]["status"] == response.status_code

    def _documented_answer(self, template: str | None, method: str, status: int) -> dict:
        components = self.document["components"]["responses"]
        if template is None:
            assert status == 404
            return components["NotFound"]
        item = self.document["paths"][template]
        operation = item.get("get" if method == "head" else method)
        if operation is None:
            assert status == 405, (template, method, status)
            return components["MethodNotAllowed"]
        assert str(status) in operation["responses"], (template, method, status)
        return resolve_ref(self.document, operation["responses"][str(status)])


@pytest.fixture
def document(settings) -> dict:
    return openapi.document()


@pytest.fixture
def api_client(client, document) -> ApiClient:
    return ApiClient(client, document)


def strings(node, convert):
    """``node`` with ``convert`` applied to every string in it."""
    if isinstance(node, dict):
        return {key: strings(value, convert) for key, value in node.items()}
    if isinstance(node, list):
        return [strings(value, convert) for value in node]
    return convert(node) if isinstance(node, str) else node


def urls_in(node) -> list[str]:
    if isinstance(node, dict):
        return [
            *(value for key, value in node.items() if key.endswith("url") and isinstance(value, str)),
            *(url for value in node.values() for url in urls_in(value)),
        ]
    if isinstance(node, list):
        return [url for value in node for url in urls_in(value)]
    return []


# --- The document -------------------------------------------------------------------------


def test_the_document_is_valid_openapi_31(document):
    meta = json.loads(OAS_SCHEMA.read_text())
    Draft202012Validator(meta).validate(document)
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object", name


def test_every_reference_in_the_document_resolves(document):
    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = list(refs(document))
    assert len(found) > 30
    registry = Registry().with_resource("urn:api", Resource(contents=document, specification=DRAFT202012))
    resolver = registry.resolver(base_uri="urn:api")
    for ref in found:
        assert resolver.lookup(ref).contents, ref


def test_every_api_route_is_documented_and_nothing_else(document):
    values = {"date": SAMPLE_DATE, "number": "1", "page": "1", "position": "2", "month": "2022-03"}
    documented = {resolve(template.format(**values)).url_name for template in document["paths"]}
    routed = {p.name for p in urls.urlpatterns if p.name and p.name.startswith("api-")}
    assert documented == routed and None not in documented


def test_the_document_is_served_with_this_sites_server(api_client, document, settings):
    served = api_client.get("/api/openapi.json").json()
    assert served == document and served["servers"] == [{"url": settings.SITE_URL}]


# --- Every documented answer, each validated ----------------------------------------------

EXAMPLES = [
    ("get", "/api/", 200),
    ("get", "/api/?variant=hant", 200),
    ("get", "/api/?variant=big5", 400),
    ("get", "/api/openapi.json", 200),
    ("get", "/api/openapi.json?variant=%00", 400),
    ("get", "/api/issues/", 200),
    ("get", "/api/issues/?variant=", 400),
    ("get", "/api/months/2022-03/", 200),
    ("get", "/api/months/2022-04/", 404),
    ("get", "/api/months/0000-01/", 404),
    ("get", "/api/months/2022-03/?variant=x", 400),
    ("get", f"/api/issues/{SAMPLE_DATE}/", 200),
    ("get", "/api/issues/2022-03-26/", 404),
    ("get", f"/api/issues/{SAMPLE_DATE}/?variant=0", 400),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/", 200),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/9/", 404),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/?variant=HANT", 400),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/1/", 200),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/4/", 200),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/99/", 404),
    ("get", f"/api/issues/{SAMPLE_DATE}/pages/1/1/?variant=1", 400),
    ("get", "/api/search/?q=职工", 200),
    ("get", "/api/search/?q=职工&p=abc", 400),
    ("get", "/api/nothing/", 404),
    ("post", "/api/nothing/", 404),
    ("get", "/api/issues/2022-02-30/", 404),
    ("get", "/api/issues/2022-03-25%00/", 404),
    ("get", "/api/months/2022-13/", 404),
    ("get", "/api/months/2022-3/", 404),
    ("head", f"/api/issues/{SAMPLE_DATE}/", 200),
    ("options", "/api/search/", 204),
    ("post", "/api/search/?q=职工", 405),
    ("put", f"/api/issues/{SAMPLE_DATE}/", 405),
    ("delete", f"/api/issues/{SAMPLE_DATE}/pages/1/1/", 405),
    ("patch", "/api/", 405),
]


@pytest.mark.parametrize(("method", "url", "status"), EXAMPLES)
def test_each_answer_is_as_documented(api_client, sample_issue, method, url, status):
    assert api_client.request(method, url).status_code == status


def test_the_examples_cover_every_documented_answer(document):
    covered = {(find_operation(document, url.split("?")[0]), method, status) for method, url, status in EXAMPLES}
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status in operation["responses"]:
                if status in {"500", "503"}:
                    continue  # test_failures_are_json_too
                assert (template, method, int(status)) in covered or (
                    method == "options" and ("/api/search/", "options", 204) in covered
                ), (template, method, status)


# --- One shape per object ------------------------------------------------------------------


def test_each_object_has_one_shape_in_every_endpoint(api_client, sample_issue):
    index = api_client.get("/api/").json()
    month = api_client.get("/api/months/2022-03/").json()
    issue = api_client.get(f"/api/issues/{SAMPLE_DATE}/").json()
    page = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/").json()
    item = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/1/").json()
    found = api_client.get("/api/search/", {"q": "陕西工会经验"}).json()

    same_issue = [index["latest_issue"], month["issues"][0], issue["issue"], page["issue"], item["issue"]]
    assert all(i == same_issue[0] for i in same_issue) and same_issue[0]["number"] == 21054
    assert issue["contents"][0]["page"] == page["page"] == item["page"]
    summaries = [issue["contents"][0]["items"][0], page["items"][0], found["results"][0]["item"]]
    assert all(s == summaries[0] for s in summaries)
    assert {key: item[key] for key in summaries[0]} == summaries[0]
    assert page["items"][0]["byline"] == "本报讯(记者毛浓曦)" and item["credits"][0]["person"]["name"] == "毛浓曦"
    assert item["continued_to_page"] == 3 and item["paragraphs"][0]["kind"] == "text"
    assert issue["missing_pages"] == [2, 3, 4, 5, 6, 7, 8] and len(issue["contents"][0]["items"]) == 8


def test_a_photo_item_and_a_persons_facet(api_client, sample_issue):
    photo = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/4/").json()
    assert photo["kind"] == "photo" and photo["photos"][0]["photographers"] == ["梁雪冰"]
    credited = photo["credits"][0]["person"]
    found = api_client.get("/api/search/", {"q": "梁雪冰"}).json()
    assert [r["item"]["url"] for r in found["results"]] == [photo["url"]]
    assert found["facets"]["people"][0]["person"] == credited
    narrowed = api_client.get(found["facets"]["people"][0]["url"]).json()
    assert narrowed["query"]["person"] == credited["id"] and narrowed["total"] == 1
    marked = api_client.get("/api/search/", {"q": "珐华"}).json()
    assert marked["total"] == 1 and "<mark>珐华</mark>" in marked["results"][0]["snippet_html"]


def test_facets_are_named_objects_whose_urls_narrow_the_search(api_client, sample_issue):
    found = api_client.get("/api/search/", {"q": "职工"}).json()
    assert found["facets"]["pages"][0]["page_number"] == 1 and found["facets"]["years"][0]["year"] == 2022
    by_year = api_client.get(found["facets"]["years"][0]["url"]).json()
    assert by_year["query"]["from"] == "2022-01-01" and by_year["query"]["to"] == "2022-12-31"
    assert by_year["total"] == found["total"] == found["facets"]["years"][0]["count"]


def test_search_pages_link_each_other(api_client, sample_issue):
    first = api_client.get("/api/search/", {"q": "职工", "in": ""}).json()
    assert first["pagination"]["p"] == 1 and first["pagination"]["previous_url"] is None
    if first["pagination"]["last"] > 1:
        second = api_client.get(first["pagination"]["next_url"]).json()
        assert second["pagination"]["p"] == 2 and second["pagination"]["previous_url"]
    empty = api_client.get("/api/search/").json()
    assert empty["total"] == 0 and empty["results"] == [] and empty["pagination"]["last"] == 1


def test_an_untitled_item_is_labelled_one_way_everywhere(api_client, sample_issue):
    article = Article.objects.get(page__issue=sample_issue, position=2)
    article.kicker = article.headline = article.subheadline = ""
    article.save()
    expected = Article.objects.get(pk=article.pk).display_title
    assert expected.startswith("无标题：")
    summary = api_client.get(f"/api/issues/{SAMPLE_DATE}/").json()["contents"][0]["items"][1]
    listed = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/").json()["items"][1]
    detail = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/2/").json()
    found = api_client.get("/api/search/", {"q": "昆明市总工会"}).json()["results"]
    searched = next(r["item"] for r in found if r["item"]["position"] == 2)
    for shown in (summary, listed, detail, searched):
        assert shown["title"] == expected and shown["untitled"] is True
        assert shown["headline"] is None and shown["kicker"] is None and shown["subheadline"] is None
    titled = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/1/").json()
    assert titled["untitled"] is False and titled["title"] == titled["headline"]


def test_urls_are_absolute_on_site_url_whatever_the_host(api_client, sample_issue, settings):
    settings.SITE_URL = "https://news.example.org"
    for path in ["/api/", "/api/issues/", "/api/months/2022-03/", f"/api/issues/{SAMPLE_DATE}/"]:
        body = api_client.get(path, HTTP_HOST="localhost").json()
        found = urls_in(body)
        assert found and all(url.startswith("https://news.example.org/") for url in found), path
    item = api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/1/", HTTP_HOST="localhost").json()
    assert item["url"] == f"https://news.example.org/api/issues/{SAMPLE_DATE}/pages/1/1/"
    assert item["html_url"] == f"https://news.example.org/issues/{SAMPLE_DATE}/pages/1/1/"
    assert item["credits"][0]["person"]["html_url"].startswith("https://news.example.org/people/")


def test_the_calendar_lists_years_and_months_with_links(api_client, sample_issue, tmp_path):
    write_archive(tmp_path, 3, "--start", "2021-12-30", "--serial", "20970", "--items", "2")
    for path in sorted(tmp_path.glob("*.txt")):
        import_published(path.read_bytes(), path.name)
    years = api_client.get("/api/issues/").json()["years"]
    assert [(y["year"], y["issue_count"]) for y in years] == [(2022, 2), (2021, 2)]
    assert [(m["month"], m["issue_count"]) for m in years[0]["months"]] == [(3, 1), (1, 1)]
    january = api_client.get(years[0]["months"][1]["url"]).json()
    assert [i["date"] for i in january["issues"]] == ["2022-01-01"]
    assert january["previous_url"].endswith("/api/months/2021-12/")
    assert january["next_url"].endswith("/api/months/2022-03/")
    december = api_client.get(january["previous_url"]).json()
    assert [i["date"] for i in december["issues"]] == ["2021-12-31", "2021-12-30"]
    assert december["previous_url"] is None


# --- Errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"q": "职工", "p": "abc"}, "p"),
        ({"q": "职工", "p": "0"}, "p"),
        ({"q": "职工", "p": "-1"}, "p"),
        ({"q": "职工", "p": "99"}, "p"),
        ({"q": "职工", "p": "99999999999999999999999"}, "p"),
        ({"q": "职工", "from": "bad"}, "from"),
        ({"q": "职工", "to": "2022-02-30"}, "to"),
        ({"q": "职工", "person": "abc"}, "person"),
        ({"q": "职工", "person": "99999999999999999999999"}, "person"),
        ({"q": "职工", "page_number": "1.5"}, "page_number"),
        ({"q": "职工", "in": "body"}, "in"),
        ({"q": "职工", "order": "oldest"}, "order"),
        ({"q": "职\x00工"}, "q"),
        ({"q": "职工", "variant": "hant\x00"}, "variant"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(api_client, sample_issue, params, name):
    response = api_client.get("/api/search/", params)
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "bad_parameter" and error["parameter"] == name
    assert error["message"].startswith(f"参数 {name}：")


@pytest.mark.parametrize("value", ["\x00", "99999999999999999999999", "-1", "０１"])
def test_every_documented_parameter_refuses_nonsense_naming_itself(api_client, sample_issue, document, value):
    for template, item in document["paths"].items():
        path = template.replace("{date}", SAMPLE_DATE).replace("{month}", "2022-03")
        path = path.replace("{number}", "1").replace("{page}", "1").replace("{position}", "1")
        for parameter in item["parameters"]:
            name = resolve_ref(document, parameter)["name"]
            if resolve_ref(document, parameter)["in"] != "query" or (name == "q" and value != "\x00"):
                continue
            response = api_client.get(path, {name: value})
            assert response.status_code == 400, (path, name, value)
            assert response.json()["error"]["parameter"] == name


@pytest.mark.parametrize(
    "path",
    [
        "/api/issues/%00/",
        "/api/issues/2022-03-25/pages/1%00/",
        "/api/issues/2022-03-25/pages/99999999999999999999999/",
        "/api/issues/2022-03-25/pages/1/99999999999999999999999/",
        "/api/months/2022-03%00/",
        "/api/%00/",
    ],
)
def test_nul_bytes_and_huge_numbers_in_paths_are_json_404s(api_client, sample_issue, path):
    response = api_client.get(path)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/", "/api/issues/", "/api/months/2022-03/", f"/api/issues/{SAMPLE_DATE}/pages/1/1/", "/api/search/"]
)
def test_writes_are_405_json_with_allow_not_a_csrf_page(sample_issue, document, path, method):
    checked = ApiClient(Client(enforce_csrf_checks=True), document)
    response = checked.request(method, path)
    assert response.status_code == 405 and response["Allow"] == ALLOW
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_options_answers_with_allow(api_client, sample_issue):
    for path in ["/api/", "/api/issues/", f"/api/issues/{SAMPLE_DATE}/", "/api/openapi.json"]:
        response = api_client.request("options", path)
        assert response.status_code == 204 and response["Allow"] == ALLOW


def test_failures_are_json_too(sample_issue, document, monkeypatch):
    checked = ApiClient(Client(raise_request_exception=False), document)

    def broken(date):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "published_issue", broken)
    response = checked.get(f"/api/issues/{SAMPLE_DATE}/")
    assert response.status_code == 500 and response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()

    def unreachable(date):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(api, "published_issue", unreachable)
    response = checked.get(f"/api/issues/{SAMPLE_DATE}/")
    assert response.status_code == 503 and response["Retry-After"] and response["Cache-Control"] == "no-store"


def test_unexpected_errors_still_reach_djangos_reporting(client, sample_issue, monkeypatch):
    monkeypatch.setattr(api, "published_issue", lambda date: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.get(f"/api/issues/{SAMPLE_DATE}/")


# --- Reading variant -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/issues/",
        "/api/months/2022-03/",
        f"/api/issues/{SAMPLE_DATE}/",
        f"/api/issues/{SAMPLE_DATE}/pages/1/",
        f"/api/issues/{SAMPLE_DATE}/pages/1/1/",
        f"/api/issues/{SAMPLE_DATE}/pages/1/4/",
        "/api/issues/2022-03-26/",
    ],
)
def test_variant_hant_converts_every_text_and_nothing_else(api_client, sample_issue, path):
    hans = api_client.get(path)
    hant = api_client.get(path, {"variant": "hant"})
    assert hans.status_code == hant.status_code
    assert hans["Content-Language"] == "zh-Hans" and hant["Content-Language"] == "zh-Hant"
    converted = strings(hans.json(), to_traditional)
    assert hant.json() == converted
    assert converted != hans.json() or path == "/api/issues/"  # the calendar has no text


def test_variant_hant_in_search_converts_results_and_keeps_it_in_links(api_client, sample_issue):
    found = api_client.get("/api/search/", {"q": "职工", "variant": "hant"}).json()
    assert "職工" in found["results"][0]["snippet_html"] and found["query"]["q"] == "職工"
    assert "variant=hant" in found["facets"]["pages"][0]["url"]
    assert "工人日報" in api_client.get("/api/", {"variant": "hant"}).json()["latest_issue"]["publication"]


# --- Visibility and roles ------------------------------------------------------------------


def _signed_in(role: str | None) -> Client:
    client = Client()
    if role == "superuser":
        client.force_login(User.objects.create_superuser("root", password="pw-root"))  # noqa: S106
    elif role:
        client.force_login(make_user(role.split()[0].lower(), role))
    return client


@pytest.mark.parametrize("role", [None, "Editors", "Chief editors", "superuser"])
def test_every_role_sees_only_visible_issues(sample_issue, document, role):
    checked = ApiClient(_signed_in(role), document)
    article = f"/api/issues/{SAMPLE_DATE}/pages/1/1/"
    assert checked.get(article).json() == Client().get(article).json()
    for hide in (retract, lambda issue: publish(issue, at=timezone.now() + dt.timedelta(hours=1))):
        hide(sample_issue)
        for path in [
            f"/api/issues/{SAMPLE_DATE}/",
            f"/api/issues/{SAMPLE_DATE}/pages/1/",
            article,
            "/api/months/2022-03/",
        ]:
            assert checked.get(path).status_code == 404, path
        assert checked.get("/api/").json()["latest_issue"] is None
        assert checked.get("/api/issues/").json()["years"] == []
        found = checked.get("/api/search/", {"q": "职工"}).json()
        assert found["total"] == 0 and found["facets"]["people"] == []


# --- Hostile text --------------------------------------------------------------------------


def test_hostile_text_is_escaped_and_round_trips(api_client, sample_issue):
    article = Article.objects.get(page__issue=sample_issue, position=2)
    hostile = '</script><script>alert("x")</script>&amp;\u2028\u2029'
    article.headline = hostile
    article.body = [{"kind": "text", "text": "<img src=x onerror=alert(1)> 昆明"}]
    article.save()
    for path in [f"/api/issues/{SAMPLE_DATE}/pages/1/2/", f"/api/issues/{SAMPLE_DATE}/pages/1/", "/api/search/?q=昆明"]:
        raw = api_client.get(path).content.decode()
        assert not set("<>&\u2028\u2029") & set(raw), path
    assert api_client.get(f"/api/issues/{SAMPLE_DATE}/pages/1/2/").json()["headline"] == hostile


# --- Cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/api/", 1),
        ("/api/issues/", 1),
        ("/api/months/2022-03/", 3),
        (f"/api/issues/{SAMPLE_DATE}/", 3),
        (f"/api/issues/{SAMPLE_DATE}/pages/1/", 3),
        (f"/api/issues/{SAMPLE_DATE}/pages/1/1/", 5),
        ("/api/search/?q=职工", 10),  # on PostgreSQL it also pins its plan's planner settings
    ],
)
def test_query_counts_do_not_grow_with_the_archive(client, sample_issue, tmp_path, path, most):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    small = count()
    write_archive(tmp_path, 4, "--start", "2022-03-01", "--serial", "21030", "--items", "8")
    for raw in sorted(tmp_path.glob("*.txt")):
        import_published(raw.read_bytes(), raw.name)
    assert Person.objects.count() > 10
    assert count() == small <= most
