from django.contrib import admin

from huicai.commissioners.models import Post, UnitAssignment
from huicai.core.admin import ScopedAdminMixin


@admin.register(Post)
class PostAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "organisation", "is_full_time", "is_manager", "active_from", "active_to"]
    list_filter = ["kind", "is_full_time", "is_manager"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "employer", "department", "undertaking_org", "window"]
    autocomplete_fields = ["user"]


@admin.register(UnitAssignment)
class UnitAssignmentAdmin(admin.ModelAdmin):
    list_display = ["talent", "post", "active_from", "active_to", "assigned_by", "reason"]
    list_select_related = ["talent", "post__user", "assigned_by"]
    search_fields = ["talent__name", "post__user__full_name"]
    raw_id_fields = ["talent", "post"]
    readonly_fields = ["assigned_by", "ended_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # The talent model through the relation: talents builds on posts, so commissioners does not import it.
        talents = UnitAssignment._meta.get_field("talent").related_model.objects
        return queryset.filter(talent__in=talents.visible_to(request.user))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)
