"""Ratings and rectifications in the admin, to read only. A rating is given once by its rater and never
edited (W10 好差评); a rectification moves only through its actions, each with its event."""

from django.contrib import admin

from huicai.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin
from huicai.ratings.models import Rating, Rectification, RectificationEvent


@admin.register(Rating)
class RatingAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["service_name", "talent", "department", "overall", "channel", "rated_at", "excluded_at"]
    list_filter = ["overall", "channel"]
    search_fields = ["service_name", "external_ref"]
    list_select_related = ["talent", "department"]
    fields = [
        "service_name",
        "task",
        "direct_service",
        "talent",
        "department",
        "rated_user",
        "completed_at",
        "channel",
        "hotline",
        "external_ref",
        "mode",
        "overall",
        "efficiency",
        "service_level",
        "attitude",
        "guide_accuracy",
        "convenience",
        "ease_of_use",
        "comment",
        "rated_by",
        "rated_at",
        "rectification",
        "excluded_at",
        "excluded_reason",
    ]
    readonly_fields = fields


class RectificationEventInline(ReadOnlyInline):
    model = RectificationEvent
    fields = ["at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields


@admin.register(Rectification)
class RectificationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["service_name", "department", "window", "status", "round", "due_date", "responded_at"]
    list_filter = ["status"]
    search_fields = ["service_name"]
    list_select_related = ["department", "window"]
    fields = [
        "service_name",
        "rating",
        "task",
        "talent",
        "department",
        "window",
        "status",
        "round",
        "opened_at",
        "due_date",
        "response_kind",
        "promised_date",
        "responded_at",
        "responded_by",
        "appealed_at",
        "ruling",
        "ruled_at",
        "callback_result",
        "callback_at",
    ]
    readonly_fields = fields
    inlines = [RectificationEventInline]
