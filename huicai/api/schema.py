"""The OpenAPI schema says what every endpoint takes and answers, errors included (issue 12).

``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``) adds to every operation what the toolkit does for every app, so no
app has to repeat it:

- the error answers in the one shape of ``huicai.api.errors`` (``{"code", "message", "errors"}``): 401 and
  403 everywhere, 400 where a body or query is read, 404 where a path names a record, 409 where a step can
  meet a changed state or a stale version, 429 where a view is throttled;
- ``nullable`` on every field declared ``default=None`` (a value read through a relation that may be empty);
- the ``If-Match`` header on every step whose view reads the expected version (``expected_version``), and
  the ``Idempotency-Key`` header on every create wrapped in ``idempotent``.

The two ways to sign in are security schemes: ``tokenAuth`` (``Authorization: Bearer <token>``) and
``sessionAuth`` (the browser's session cookie, with ``X-CSRFToken`` on unsafe requests). The toolkit
names the authentication classes by their dotted path (accounts sits beside it in the layers).
"""

import inspect

from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.fields import empty

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class ErrorSerializer(serializers.Serializer):
    """Every error of the API (huicai.api.errors)."""

    code = serializers.CharField(
        help_text="稳定的错误代码：invalid、not_authenticated、authentication_failed、permission_denied、"
        "not_found、conflict、invalid_transition、throttled、token_scope、second_factor_required…"
    )
    message = serializers.CharField(help_text="给人看的中文说明")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="400 时：字段名 → 该字段的错误信息列表（non_field_errors 为整体错误）",
    )


ERRORS = {
    "400": "提交的数据或查询参数有误（errors 按字段列出原因；选项错误时列出全部合法选项）",
    "401": "未登录，或令牌无效、已撤销、已过期（响应头 WWW-Authenticate: Bearer）",
    "403": "无权执行此操作；令牌范围不允许；会话请求缺少 CSRF 令牌",
    "404": "记录不存在，或不在您的权限范围内",
    "409": "记录已被他人修改（If-Match 版本过期），或当前状态不允许此步骤",
    "429": "请求过于频繁",
}


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        # ``default=None`` is how every app reads through a relation that may be empty (a task's deadline
        # before acceptance, its undertaking institution): the value can be null, so the schema says so.
        if getattr(field, "default", empty) is None:
            meta["nullable"] = True
        return meta

    def _view_method(self):
        action = getattr(self.view, "action", None) or self.method.lower()
        return getattr(self.view, action, None)

    def _reads_expected_version(self) -> bool:
        method = self._view_method()
        if method is None or self.method not in UNSAFE:
            return False
        try:
            source = inspect.getsource(inspect.unwrap(method))
        except (OSError, TypeError):
            return False
        return "expected_version" in source

    def _is_idempotent(self) -> bool:
        return getattr(self._view_method(), "idempotent", False)

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._reads_expected_version():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="可选：您读到的记录版本（详情里的 version，可带引号）。"
                    "与当前版本不一致时答复 409 conflict，不做任何修改。",
                )
            )
        if self._is_idempotent():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="可选：同一幂等键与相同请求体重试时返回首次结果，不重复创建（保留 24 小时，"
                    "最长 255 字符）；同一键用于不同请求体答复 400。",
                )
            )
        return parameters

    def _error_statuses(self):
        statuses = ["401", "403"]
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if self.method in UNSAFE or has_query:
            statuses.append("400")
        if "{" in self.path:
            statuses.append("404")
        if self.method in UNSAFE and ("{" in self.path or self._is_idempotent()):
            statuses.append("409")
        if getattr(self.view, "throttle_classes", None):
            statuses.append("429")
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[status]), status, direction=direction
                )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "huicai.accounts.tokens.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "POST /api/v1/tokens/sign-in/ 换取令牌，然后每个请求带 Authorization: Bearer <令牌>。",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "huicai.accounts.tokens.SessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "网页登录后的浏览器会话；POST 等请求须在请求头 X-CSRFToken 中带上 csrftoken Cookie 的值。",
        }
