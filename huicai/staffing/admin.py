"""Commissioner management in the admin: read-only. Every change goes through the pages' actions, so the
admin is no side door around the 7-day clock, the immutable weights or the notices' steps."""

from django.contrib import admin

from huicai.staffing.models import (
    AccountabilityNotice,
    ChangeRecord,
    CommendationList,
    Interview,
    Scorecard,
    TrainingAttendance,
    TrainingSession,
    WeightsVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["description", "kind", "window", "change_date", "status", "filed_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["window"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "session_date", "hours", "organiser", "window"]
    list_select_related = ["window"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "post", "hours"]
    list_select_related = ["session", "post__user"]


@admin.register(WeightsVersion)
class WeightsVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "steps",
        "supplements",
        "ratings",
        "filings",
        "training",
        "rectifications",
        "created_at",
    ]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["post", "period", "period_start", "total", "weights"]
    list_filter = ["period"]
    list_select_related = ["post__user", "weights"]


@admin.register(CommendationList)
class CommendationListAdmin(ReadOnlyAdmin):
    list_display = ["window", "year", "status", "decided_by", "decided_at"]


@admin.register(AccountabilityNotice)
class AccountabilityNoticeAdmin(ReadOnlyAdmin):
    list_display = ["post", "year", "window", "status", "decided_by"]
    list_select_related = ["post__user", "window", "decided_by"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["notice", "held_at", "interviewers", "interviewees"]
