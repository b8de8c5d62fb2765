from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts import actions
from huicai.accounts.forms import LoginForm, UnlockForm
from huicai.accounts.middleware import SESSION_LOGIN_AT
from huicai.accounts.roles import Role, get_scope
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


@login_required
def unlock(request):
    """A window manager lifts a login lock for a person in their jurisdiction (SECURITY.md: nobody stays
    locked out by someone else's guesses). An account the manager cannot see gets the same answer as one
    that does not exist."""
    scope = get_scope(request.user)
    if not (scope.is_superuser or Role.WINDOW_MANAGER in scope.roles):
        raise PermissionDenied
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = get_user_model().objects.filter(username__iexact=form.cleaned_data["username"]).first()
        if target is None or not actions.can_unlock(target, by=request.user):
            form.add_error("username", _("未找到您辖区内的该账号。"))
        else:
            was_locked = actions.unlock_account(target, by=request.user, at=timezone.now(), request=request)
            if was_locked:
                messages.success(request, _("已解除账号 %(name)s 的锁定。") % {"name": target.username})
            else:
                messages.info(
                    request, _("账号 %(name)s 未被锁定，已清除其登录失败记录。") % {"name": target.username}
                )
            return redirect("accounts:unlock")
    return render(request, "accounts/unlock.html", {"form": form})
