from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """One message for every refusal (bad password, unknown name, locked, inactive), so the answer never
    tells whether an account exists or is locked (SECURITY.md)."""

    error_messages = {
        "invalid_login": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
        "inactive": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
    }

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
