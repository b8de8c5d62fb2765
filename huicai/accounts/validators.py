from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters (MLPS 8.1.4.1 a)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                ngettext(
                    "密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。",
                    "密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。",
                    self.min_classes,
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes}


# Django's own zh-Hans catalogue leaves these messages in English on 5.2; ours say them in Chinese.
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码长度太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("该密码太常见，请换一个。")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("密码与您的个人信息过于相似。")


class PasswordHistoryValidator:
    """Not the current password nor one of the last ``HUICAI_PASSWORD_HISTORY`` (MLPS 8.1.4.1 a): a
    password that must change every 90 days would otherwise go round two values."""

    def validate(self, password, user=None):
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        if user.has_usable_password() and user.check_password(password):
            raise ValidationError(_("新密码不能与当前密码相同。"), code="password_reused")
        keep = settings.HUICAI_PASSWORD_HISTORY
        if keep <= 0:
            return
        for encoded in user.previous_passwords.values_list("password", flat=True)[:keep]:
            if check_password(password, encoded):
                raise ValidationError(
                    _("新密码不能与最近%(n)d次使用过的密码相同。") % {"n": keep}, code="password_reused"
                )

    def get_help_text(self):
        return _("新密码不能与最近使用过的密码相同。")
