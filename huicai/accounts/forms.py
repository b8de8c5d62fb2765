import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.accounts import lockout


class LoginForm(AuthenticationForm):
    """One message for a bad password, an unknown name and an inactive account, so the answer never tells
    whether an account exists (SECURITY.md). A locked name is told so, with the minutes left: names are
    locked whether or not they exist (lockout.py), so this reveals nothing about the account either."""

    error_messages = {
        "invalid_login": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
        "inactive": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
    }

    def get_invalid_login_error(self):
        now = timezone.now()
        until = lockout.locked_until(ref=lockout.username_ref(self.cleaned_data.get("username", "")), at=now)
        if until is None:
            return super().get_invalid_login_error()
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        return forms.ValidationError(
            _("账号已锁定，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}, code="locked"
        )

    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)


class AuditExportForm(forms.Form):
    """The audit administrator's export: a date range (at most a year) and a format."""

    since = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("格式"), choices=[("csv", "CSV"), ("xlsx", "Excel")], initial="csv")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if until < since:
                raise forms.ValidationError(_("截止日期不能早于起始日期。"))
            if (until - since).days > 366:
                raise forms.ValidationError(_("一次最多导出一年的审计日志。"))
        return data


class CodeForm(forms.Form):
    """The six digits of the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("动态码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    remember = forms.BooleanField(label=_("今天在此设备上不再询问动态码"), required=False)


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("动态码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordResetRequestForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
