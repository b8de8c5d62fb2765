"""Read-only views of the provincial sync for administrators following up with the province ("did batch X
arrive?"). Batches are written by the sending job, resent from the window's page; the outbox's rows hold
full ID numbers and are not shown here (the windows' download masks them)."""

from django.contrib import admin

from huicai.core.admin import ReadOnlyAdmin, ReadOnlyInline
from huicai.provsync.models import ProvincialAttempt, ProvincialBatch, Reconciliation


class ProvincialAttemptInline(ReadOnlyInline):
    model = ProvincialAttempt
    fields = ["number", "at", "ok", "status_code", "error", "duration_ms"]
    readonly_fields = fields


@admin.register(ProvincialBatch)
class ProvincialBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "webhook_id",
        "after_change_id",
        "last_change_id",
        "count",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status"]
    fields = [
        "webhook_id",
        "after_change_id",
        "last_change_id",
        "count",
        "status",
        "attempts",
        "resends",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    inlines = [ProvincialAttemptInline]


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "window", "file_name", "counts"]
    list_select_related = ["by", "window"]
    fields = ["at", "by", "window", "file_name", "file_sha256", "counts"]
    readonly_fields = fields
