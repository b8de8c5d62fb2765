"""Read-only views of difficulties and check-ins for administrators. Nothing is edited here: every change
is one action in actions.py, taken from the pages or the API, so no state can be set past its guards."""

from django.contrib import admin

from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty, DifficultyEvent, TalentStatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DifficultyEventInline(admin.TabularInline):
    model = DifficultyEvent
    fields = ["at", "action", "from_status", "to_status", "from_holder", "to_holder", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Difficulty)
class DifficultyAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "talent",
        "kind",
        "category",
        "status",
        "holder_level",
        "holder_window",
        "recorded_at",
    ]
    list_filter = ["kind", "status", "holder_level", "source"]
    list_select_related = ["talent", "holder_window"]
    date_hierarchy = "recorded_at"
    inlines = [DifficultyEventInline]


@admin.register(CheckinRound)
class CheckinRoundAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "window",
        "title",
        "status",
        "opened_at",
        "due_date",
        "closed_at",
        "last_chased_date",
    ]
    list_filter = ["status"]
    list_select_related = ["window"]


@admin.register(CheckinEntry)
class CheckinEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "round", "talent", "status", "employment_status", "lives_in_linyi", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["round__window", "talent"]


@admin.register(TalentStatusChange)
class TalentStatusChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "talent",
        "old_employment_status",
        "new_employment_status",
        "old_lives_in_linyi",
        "new_lives_in_linyi",
        "by",
        "at",
    ]
    list_select_related = ["talent", "by"]
