"""Absolute session lifetime: whatever the activity, a session ends 12 hours after login (SECURITY.md).

The 30-minute idle timeout is the session cookie's age, renewed on every request (settings.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext as _

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
