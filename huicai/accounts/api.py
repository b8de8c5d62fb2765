"""Signing in to the API and managing tokens (issue 12; the mechanics are in huicai.accounts.tokens).

- ``POST /api/v1/tokens/sign-in/`` with ``username``, ``password`` and, for an account that has a second
  factor, ``otp`` (the authenticator's current code or a recovery code): a token for that person, as strong
  as their roles, valid ``HUICAI_API_TOKEN_HOURS``. The same lockout and per-IP throttle as the login form
  count the failures (the same backend runs). An account that must have a second factor but has none, or
  whose staff password has expired, is refused (403) until it has done that on the web.
- ``POST /api/v1/tokens/sign-out/``: the token of the request ends.
- ``GET /api/v1/tokens/``: one's own tokens (never the tokens themselves: only their first characters);
  the security administrator sees every account's.
- ``POST /api/v1/tokens/`` (security administrator): a token for a system account, with a scope and an
  expiry; ``POST /api/v1/tokens/{id}/revoke/``: the holder or the security administrator ends a token.

This module builds on DRF only: the API toolkit (huicai.api) sits beside accounts in the layers.
"""

import datetime

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.accounts import actions, twofactor
from huicai.accounts.models import ApiToken, TokenScope
from huicai.core import audit
from huicai.core.models import AuditEvent

WRONG_CREDENTIALS = _("用户名或密码错误。连续多次错误后账号将被暂时锁定。")


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="已绑定动态码的账号必填：验证器当前的 6 位动态码，或一个一次性恢复码。",
    )
    name = serializers.CharField(
        max_length=100, required=False, default="API", help_text="令牌用途，便于日后识别和撤销"
    )


class TokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    scope_display = serializers.CharField(source="get_scope_display")
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
    live = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "username",
            "name",
            "prefix",
            "scope",
            "scope_display",
            "created_at",
            "created_by",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "live",
        ]

    def get_live(self, token) -> bool:
        return token.is_live(timezone.now())


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.SerializerMethodField(help_text="令牌本身，只在签发时显示这一次；服务器只保存其哈希")

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]

    def get_token(self, token) -> str:
        return self.context["key"]


class IssueSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="系统账号（无登录密码的程序账号）的用户名")
    name = serializers.CharField(max_length=100, help_text="用途，例如“12345 热线对接”")
    scope = serializers.ChoiceField(choices=TokenScope.choices)
    expires_at = serializers.DateTimeField(help_text="到期时间（必填，最长一年）")


