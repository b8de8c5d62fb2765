"""API errors as JSON with a stable code and a Chinese message: {"code": …, "message": …, "errors": …}.

The one place where the transitions kernel's refusals become HTTP (huicai.core.transitions), for every app:

- ``StaleVersion`` (a stale ``If-Match``/``version``) → 409 ``conflict``;
- ``Conflict`` (the record's state no longer allows the step) → 409 ``invalid_transition`` with the reason;
- ``NotAllowed`` (seen, but not theirs to act on) → 403 ``permission_denied`` with the action's reason,
  a bare ``PermissionDenied`` → 403 ``permission_denied`` with the generic message;
- any other ``ValidationError`` (``ActionRefused`` and the validators) → 400 ``invalid`` with ``errors``;
- ``Http404`` → 404 ``not_found``: what a user may not see, they are not told exists;
- no or bad credentials → 401 ``not_authenticated`` / ``authentication_failed`` with ``WWW-Authenticate``
  (the bearer token is the first authenticator, huicai.accounts.tokens); a refusal with its own reason (a
  revoked or expired token, a missing CSRF token, a token's scope) keeps that reason as the message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from huicai.core import transitions

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


class InvalidTransitionError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"
    default_detail = "当前状态不允许此操作。"


class NotAllowedError(exceptions.PermissionDenied):
    """403 with the action's own reason (e.g. "another department's item"), not the generic message."""


def _as_api_exception(exc):
    """The DRF exception for a Django or kernel one; anything else unchanged."""
    if isinstance(exc, transitions.StaleVersion):
        return Conflict()
    if isinstance(exc, transitions.Conflict):
        return InvalidTransitionError(exc.messages[0])
    if isinstance(exc, ValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, transitions.NotAllowed) and str(exc):
        return NotAllowedError(str(exc))
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _says_why(exc) -> bool:
    """A refusal raised with its own reason (an action's NotAllowed, a CSRF or token-scope refusal, a revoked
    or expired token) keeps that reason; a bare one gets the generic message of its code."""
    if isinstance(exc, NotAllowedError):
        return True
    if isinstance(exc, (exceptions.PermissionDenied, exceptions.AuthenticationFailed)):
        return str(exc.detail) != str(exc.default_detail)
    return False


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
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
    message = str(exc.detail) if _says_why(exc) else MESSAGES.get(code)
    if message is None:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail) if detail else MESSAGES["invalid"]
    body = {"code": code, "message": message}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = response.data
    response.data = body
    return response
