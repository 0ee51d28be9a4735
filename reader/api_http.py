"""How the JSON API answers: methods, reading variant, JSON encoding and errors.

``api_view`` wraps a view that returns the body as a dict: GET and HEAD only (OPTIONS
answers 204 with ``Allow``, any other method 405 with ``Allow``, never a CSRF page),
``variant=hant`` in Traditional characters (the project's one conversion,
``reader.cache.to_traditional``), and every failure, whatever its status, the one error
shape ``{"error": {"status", "code", "parameter", "message"}}`` with a Chinese message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from newsroom.middleware import RETRY_AFTER
from reader.cache import to_traditional
from reader.views.articles import SearchParameterError

logger = logging.getLogger(__name__)

ALLOW = "GET, HEAD, OPTIONS"
VARIANTS = ("hans", "hant")


class Problem(StrEnum):
    """What went wrong, as the error's ``code``; ``status`` and ``label`` (the default message)."""

    BAD_PARAMETER = "bad_parameter"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNAVAILABLE = "unavailable"
    SERVER_ERROR = "server_error"

    @property
    def status(self) -> int:
        return _PROBLEMS[self][0]

    @property
    def label(self) -> str:
        return _PROBLEMS[self][1]


_PROBLEMS = {
    Problem.BAD_PARAMETER: (400, "参数有误"),
    Problem.NOT_FOUND: (404, "没有这项内容，或它尚未发布"),
    Problem.METHOD_NOT_ALLOWED: (405, "只支持 GET、HEAD 和 OPTIONS 请求"),
    Problem.UNAVAILABLE: (503, "数据库暂时无法访问，请稍后再试"),
    Problem.SERVER_ERROR: (500, "服务器内部错误"),
}


class ApiError(Exception):
    def __init__(self, problem: Problem, message: str = "", parameter: str | None = None) -> None:
        super().__init__(message or problem.label)
        self.problem = problem
        self.message = message or problem.label
        self.parameter = parameter

    @classmethod
    def bad_parameter(cls, name: str, reason: str) -> ApiError:
        return cls(Problem.BAD_PARAMETER, f"参数 {name}：{reason}", parameter=name)


class _MarkupSafeEncoder(DjangoJSONEncoder):
    """JSON whose text never contains < > & or JavaScript's line terminators: safe even if
    pasted into an HTML page or a script."""

    def encode(self, o) -> str:
        return super().encode(o).translate(_MARKUP_ESCAPES)


_MARKUP_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _json(data: dict, variant: str = "hans", status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, encoder=_MarkupSafeEncoder, json_dumps_params={"ensure_ascii": False})
    if variant == "hant":
        response.content = to_traditional(response.content.decode()).encode()
    response["Content-Language"] = "zh-Hant" if variant == "hant" else "zh-Hans"
    return response


def error_response(exc: ApiError, variant: str = "hans") -> JsonResponse:
    body = {
        "status": exc.problem.status,
        "code": exc.problem.value,
        "parameter": exc.parameter,
        "message": exc.message,
    }
    response = _json({"error": body}, variant, status=exc.problem.status)
    if exc.problem is Problem.METHOD_NOT_ALLOWED:
        response["Allow"] = ALLOW
    if exc.problem is Problem.UNAVAILABLE:
        response["Retry-After"] = str(RETRY_AFTER)
    if exc.problem.status >= 500:
        response["Cache-Control"] = "no-store"
    return response


def reading_variant(params: QueryDict) -> str:
    """The ``variant`` asked for (the API reads no cookie: one URL, one answer)."""
    value = params.get("variant", "hans")
    if value not in VARIANTS:
        raise ApiError.bad_parameter("variant", "取值应为 hans 或 hant")
    return value


def api_view(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
    """A read-only JSON view: ``view`` returns the body; every failure is the error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            return response
        if request.method not in {"GET", "HEAD"}:
            return error_response(ApiError(Problem.METHOD_NOT_ALLOWED))
        try:
            variant = reading_variant(request.GET)
            return _json(view(request, *args, **kwargs), variant)
        except Exception as exc:  # noqa: BLE001 - each kind becomes its error answer
            return error_response(_as_api_error(request, exc), error_variant(request))

    return csrf_exempt(wrapper)


def error_variant(request: HttpRequest) -> str:
    """The variant of an error message: even a request with a bad ``variant`` gets one."""
    return "hant" if request.GET.get("variant") == "hant" else "hans"


def _as_api_error(request: HttpRequest, exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, SearchParameterError):
        return ApiError(Problem.BAD_PARAMETER, str(exc), exc.parameter)
    if isinstance(exc, Http404):
        return ApiError(Problem.NOT_FOUND)
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("database unavailable for %s: %s", request.path, exc)
        return ApiError(Problem.UNAVAILABLE)
    # Anything else is a bug: reported as Django reports an unhandled exception (logging,
    # error mails; the test client re-raises it), answered in the API's own shape.
    logger.error("API error at %s", request.path, exc_info=exc)
    signals.got_request_exception.send(sender=None, request=request)
    return ApiError(Problem.SERVER_ERROR)
