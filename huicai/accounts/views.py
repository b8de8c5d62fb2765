import csv
import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from huicai.accounts import actions, twofactor
from huicai.accounts.admins import AdminRole
from huicai.accounts.forms import (
    AuditExportForm,
    CodeForm,
    EnrolForm,
    LoginForm,
    PasswordResetRequestForm,
    UnlockForm,
)
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
        user = self.request.user
        state = twofactor.state_after_password(user, at=now)
        self.request.session[twofactor.GATE_KEY] = state
        if state == twofactor.VERIFY:
            # "Remember this device today": the password was right, the code is skipped until evening.
            device = twofactor.remembered_device(self.request, user, at=now)
            if device is not None:
                twofactor.mark_verified(self.request, device, at=now)
                audit.record(
                    AuditEvent.Kind.SECOND_FACTOR_OK, request=self.request, at=now, result="remembered"
                )
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


AUDIT_COLUMNS = [
    ("at", "时间"),
    ("kind", "事件"),
    ("actor_login", "操作人账号"),
    ("actor_name", "操作人姓名"),
    ("roles", "角色"),
    ("jurisdiction", "辖区"),
    ("object_type", "对象类型"),
    ("object_id", "对象"),
    ("result", "结果"),
    ("detail", "说明"),
    ("ip", "IP"),
    ("request_id", "请求号"),
    ("row_hash", "哈希"),
]


def _audit_rows(events):
    for event in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.get_kind_display(),
            *(getattr(event, name) or "" for name, _label in AUDIT_COLUMNS[2:]),
        ]


@login_required
def audit_export(request):
    """The audit administrator's export of the audit log (三员分立), CSV or Excel, over a date range.

    Only the audit administrator: the system and security administrators do not read the log of their own
    work, and the superuser is for installation. The export is itself audited, with the range and the count.
    """
    if request.user.admin_role != AdminRole.AUDIT:
        raise PermissionDenied
    form = AuditExportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "accounts/audit_export.html", {"form": form})
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    tz = timezone.get_current_timezone()
    events = AuditEvent.objects.filter(
        at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=tz),
        at__lt=datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    ).order_by("id")
    fmt = form.cleaned_data["format"]
    count = events.count()
    audit.record(AuditEvent.Kind.EXPORT, request=request, detail=f"audit {fmt} {since}..{until} {count} rows")
    name = f"audit-{since:%Y%m%d}-{until:%Y%m%d}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("审计日志")
        sheet.append([label for _name, label in AUDIT_COLUMNS])
        for row in _audit_rows(events):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _name, label in AUDIT_COLUMNS])
    writer.writerows(_audit_rows(events))
    # A byte-order mark so Excel opens the Chinese headers as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@never_cache