class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """API tokens: sign in for one, list and revoke one's own; the security administrator issues tokens to
    system accounts and revokes anyone's."""

    serializer_class = TokenSerializer
    # A token of any scope may sign itself out and list its holder's tokens (huicai.accounts.tokens).
    open_to_every_token_scope = True

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user).select_related("user", "created_by")

    def _signing_in(self) -> bool:
        # The sign-in route, whatever the method (a GET there is a 405, not a 401).
        return getattr(self, "action_map", {}).get("post") == "sign_in"

    def get_permissions(self):
        if self._signing_in():
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_authenticators(self):
        # Signing in takes a password, never a token or a session (so no CSRF token either, and a stale
        # token in the header does not stand in the way of getting a new one).
        if self._signing_in():
            return []
        return super().get_authenticators()

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'

    def _issued(self, token, key):
        return Response(
            IssuedTokenSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="登录获取令牌",
        description=(
            "用户名、密码（已绑定动态码的账号另加 otp）换取令牌，之后每个请求带请求头 "
            "`Authorization: Bearer <令牌>`。失败次数与网页登录一同计入账号锁定和按 IP 的限流。"
        ),
        request=SignInSerializer,
        responses={
            201: IssuedTokenSerializer,
            401: OpenApiResponse(description="用户名、密码或动态码错误（账号锁定期间同样如此答复）"),
            403: OpenApiResponse(description="该账号须先在网页上绑定动态码，或先修改已过期的密码"),
        },
        auth=[],
        examples=[
            OpenApiExample("单位专员", value={"username": "wang_fang", "password": "Huicai-Demo-2026"})
        ],
    )
    @action(detail=False, methods=["post"], url_path="sign-in", url_name="sign-in")
    def sign_in(self, request):
        data = SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        # The login form's backend: it counts the failure against the account and the IP, refuses while
        # either is locked, and answers a locked account exactly as a wrong password.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(WRONG_CREDENTIALS)
        if twofactor.has_second_factor(user):
            device = twofactor.verify_code(user, data.validated_data["otp"])
            if device is None:
                audit.record(
                    AuditEvent.Kind.SECOND_FACTOR_FAILED,
                    request=request,
                    actor=user,
                    at=now,
                    result="bad_code",
                )
                raise exceptions.AuthenticationFailed(
                    _("该账号已绑定动态码：请在 otp 中填写当前动态码或恢复码。")
                )
            audit.record(AuditEvent.Kind.SECOND_FACTOR_OK, request=request, actor=user, at=now, result="api")
        elif twofactor.second_factor_required(user):
            raise exceptions.PermissionDenied(
                _("该账号须使用动态码：请先在网页上登录并绑定动态码，再获取令牌。")
            )
        if user.is_superuser and not settings.HUICAI_SUPERUSER_WEB_LOGIN:
            raise exceptions.PermissionDenied(_("超级用户仅用于安装，生产环境不能使用接口。"))
        if twofactor.password_expired(user, at=now):
            raise exceptions.PermissionDenied(_("密码已过期：请先在网页上登录并修改密码，再获取令牌。"))
        token, key = actions.issue_token(
            user,
            name=data.validated_data["name"],
            scope=TokenScope.FULL,
            expires_at=now + datetime.timedelta(hours=settings.HUICAI_API_TOKEN_HOURS),
            by=user,
            at=now,
            request=request,
        )
        update_last_login(None, user)
        return self._issued(token, key)

    @extend_schema(
        summary="退出：撤销本次请求所用的令牌",
        request=None,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="本次请求未使用令牌")},
    )
    @action(detail=False, methods=["post"], url_path="sign-out", url_name="sign-out")
    def sign_out(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.ValidationError({"non_field_errors": [_("本次请求未使用令牌，无需退出。")]})
        token = actions.revoke_token(request.auth, by=request.user, at=timezone.now(), request=request)
        return Response(TokenSerializer(token).data)

    @extend_schema(
        summary="为系统账号签发令牌（安全管理员）",
        request=IssueSerializer,
        responses={201: IssuedTokenSerializer},
    )
    def create(self, request):
        # A narrower token cannot make itself a wider one.
        if isinstance(request.auth, ApiToken) and request.auth.scope != TokenScope.FULL:
            raise exceptions.PermissionDenied(_("受限范围的令牌不能签发新令牌。"))
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = get_user_model().objects.filter(username=data.validated_data["username"]).first()
        if target is None:
            raise exceptions.ValidationError({"username": [_("未找到该账号。")]})
        if target.pk == request.user.pk:
            # One's own token comes from signing in (password, second factor), never from another token.
            raise exceptions.ValidationError({"username": [_("自己的令牌请通过登录（sign-in）获取。")]})
        token, key = actions.issue_token(
            target,
            name=data.validated_data["name"],
            scope=data.validated_data["scope"],
            expires_at=data.validated_data["expires_at"],
            by=request.user,
            at=timezone.now(),
            request=request,
        )
        return self._issued(token, key)

    @extend_schema(summary="撤销令牌", request=None, responses={200: TokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = self.get_object()
        token = actions.revoke_token(token, by=request.user, at=timezone.now(), request=request)
        return Response(TokenSerializer(token).data)


def register(router):
    router.register("tokens", TokenViewSet, basename="token")
