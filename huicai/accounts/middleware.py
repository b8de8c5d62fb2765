"""Absolute session lifetime: whatever the activity, a session ends 12 hours after login (SECURITY.md).

The 30-minute idle timeout is the session cookie's age, renewed on every request (settings.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

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
