"""Applications and tasks in the admin, to read only. Every change of a case is one action in actions.py,
taken from the pages or the API by the commissioner whose step it is, with its checks and its event; the
system administrator follows cases here but takes no department's, window's or unit's step."""

from django.contrib import admin

from huicai.casework.models import Application, CaseEvent, Extension, MaterialRequest, Task
from huicai.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ["number", "department", "status", "committed_days", "accepted_at", "completed_at", "result"]
    readonly_fields = fields
    show_change_link = True


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ExtensionInline(ReadOnlyInline):
    model = Extension
    fields = [
        "old_due_date",
        "new_due_date",
        "working_days",
        "status",
        "reason",
        "requested_by",
        "acknowledged_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    readonly_fields = fields


class MaterialRequestInline(ReadOnlyInline):
    model = MaterialRequest
    fields = ["requested_at", "requested_by", "items", "note", "fulfilled_at", "fulfilled_by", "handovers"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["number", "talent", "source", "route", "status", "window", "submitted_at", "closed_at"]
    list_filter = ["status", "source", "route"]
    search_fields = ["number", "external_ref"]
    list_select_related = ["talent", "window"]
    fields = [
        "number",
        "talent",
        "unit_post",
        "source",
        "external_ref",
        "external_due_date",
        "window",
        "route",
        "status",
        "created_by",
        "created_at",
        "submitted_at",
        "closed_at",
        "withdraw_reason",
        "version",
    ]
    readonly_fields = fields
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["number", "department", "status", "undertaking_org", "accepted_at", "completed_at"]
    list_filter = ["status", "department"]
    search_fields = ["number", "application__number"]
    list_select_related = ["department", "undertaking_org"]
    fields = [
        "number",
        "application",
        "department",
        "undertaking_org",
        "status",
        "committed_days",
        "deadline",
        "created_at",
        "accepted_at",
        "accepted_by",
        "materials_request_count",
        "return_reason",
        "hops",
        "result",
        "result_document_name",
        "completed_at",
        "completed_by",
        "informed_at",
        "informed_via",
        "withdraw_reason",
        "version",
    ]
    readonly_fields = fields
    inlines = [MaterialRequestInline, ExtensionInline, CaseEventInline]
