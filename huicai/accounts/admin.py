"""Accounts in the admin. Whether an account is active, staff or a superuser, and its groups and
permissions, are role changes: each save that changes them is audited (SECURITY.md). Accounts carry
history (events, posts, cases) and are deactivated, never deleted."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huicai.accounts.models import User
from huicai.core import audit
from huicai.core.models import AuditEvent

ROLE_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("惠才"), {"fields": ["full_name", "mobile", "password_changed_at"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in ROLE_FIELDS if name in form.changed_data]
        if change and changed:
            audit.record(
                AuditEvent.Kind.ROLE_CHANGE, request=request, obj=obj, detail="account " + ",".join(changed)
            )


# django-otp's own admin pages would let an administrator add a device to someone else's account (a second
# factor they hold) or read a device's key. Devices are enrolled by their owner and removed by a window
# manager's audited reset (accounts/actions.py), so those pages are taken off the admin site.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
