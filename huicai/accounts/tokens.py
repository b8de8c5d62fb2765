"""How programs sign in to the API (issue 12): bearer tokens, stored only as a hash, with a scope and an expiry.

- ``Authorization: Bearer <token>`` (``Token <token>`` is accepted too, DRF's word). A token is 256 random
  bits behind the ``hc_`` prefix; only its SHA-256 is stored (``ApiToken.key_hash``), so the table opens
  nothing if it leaks. It is shown once, when it is issued.
- Missing or bad credentials are a **401** with ``WWW-Authenticate: Bearer realm="api"`` (the token scheme is
  the first authenticator, so DRF answers 401 rather than 403); a revoked or expired token is a 401 too,
  with a message that says which.
- A token's ``scope`` narrows what it may reach (``TokenScope``): ``read`` only reads, ``hotline`` reaches
  only the endpoints a hotline integration uses (``SCOPE_ROUTES``). Its account's roles still decide which
  rows it sees, as for a person. A refused scope is a 403 that names the scope.
- Browsers keep using the session; a session-authenticated unsafe request without the CSRF token is a 403
  whose message says so in Chinese (``SessionAuthentication``).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from huicai.accounts.models import ApiToken, TokenScope
from huicai.core import audit
from huicai.core.models import AuditEvent

PREFIX = "hc_"
# last_used_at is refreshed at most this often, so reading with a token costs no write on every request.
TOUCH_EVERY = timedelta(minutes=5)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The API routes (router basenames) each narrow scope reaches. The hotline integration (12345 and the
# provincial hotline) follows its orders (applications and tasks) and their ratings and rectifications;
# nothing else. The token endpoints themselves are open to every scope (a token may always end itself).
SCOPE_ROUTES = {
    TokenScope.HOTLINE: frozenset({"application", "task", "rating", "rectification"}),
}


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def scope_allows(scope: str, *, method: str, view) -> bool:
    """Whether a token of ``scope`` may make this request to ``view``. The schema and its docs, and the
    token endpoints, are open to every scope."""
    if getattr(view, "open_to_every_token_scope", False) or scope == TokenScope.FULL:
        return True
    if type(view).__module__.startswith("drf_spectacular."):
        return True
    if scope == TokenScope.READ:
        return method in SAFE_METHODS
    routes = SCOPE_ROUTES.get(scope)
    return routes is not None and getattr(view, "basename", None) in routes


class TokenScopeRefused(exceptions.PermissionDenied):
    default_code = "token_scope"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """DRF authentication by an ``ApiToken`` (hashed, expiring, scoped). ``request.auth`` is the token."""

    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("令牌格式错误：请求头应为 Authorization: Bearer <令牌>。")
            )
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。")) from error
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用。"))
        if token.user.is_superuser:
            # The superuser is for installation (三员分立): as on the web (SuperuserMiddleware, which a
            # token request does not pass as a signed-in user), refused when its web use is off, audited else.
            if not settings.HUICAI_SUPERUSER_WEB_LOGIN:
                raise exceptions.AuthenticationFailed(_("超级用户仅用于安装，生产环境不能使用接口。"))
            audit.record(
                AuditEvent.Kind.SUPERUSER_REQUEST,
                request=request,
                actor=token.user,
                at=now,
                detail=f"{request.method} {request.path}"[:200],
            )
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if not scope_allows(token.scope, method=request.method, view=view):
            raise TokenScopeRefused(
                _("该令牌的范围为“%(scope)s”，不能使用此接口。") % {"scope": token.get_scope_display()}
            )
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CsrfFailed(exceptions.PermissionDenied):
    """A browser session's unsafe request without the CSRF token: 403 with a message that says so."""


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (the browser's pages and /api/docs/), with a Chinese CSRF refusal."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as error:
            raise CsrfFailed(
                _(
                    "CSRF 校验失败：以浏览器会话调用接口时，POST、PUT、PATCH、DELETE 请求须在请求头 "
                    "X-CSRFToken 中带上 csrftoken Cookie 的值。程序请改用令牌（Authorization: Bearer <令牌>）。"
                )
            ) from error
