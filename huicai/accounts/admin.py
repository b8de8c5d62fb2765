"""Accounts in the admin. Whether an account is active, staff or a superuser, and its groups and
permissions, are role changes: each save that changes them is audited (SECURITY.md). Accounts carry
history (events, posts, cases) and are deactivated, never deleted.

三员分立 (admins.py): the system administrator edits accounts but none of what they may do (staff,
superuser, groups, permissions and the administrator role are read-only for them); the security
administrator reads accounts and gives or takes the administrator roles through the admin actions below,
which call ``assign_admin_role``. The role is read-only on every form, the superuser's included.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huicai.accounts import actions
from huicai.accounts.admins import AdminRole
from huicai.accounts.models import ApiToken, User
from huicai.core import audit
from huicai.core.admin import ThroughActionsAdmin
from huicai.core.models import AuditEvent

ROLE_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]
# What a person may do: set by the security administrator's actions, never on the system administrator's form.
PERMISSION_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions", "admin_role"]


def _role_action(role, label):
    def assign(modeladmin, request, queryset):
        modeladmin.apply_to_each(
            request,
            queryset,
            lambda user, at: actions.assign_admin_role(
                user, role=role, by=request.user, at=at, request=request
            ),
            done_message=str(_("已为 %(count)d 个账号更新管理员角色。")),
        )

    assign.__name__ = f"assign_{role or 'none'}_admin"
    assign.short_description = label
    return assign


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ThroughActionsAdmin):
    list_display = ["username", "full_name", "admin_role", "is_active", "is_staff", "last_login"]
    list_filter = ["admin_role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("惠才"), {"fields": ["full_name", "mobile", "password_changed_at", "admin_role"]}),
    ]
    actions = [
        _role_action(AdminRole.SYSTEM, _("设为系统管理员")),
        _role_action(AdminRole.SECURITY, _("设为安全管理员")),
        _role_action(AdminRole.AUDIT, _("设为审计管理员")),
        _role_action("", _("取消管理员角色")),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "admin_role"]
        if not request.user.is_superuser:
            fields += PERMISSION_FIELDS
        return list(dict.fromkeys(fields))

    def get_actions(self, request):
        result = super().get_actions(request)
        # Roles are given by the security administrator (and the installation superuser) only.
        if not (request.user.is_superuser or request.user.admin_role == AdminRole.SECURITY):
            result = {name: value for name, value in result.items() if not name.startswith("assign_")}
        return result

    def has_delete_permission(self, request, obj=None):
        return False

    def user_change_password(self, request, id, form_url=""):
        # A password set by an administrator (the system administrator manages accounts, an administrator's
        # included) is a security event: audited, so that taking over another's account leaves a trace.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = self.get_object(request, id)
            audit.record(
                AuditEvent.Kind.CONFIG_CHANGE, request=request, obj=target, detail="password set by admin"
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in ROLE_FIELDS if name in form.changed_data]
        if change and changed:
            audit.record(
                AuditEvent.Kind.ROLE_CHANGE, request=request, obj=obj, detail="account " + ",".join(changed)
            )


@admin.action(description=_("撤销所选令牌"))
def revoke_tokens(modeladmin, request, queryset):
    modeladmin.apply_to_each(
        request,
        queryset,
        lambda token, at: actions.revoke_token(token, by=request.user, at=at, request=request),
        done_message=str(_("已撤销 %(count)d 个令牌。")),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ThroughActionsAdmin):
    """API tokens, read-only: the security administrator sees every account's and revokes them through
    ``revoke_token``; a token is issued over the API or by ``manage.py issue_api_token`` (shown once), and
    its hash is never shown."""

    list_display = [
        "prefix",
        "user",
        "name",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["user__username", "name", "prefix"]
    exclude = ["key_hash"]
    actions = [revoke_tokens]

    def get_queryset(self, request):
        return ApiToken.objects.visible_to(request.user).select_related("user", "created_by", "revoked_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own admin pages would let an administrator add a device to someone else's account (a second
# factor they hold) or read a device's key. Devices are enrolled by their owner and removed by a window
# manager's audited reset (accounts/actions.py), so those pages are taken off the admin site.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
