"""Read-only views of what the hotlines pushed and what went back, for administrators following up with a
hotline ("we never got the result of order X"). Nothing is edited here: orders and ratings are written by
the webhooks, deliveries by the sending job. The result's text is not shown (it is on the case)."""

from django.contrib import admin

from huicai.hotlines.models import DeliveryAttempt, InboundOrder, InboundRating, OutboundDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InboundOrder)
class InboundOrderAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "hotline", "order_id", "status", "refusal", "application"]
    list_filter = ["hotline", "status", "refusal"]
    search_fields = ["order_id", "webhook_id", "application__number"]
    list_select_related = ["application"]
    fields = [
        "hotline",
        "order_id",
        "webhook_id",
        "received_at",
        "body_hash",
        "status",
        "refusal",
        "message",
        "application",
    ]
    readonly_fields = fields


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["number", "at", "ok", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundDelivery)
class OutboundDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "hotline", "order_id", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["hotline", "status"]
    search_fields = ["order_id", "application__number"]
    list_select_related = ["application"]
    fields = [
        "application",
        "hotline",
        "order_id",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]


@admin.register(InboundRating)
class InboundRatingAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "hotline", "order_id", "level", "status", "refusal", "rating_ref"]
    list_filter = ["hotline", "status", "refusal"]
    search_fields = ["order_id", "webhook_id"]
    fields = [
        "hotline",
        "order_id",
        "webhook_id",
        "received_at",
        "body_hash",
        "level",
        "status",
        "refusal",
        "message",
        "application",
        "rating_ref",
    ]
    readonly_fields = fields
