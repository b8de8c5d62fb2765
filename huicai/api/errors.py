"""API errors as JSON with a stable code and a Chinese message: {"code": …, "message": …, "errors": …}."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "not_found": "未找到，或您无权查看。",
    "permission_denied": "您没有执行此操作的权限。",
    "not_authenticated": "请先登录。",
    "authentication_failed": "身份认证失败。",
    "invalid": "提交的数据有误，请按提示修改。",
    "method_not_allowed": "不支持该请求方法。",
    "throttled": "请求过于频繁，请稍后再试。",
    "parse_error": "请求内容无法解析。",
    "conflict": "该记录已被他人修改，请刷新后重试。",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = MESSAGES["conflict"]


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    message = MESSAGES.get(code)
    if message is None:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail) if detail else MESSAGES["invalid"]
    body = {"code": code, "message": message}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = response.data
    response.data = body
    return response
