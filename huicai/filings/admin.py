"""Filings in the admin, to read only: a filing moves only through its actions, each with its event, and a
filed version is a locked snapshot that nothing changes (W14, S18)."""

from django.contrib import admin

from huicai.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin
from huicai.filings.models import Filing, FilingEvent, FilingVersion


class FilingVersionInline(ReadOnlyInline):
    model = FilingVersion
    fields = ["number", "filed_at", "filed_by", "talent_count", "checksum"]
    readonly_fields = fields


class FilingEventInline(ReadOnlyInline):
    model = FilingEvent
    fields = ["at", "action", "number", "from_status", "to_status", "by", "note"]
    readonly_fields = fields


@admin.register(Filing)
class FilingAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "due_date",
        "first_filed_at",
        "accepted_at",
        "current_number",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["filer_window", "filer_post__user", "filer_post__employer", "parent_window"]
    fields = [
        "kind",
        "period_start_date",
        "period_end_date",
        "filer_post",
        "filer_window",
        "parent_window",
        "status",
        "due_date",
        "remarks",
        "current_number",
        "opened_at",
        "first_filed_at",
        "accepted_at",
        "reminded_at",
        "late_flagged_at",
        "build_status",
    ]
    readonly_fields = fields
    inlines = [FilingVersionInline, FilingEventInline]


@admin.register(FilingVersion)
class FilingVersionAdmin(ReadOnlyAdmin):
    list_display = ["filing", "number", "filed_at", "filed_by", "talent_count", "checksum"]
    list_select_related = ["filing__filer_window", "filing__filer_post__user", "filed_by"]
    fields = ["filing", "number", "filed_at", "filed_by", "talent_count", "remarks", "checksum", "snapshot"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(filing__in=Filing.objects.visible_to(request.user))
