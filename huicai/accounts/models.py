"""User accounts and the login-failure ledger behind the lockout (SECURITY.md)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from huicai.accounts.admins import AdminRole, admin_has_module, admin_may, admin_sees_all
from huicai.accounts.roles import describe_scope
from huicai.core.fields import EncryptedTextField
from huicai.core.validators import validate_mobile


class User(AbstractUser):
    """A person who signs in: a talent, a commissioner, a manager or an administrator.

    Roles are not stored here: they follow from the person's commissioner posts and talent record
    (see roles.py), so a change of post changes what they may see without a second place to update.
    """

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # For SMS notices; personal data, so encrypted like a talent's phone.
    mobile = EncryptedTextField(_("手机号码"), blank=True, validators=[validate_mobile])
    # 三员分立 (admins.py): at most one administrator role per person, given only by assign_admin_role.
    admin_role = models.CharField(_("管理员角色"), max_length=20, choices=AdminRole.choices, blank=True)
    # Dormant accounts (SECURITY.md): disabled by the nightly job after HUICAI_DORMANT_DAYS without a
    # sign-in; only those may be re-enabled by a window manager, who restarts the clock.
    dormant_disabled_at = models.DateTimeField(_("因长期未登录停用时间"), null=True, blank=True)
    reactivated_at = models.DateTimeField(_("重新启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # The superuser is for installation only: it is none of the three administrators, so its work
            # and theirs are never one account's.
            models.CheckConstraint(
                condition=models.Q(admin_role="") | models.Q(is_superuser=False),
                name="superuser_holds_no_admin_role",
                violation_error_message=_("超级用户不能兼任系统、安全或审计管理员。"),
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    def has_perm(self, perm, obj=None):
        # An administrator holds exactly their area (admins.py); groups and permissions cannot widen it.
        if self.is_active and self.admin_role and not self.is_superuser:
            return admin_may(self.admin_role, perm)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.admin_role and not self.is_superuser:
            return admin_has_module(self.admin_role, app_label)
        return super().has_module_perms(app_label)

    def admin_sees_all(self, model) -> bool:
        """Whether the admin shows this person every row of ``model`` (their administrator area)."""
        return bool(self.admin_role) and admin_sees_all(self.admin_role, model)

    def describe_scope(self) -> tuple[str, str]:
        """Roles and jurisdiction as short text: what the audit log (core's ``audit.record``) keeps."""
        return describe_scope(self)


class LoginFailure(models.Model):
    """One failed login, keyed by a keyed hash of the user name (never the name itself) and the IP."""

    at = models.DateTimeField(db_index=True)
    username_ref = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self):
        return f"{self.username_ref[:8]} {self.at:%Y-%m-%d %H:%M}"


class LoginLock(models.Model):
    """An account locked after too many failures, until ``locked_until``."""

    username_ref = models.CharField(max_length=64, unique=True)
    locked_at = models.DateTimeField()
    locked_until = models.DateTimeField()

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")

    def __str__(self):
        return f"{self.username_ref[:8]} → {self.locked_until:%Y-%m-%d %H:%M}"


class PreviousPassword(models.Model):
    """The hash of a password the user had before: a new password may not be one of the last
    HUICAI_PASSWORD_HISTORY (MLPS 8.1.4.1 a). Only hashes, as in ``User.password``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="previous_passwords"
    )
    password = models.CharField(max_length=128)
    replaced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-replaced_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {self.replaced_at:%Y-%m-%d}"


class TokenScope(models.TextChoices):
    """What a token may reach, whatever its account's roles allow (the roles still decide which rows)."""

    FULL = "full", _("与账号权限相同")
    READ = "read", _("只读")
    HOTLINE = "hotline", _("热线对接（仅热线相关接口）")


class ApiTokenQuerySet(models.QuerySet):
    def live(self, at):
        """Tokens that still open the API at ``at``: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)

    def visible_to(self, user):
        """A person sees their own tokens; the security administrator (who decides what accounts may do,
        admins.py) and the installation superuser see every account's."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.admin_role == AdminRole.SECURITY:
            return self
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token for programs using the API (issue 12): ``Authorization: Bearer <token>``.

    Only a SHA-256 hash of the token is stored (the token is 256 random bits, so a plain hash cannot be
    reversed by guessing, and a stolen table opens nothing); the token itself is shown once, when issued.
    Every token expires; it is revoked by its holder or by the security administrator, never deleted, so
    the record of who could use the API and when remains. ``scope`` narrows what the token may reach below
    what its account's roles allow (a hotline integration's token reaches only the hotline's endpoints).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    # The first characters of the token, to tell one from another in a list (not enough to use it).
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("范围"), max_length=10, choices=TokenScope.choices, default=TokenScope.FULL)
    created_at = models.DateTimeField(_("签发时间"))
    # The administrator who issued it to a system account; empty when the holder signed in for it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_it_is_issued",
                violation_error_message=_("令牌的到期时间须晚于签发时间。"),
            )
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    def is_live(self, at) -> bool:
        return self.revoked_at is None and self.expires_at > at
