"""Absolute session lifetime: whatever the activity, a session ends 12 hours after login (SECURITY.md).

The 30-minute idle timeout is the session cookie's age, renewed on every request (settings.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from huicai.accounts import twofactor

SESSION_LOGIN_AT = "huicai_login_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SESSION_LOGIN_AT)
            now = timezone.now().timestamp()
            if started is None:
                request.session[SESSION_LOGIN_AT] = now
            elif now - started > timedelta(hours=settings.HUICAI_SESSION_ABSOLUTE_HOURS).total_seconds():
                logout(request)
        return self.get_response(request)


class SuperuserMiddleware:
    """The superuser is for installation only (三员分立, admins.py): each request it makes is audited, and
    with ``HUICAI_SUPERUSER_WEB_LOGIN`` off (production) a superuser session is ended and refused.

    After AuthenticationMiddleware. The path is recorded, never the query string (which could carry data).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_superuser:
            return self.get_response(request)
        from huicai.core import audit
        from huicai.core.models import AuditEvent

        if not settings.HUICAI_SUPERUSER_WEB_LOGIN:
            audit.record(
                AuditEvent.Kind.DENIED,
                request=request,
                result="denied",
                detail=f"superuser web login off: {request.method} {request.path}"[:200],
            )
            logout(request)
            return HttpResponseForbidden(_("超级用户仅用于安装，生产环境不能通过网页登录。"))
        audit.record(
            AuditEvent.Kind.SUPERUSER_REQUEST,
            request=request,
            detail=f"{request.method} {request.path}"[:200],
        )
        return self.get_response(request)


class SignInGateMiddleware:
    """Nothing but the second factor (or the overdue password change) for a session that still owes it.

    A page request is sent to the enrolment, the code page or the password page, with ``next``; a session
    API request gets 403 JSON (API tokens, issued to system accounts, are authenticated by the API views,
    after this middleware, and never pass here as a signed-in user). See ``twofactor`` for the states.
    """

    OPEN_PATHS = {
        twofactor.ENROL: ("accounts:second_factor_enrol", "accounts:logout"),
        twofactor.VERIFY: ("accounts:second_factor", "accounts:logout"),
        twofactor.PASSWORD: ("accounts:password_change", "accounts:logout"),
    }
    TARGETS = {
        twofactor.ENROL: "accounts:second_factor_enrol",
        twofactor.VERIFY: "accounts:second_factor",
        twofactor.PASSWORD: "accounts:password_change",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        state = twofactor.session_state(request)
        if state is None:
            # A session not made by our login view (the admin's login form, a test's force_login).
            state = twofactor.state_after_password(user, at=timezone.now())
            request.session[twofactor.GATE_KEY] = state
        if state == twofactor.OK:
            return self.get_response(request)
        open_paths = {reverse(name) for name in self.OPEN_PATHS[state]}
        if request.path in open_paths or request.path.startswith(settings.STATIC_URL or "/static/"):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "second_factor_required", "message": _("请先在网页上完成动态码验证或修改密码。")},
                status=403,
            )
        target = reverse(self.TARGETS[state])
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
