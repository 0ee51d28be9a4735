"""The API's description, OpenAPI 3.1, served at /api/openapi.json.

Written by hand beside the code it describes (reader/api.py, reader/api_shapes.py): each
shape once under ``components.schemas``, closed (``additionalProperties: false``), so an
answer with a field the document does not name fails tests/reader/test_api.py, which
validates every answer it gets against this document.
"""

from __future__ import annotations

import copy

from django.conf import settings

JSON = "application/json"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    widened = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        widened["enum"] = [*schema["enum"], None]
    return widened


def closed(properties: dict, description: str = "") -> dict:
    """An object with exactly these properties, every one present (``null`` when absent)."""
    schema = {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
    return {"description": description, **schema} if description else schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


URL = {"type": "string", "format": "uri", "pattern": "^https?://[^/]+/"}
DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
TEXT = {"type": "string", "minLength": 1}
COUNT = {"type": "integer", "minimum": 0}
POSITIVE = {"type": "integer", "minimum": 1}
MONTH = {"type": "integer", "minimum": 1, "maximum": 12}

ITEM_SUMMARY = {
    "date": {**DATE, "description": "所在期的出版日期"},
    "page_number": POSITIVE,
    "position": {**POSITIVE, "description": "在版面上的顺序"},
    "kind": {"type": "string", "enum": ["article", "photo"], "description": "article 文章，photo 图片"},
    "title": {
        **TEXT,
        "description": "显示用标题：主题，或引题、副题；无标题稿件为“无标题：”加正文开头，且 untitled 为 true",
    },
    "untitled": {"type": "boolean", "description": "印刷时没有引题、主题和副题"},
    "kicker": nullable({**TEXT, "description": "引题"}),
    "headline": nullable({**TEXT, "description": "主题"}),
    "subheadline": nullable({**TEXT, "description": "副题"}),
    "byline": nullable({**TEXT, "description": "署名，照印刷原样，如 本报讯(记者毛浓曦)"}),
    "url": URL,
    "html_url": URL,
}

SCHEMAS = {
    "Error": closed(
        {
            "error": closed(
                {
                    "status": {"type": "integer", "enum": [400, 404, 405, 500, 503]},
                    "code": {
                        "type": "string",
                        "enum": ["bad_parameter", "not_found", "method_not_allowed", "server_error", "unavailable"],
                    },
                    "parameter": nullable({**TEXT, "description": "出错的参数名（仅 bad_parameter）"}),
                    "message": {**TEXT, "description": "一句中文说明"},
                }
            )
        },
        "每个错误（任何状态码）都是这一形状",
    ),
    "Issue": closed(
        {
            "publication": {**TEXT, "description": "报名"},
            "date": {**DATE, "description": "出版日期"},
            "number": nullable({**POSITIVE, "description": "期号"}),
            "weekday": {"type": "integer", "minimum": 1, "maximum": 7, "description": "星期，周一为 1"},
            "lunar_date": nullable({**TEXT, "description": "农历"}),
            "page_count": nullable({**POSITIVE, "description": "报头所说的版数"}),
            "url": URL,
            "html_url": URL,
        },
        "一期报纸",
    ),
    "Page": closed(
        {
            "number": {**POSITIVE, "description": "版次"},
            "name": nullable({**TEXT, "description": "版名"}),
            "image": nullable({**URL, "description": "版面图或 PDF"}),
            "url": URL,
            "html_url": URL,
        },
        "一个版面",
    ),
    "ItemSummary": closed(ITEM_SUMMARY, "列表中的一篇稿件"),
    "Item": closed(
        {
            **ITEM_SUMMARY,
            "issue": ref("Issue"),
            "page": ref("Page"),
            "source": nullable({**TEXT, "description": "来源，如 本报"}),
            "dateline": nullable(closed({"place": TEXT, "date": nullable(TEXT)})),
            "paragraphs": array(closed({"kind": {"type": "string", "enum": ["text", "subhead"]}, "text": TEXT})),
            "photos": array(ref("Photo")),
            "credits": array(ref("Credit")),
            "continued_to_page": nullable({**POSITIVE, "description": "下转版次"}),
            "continued_from_page": nullable({**POSITIVE, "description": "上接版次"}),
            "continues": nullable(ref("ItemSummary")),
            "continued_in": array(ref("ItemSummary")),
            "keywords": array(TEXT),
            "correction": nullable(closed({"text": TEXT, "date": nullable(DATE)}, "更正")),
        },
        "一篇稿件的全部内容：列表字段之外，加上所在期和版面、正文、图片和署名",
    ),
    "Photo": closed(
        {
            "caption": nullable(TEXT),
            "credit": nullable(TEXT),
            "photographers": array(TEXT),
            "image": nullable(URL),
            "width": nullable(POSITIVE),
            "height": nullable(POSITIVE),
        },
        "一幅图片",
    ),
    "Person": closed({"id": POSITIVE, "name": TEXT, "html_url": URL}, "署名人"),
    "Credit": closed(
        {
            "role": {"type": "string", "enum": ["reporter", "correspondent", "intern", "photographer", "commentator"]},
            "role_label": TEXT,
            "person": ref("Person"),
        },
        "一条署名",
    ),
    "OpenApiDocument": {
        "type": "object",
        "required": ["openapi", "info", "paths", "components", "servers"],
        "description": "本文档",
    },
    "Index": closed(
        {
            "issues_url": URL,
            "search_url": URL,
            "openapi_url": URL,
            "latest_issue": nullable(ref("Issue")),
        }
    ),
    "Calendar": closed(
        {
            "years": array(
                closed(
                    {
                        "year": POSITIVE,
                        "issue_count": POSITIVE,
                        "months": array(closed({"month": MONTH, "issue_count": POSITIVE, "url": URL})),
                    }
                )
            )
        },
        "有报纸的年份和月份，新的在前；url 是那个月的各期",
    ),
    "Month": closed(
        {
            "year": POSITIVE,
            "month": MONTH,
            "issues": array(ref("Issue")),
            "previous_url": nullable({**URL, "description": "此前最近一个有报纸的月份"}),
            "next_url": nullable({**URL, "description": "此后最近一个有报纸的月份"}),
        },
        "一个月的各期，新的在前",
    ),
    "IssueContents": closed(
        {
            "issue": ref("Issue"),
            "missing_pages": array(POSITIVE),
            "contents": array(closed({"page": ref("Page"), "items": array(ref("ItemSummary"))})),
        }
    ),
    "PageContents": closed(
        {
            "issue": ref("Issue"),
            "page": ref("Page"),
            "previous_page": nullable(ref("Page")),
            "next_page": nullable(ref("Page")),
            "items": array(ref("ItemSummary")),
        }
    ),
    "SearchResults": closed(
        {
            "query": closed(
                {
                    "q": {"type": "string"},
                    "in": nullable({"type": "string", "enum": ["title"]}),
                    "from": nullable(DATE),
                    "to": nullable(DATE),
                    "page_number": nullable(POSITIVE),
                    "person": nullable(POSITIVE),
                    "order": {"type": "string", "enum": ["newest", "relevance"]},
                },
                "实际执行的检索（q 截至 200 字）",
            ),
            "total": {**COUNT, "description": "命中数，至多 1000"},
            "capped": {"type": "boolean", "description": "命中超过 1000 条，只取最新的 1000 条"},
            "pagination": closed(
                {
                    "p": POSITIVE,
                    "per_page": POSITIVE,
                    "last": POSITIVE,
                    "previous_url": nullable(URL),
                    "next_url": nullable(URL),
                }
            ),
            "results": array(
                closed(
                    {
                        "item": ref("ItemSummary"),
                        "snippet_html": {
                            "type": "string",
                            "description": "摘要，HTML：文字已转义，命中词在 <mark> 中",
                        },
                    }
                )
            ),
            "facets": closed(
                {
                    "pages": array(closed({"page_number": POSITIVE, "count": POSITIVE, "url": URL})),
                    "years": array(closed({"year": POSITIVE, "count": POSITIVE, "url": URL})),
                    "people": array(closed({"person": ref("Person"), "count": POSITIVE, "url": URL})),
                },
                "在命中范围内按版次、年份、署名人计数；url 是加上该条件的检索",
            ),
        }
    ),
}


def query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def in_path(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


PARAMETERS = {
    "variant": query(
        "variant",
        "hant 以繁体字返回所有文字，hans（默认）为简体。API 不读 Cookie；对象的 url 不带此参数，检索的翻页和分面链接保留全部参数",
        {"type": "string", "enum": ["hans", "hant"]},
    ),
    "date": in_path("date", "出版日期 YYYY-MM-DD", DATE),
    "number": in_path("number", "版次，无前导零", {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}),
    "page": in_path("page", "版次，无前导零", {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}),
    "position": in_path(
        "position", "稿件在版面上的顺序，无前导零", {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}
    ),
    "month": in_path("month", "年月 YYYY-MM", {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}),
}

SEARCH_PARAMETERS = [
    query("q", "检索词；引号中的短语须原样出现；繁体亦可。不可含控制字符", {"type": "string"}),
    query("in", "title：只在标题中检索", {"type": "string", "enum": ["title"]}),
    query("from", "起始日期 YYYY-MM-DD", DATE),
    query("to", "截止日期 YYYY-MM-DD", DATE),
    query("page_number", "版次", {"type": "string", "pattern": "^[0-9]{1,18}$"}),
    query("person", "署名人 id", {"type": "string", "pattern": "^[0-9]{1,18}$"}),
    query("order", "newest（默认）或 relevance", {"type": "string", "enum": ["newest", "relevance"]}),
    query("p", "结果页，从 1 开始，每页 10 条", {"type": "string", "pattern": "^[0-9]{1,18}$"}),
]

HEADERS = {
    "Allow": {"description": "支持的方法", "schema": {"type": "string", "const": "GET, HEAD, OPTIONS"}},
    "Retry-After": {"description": "多少秒后再试", "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}


def error(description: str, *headers: str) -> dict:
    answer = {"description": description, "content": {JSON: {"schema": ref("Error")}}}
    if headers:
        answer["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return answer


RESPONSES = {
    "BadParameter": error("参数有误（bad_parameter，parameter 指出哪一个）"),
    "NotFound": error("没有这项内容，或它尚未发布（not_found）"),
    "MethodNotAllowed": error("只支持 GET、HEAD 和 OPTIONS（method_not_allowed）", "Allow"),
    "Unavailable": error("数据库暂时无法访问（unavailable）", "Retry-After"),
    "ServerError": error("服务器内部错误（server_error）"),
    "Options": {"description": "支持的方法", "headers": {"Allow": {"$ref": "#/components/headers/Allow"}}},
}


def operation(summary: str, schema: str, parameters: list[dict], *, found: bool = True) -> dict:
    """A path's GET (its answer ``schema``, 400, 404 unless ``found`` is certain) and OPTIONS."""
    responses = {
        "200": {"description": summary, "content": {JSON: {"schema": ref(schema)}}},
        "400": {"$ref": "#/components/responses/BadParameter"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/ServerError"},
        "503": {"$ref": "#/components/responses/Unavailable"},
    }
    if found:
        del responses["404"]
    return {
        "parameters": parameters,
        "get": {"summary": summary, "operationId": schema[0].lower() + schema[1:], "responses": responses},
        "options": {
            "summary": "支持的方法",
            "operationId": "options" + schema,
            "responses": {"204": {"$ref": "#/components/responses/Options"}},
        },
    }


def param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


VARIANT = param("variant")

PATHS = {
    "/api/": operation("入口：各列表的地址和最新一期", "Index", [VARIANT]),
    "/api/openapi.json": operation("本文档（OpenAPI 3.1）", "OpenApiDocument", [VARIANT]),
    "/api/issues/": operation("往期：有报纸的年份和月份，新的在前", "Calendar", [VARIANT]),
    "/api/months/{month}/": operation("一个月的各期，新的在前", "Month", [param("month"), VARIANT], found=False),
    "/api/issues/{date}/": operation("一期：各版面及其稿件", "IssueContents", [param("date"), VARIANT], found=False),
    "/api/issues/{date}/pages/{number}/": operation(
        "一个版面及其稿件", "PageContents", [param("date"), param("number"), VARIANT], found=False
    ),
    "/api/issues/{date}/pages/{page}/{position}/": operation(
        "一篇稿件", "Item", [param("date"), param("page"), param("position"), VARIANT], found=False
    ),
    "/api/search/": operation("全文检索", "SearchResults", [*SEARCH_PARAMETERS, VARIANT]),
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "newsroom 数字报 API",
        "version": "1",
        "description": (
            "只读 JSON API，与读者网站同一规则：只有已发布且到了发布时间的报纸可见，"
            "匿名和登录用户看到的相同。所有 URL 都是绝对地址；url 是对象的 API 地址，"
            "html_url 是读者网页。没有印刷的文字为 null。所有接口支持 GET、HEAD 和 OPTIONS"
            "（204，带 Allow）；其他方法得到 405（method_not_allowed，带 Allow）。"
            "任何错误都是 Error 形状，message 为中文。列表都有上限：年份、月份、一个月的各期，"
            "检索每页 10 条、至多 1000 条。"
        ),
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "headers": HEADERS,
    },
}


def document() -> dict:
    """The description, with this site's address as its server."""
    described = copy.deepcopy(DOCUMENT)
    described["servers"] = [{"url": settings.SITE_URL}]
    return described
