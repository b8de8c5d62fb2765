import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts import actions
from huicai.accounts.admins import AdminRole
from huicai.accounts.forms import AuditExportForm, LoginForm, UnlockForm
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
