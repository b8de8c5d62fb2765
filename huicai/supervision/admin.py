"""Administrators record department heads here (through the actions, audited as role changes). Cards,
orders and rounds are read-only in the admin: they change only through their actions and the sweep."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from huicai.core import audit
from huicai.core.admin import ScopedAdminMixin
from huicai.core.models import AuditEvent
from huicai.supervision import actions
from huicai.supervision.models import Card, DepartmentHead, OrderEvent, Round, RoundEntry, SupervisionOrder


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DepartmentHead)
class DepartmentHeadAdmin(admin.ModelAdmin):
    list_display = ["department", "user", "position", "active_from", "active_to", "appointed_by"]
    list_filter = ["department__level"]
    list_select_related = ["department", "user", "appointed_by"]
    search_fields = ["department__name", "user__username", "user__full_name"]
    autocomplete_fields = ["user"]

    def get_fields(self, request, obj=None):
        return (
            ["department", "user", "position"]
            if obj is None
            else ["department", "user", "position", "active_from", "active_to"]
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # An open period can only be ended (its end set once); a closed one is history.
        return ["department", "user", "position", "active_from"] + (
            [] if obj.active_to is None else ["active_to"]
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        try:
            if not change:
                saved = actions.appoint_department_head(
                    department=obj.department, user=obj.user, position=obj.position, by=request.user, at=now
                )
                obj.pk = saved.pk
                detail = "department head appointed"
            elif "active_to" in form.changed_data and obj.active_to is not None:
                actions.end_department_head(obj, by=request.user, at=obj.active_to)
                detail = "department head ended"
            else:
                return
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return
        audit.record(AuditEvent.Kind.ROLE_CHANGE, request=request, obj=obj, detail=detail)


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    fields = ["at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["task", "window", "status", "due_date", "raised_by", "raised_at", "responded_at"]
    list_filter = ["status"]
    list_select_related = ["task", "window", "raised_by"]
    search_fields = ["task__number"]
    inlines = [OrderEventInline]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = [
        "colour",
        "application",
        "task",
        "clock",
        "order",
        "department",
        "due_date",
        "issued_on",
        "notified_at",
    ]
    list_filter = ["colour", "clock__stage", "issued_on"]
    list_select_related = ["application", "task", "clock__task", "clock__application", "order", "department"]
    search_fields = ["application__number", "task__number"]


class RoundEntryInline(admin.TabularInline):
    model = RoundEntry
    fields = [
        "task",
        "department",
        "task_status",
        "due_date",
        "progress",
        "obstacle",
        "expected_date",
        "answered_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "window", "status", "opened_on", "answer_due_date", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["window"]
    search_fields = ["title"]
    inlines = [RoundEntryInline]