@login_required
def second_factor(request):
    """The code after the password: the authenticator's six digits, or a single-use recovery code."""
    if twofactor.session_state(request) != twofactor.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        device = twofactor.verify_code(request.user, form.cleaned_data["code"])
        if device is None:
            audit.record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=request, at=now, result="bad_code")
            form.add_error("code", _("动态码错误或已过期，请重新输入。"))
        else:
            twofactor.mark_verified(request, device, at=now)
            recovery = device.persistent_id.startswith("otp_static")
            audit.record(
                AuditEvent.Kind.SECOND_FACTOR_OK,
                request=request,
                at=now,
                result="recovery" if recovery else "totp",
            )
            response = redirect(_next_url(request))
            totp = twofactor.confirmed_device(request.user)
            cookie = twofactor.remember_cookie(request.user, totp, at=now) if totp else None
            if form.cleaned_data["remember"] and cookie is not None:
                value, until = cookie
                response.set_cookie(
                    twofactor.REMEMBER_COOKIE,
                    value,
                    expires=until,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            if recovery:
                messages.warning(
                    request, _("您使用了一个恢复码，它已失效。如手机丢失，请联系窗口负责人重置动态码。")
                )
            return response
    return render(request, "accounts/second_factor.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@login_required
def second_factor_enrol(request):
    """Binding an authenticator app: a QR code (and the key as text), then one code to prove it works;
    the recovery codes are shown once, on the answer to that POST, never stored in clear anywhere."""
    if twofactor.has_second_factor(request.user):
        messages.info(request, _("您已绑定动态码。如需更换，请联系窗口负责人重置。"))
        return redirect("accounts:me")
    device = twofactor.new_totp_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        if not device.verify_token("".join(form.cleaned_data["code"].split())):
            form.add_error("code", _("动态码错误，请确认手机时间准确后重新输入。"))
        else:
            codes = actions.enrol_second_factor(device, by=request.user, at=now, request=request)
            twofactor.mark_verified(request, device, at=now)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "next": request.GET.get("next", ""),
        "required": twofactor.second_factor_required(request.user),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@login_required
def me(request):
    """The user's own page: their second factor and their password."""
    user = request.user
    context = {
        "has_second_factor": twofactor.has_second_factor(user),
        "required": twofactor.second_factor_required(user),
        "password_changed_at": user.password_changed_at,
    }
    return render(request, "accounts/me.html", context)


@never_cache
@login_required
def password_change(request):
    """Change one's own password; an overdue staff password leads here before anything else."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        actions.change_password(
            request.user,
            password=form.cleaned_data["new_password1"],
            by=request.user,
            at=now,
            request=request,
        )
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)  # stay signed in here; other sessions end
        if twofactor.session_state(request) == twofactor.PASSWORD:
            request.session[twofactor.GATE_KEY] = twofactor.OK
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request, default="accounts:me"))
    expired = twofactor.session_state(request) == twofactor.PASSWORD
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": expired, "next": request.GET.get("next", "")},
    )


@never_cache
def password_reset(request):
    """Ask for a reset link. The answer is the same whether the account exists, is inactive or has no
    address: the page never tells who has an account here (SECURITY.md)."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        user = (
            get_user_model()
            .objects.filter(username__iexact=form.cleaned_data["username"], is_active=True)
            .first()
        )
        if user is not None:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = reverse("accounts:password_reset_confirm", args=[uid, token])
            actions.send_password_reset(user, link=link, at=now, request=request)
        else:
            audit.record(
                AuditEvent.Kind.PASSWORD_RESET_REQUESTED, request=request, at=now, result="no_account"
            )
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(
        request, "accounts/password_reset_sent.html", {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    )


@never_cache
def password_reset_confirm(request, uidb64, token):
    """Set a new password through a reset link: valid 60 minutes and once (the token is made from the
    password it replaces, so it dies when used)."""
    try:
        user = get_user_model().objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()), is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(
            user,
            password=form.cleaned_data["new_password1"],
            by=user,
            at=timezone.now(),
            request=request,
            reset=True,
        )
        messages.success(request, _("密码已重置，请用新密码登录。"))
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


def _manager_page(request, *, template, act, done):
    """A window manager's form naming an account in their jurisdiction, then one action on it."""
    scope = get_scope(request.user)
    if not (scope.is_superuser or Role.WINDOW_MANAGER in scope.roles):
        raise PermissionDenied
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = get_user_model().objects.filter(username__iexact=form.cleaned_data["username"]).first()
        if target is None or not actions.can_unlock(target, by=request.user):
            form.add_error("username", _("未找到您辖区内的该账号。"))
        else:
            try:
                act(target, by=request.user, at=timezone.now(), request=request)
            except actions.NotDormant as refusal:
                form.add_error("username", str(refusal))
            else:
                messages.success(request, done % {"name": target.username})
                return redirect(request.path)
    return render(request, template, {"form": form})


@login_required
def second_factor_reset(request):
    """A lost phone: the window manager resets the person's second factor (audited, notified)."""
    return _manager_page(
        request,
        template="accounts/second_factor_reset.html",
        act=actions.reset_second_factor,
        done=_("已重置账号 %(name)s 的动态码，其下次登录时需重新绑定。"),
    )


@login_required
def reactivate(request):
    """Re-enable an account the dormant-account job disabled (audited, notified)."""
    return _manager_page(
        request,
        template="accounts/reactivate.html",
        act=actions.reactivate_account,
        done=_("已重新启用账号 %(name)s。"),
    )
