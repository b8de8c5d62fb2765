"""Admin plumbing: every admin list of talents' data goes through the model's visible_to()."""

from django.contrib import admin

from huicai.core.models import AuditEvent


class ScopedAdminMixin:
    """For non-superusers, the admin shows only what ``visible_to(user)`` returns; anything else is a 404
    because get_object() reads through the same queryset."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    # The actor as recorded at the time (actor_display), never the live user row, which may be gone.
    list_display = ["at", "kind", "actor_display", "roles", "object_type", "object_id", "result", "ip"]
    list_filter = ["kind", "result"]
    search_fields = ["object_id", "request_id", "actor_login"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
