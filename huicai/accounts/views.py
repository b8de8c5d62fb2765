from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from huicai.accounts.forms import LoginForm
from huicai.accounts.middleware import SESSION_LOGIN_AT
from huicai.core import audit
from huicai.core.models import AuditEvent


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # login() rotates the session key
        now = timezone.now()
        self.request.session[SESSION_LOGIN_AT] = now.timestamp()
        audit.record(AuditEvent.Kind.LOGIN_OK, request=self.request, at=now)
        return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record(AuditEvent.Kind.LOGOUT, request=request)
    logout(request)  # flushes and deletes the session
    return redirect("accounts:login")
