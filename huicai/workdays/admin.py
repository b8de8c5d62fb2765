"""Administrators keep the calendar here: edit a year's days, or import the notice's days from a file.

Every save goes through ``note_calendar_change`` and every import through ``enter_official_year``, so
each change reaches every process and moves the open deadlines it affects. Years are not deleted: a
mistaken day is corrected (or deleted) inside its year, and the history of deadlines stays meaningful.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huicai.workdays import actions, calendar
from huicai.workdays.forms import CalendarImportForm
from huicai.workdays.models import CalendarYear, Deadline, DeadlineChange, SpecialDay


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name"]
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "source", "day_count", "updated_at", "updated_by"]
    list_filter = ["status"]
    search_fields = ["source"]
    fields = ["year", "status", "source", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    inlines = [SpecialDayInline]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by").annotate(day_count=Count("days"))

    @admin.display(description=gettext_lazy("节假日与调休天数"), ordering="day_count")
    def day_count(self, obj):
        return obj.day_count

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["year"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # W9/W13: whatever was edited, every process reloads and the open deadlines it moves are recomputed.
        moved = actions.note_calendar_change(years=[form.instance.year], by=request.user, at=timezone.now())
        if moved:
            self.message_user(
                request,
                _("已按修改后的日历重新计算 %(count)s 个办结时限，并通知了责任人。") % {"count": len(moved)},
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "calendar_warning": calendar.calendar_warning(timezone.localdate()),
            "import_url": reverse("admin:workdays_calendaryear_import"),
            "can_import": self._can_import(request),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="workdays_calendaryear_import",
            )
        ]
        return urls + super().get_urls()

    def _can_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        """Upload the official days of one year (the State Council's notice) as a CSV file."""
        if not self._can_import(request):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                actions.enter_official_year(
                    year=data["year"],
                    days=data["days"],
                    source=data["source"],
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request, _("已录入 %(year)s 年官方工作日历。") % {"year": data["year"]}, messages.SUCCESS
                )
                return redirect("admin:workdays_calendaryear_change", data["year"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入官方工作日历"),
            "form": form,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/import.html", context)


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    fields = ["at", "old_due_date", "new_due_date", "is_provisional", "reason", "by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines are opened, moved and closed only by the actions of the things they belong to."""

    list_display = ["label", "start_date", "working_days", "due_date", "is_provisional", "is_open"]
    list_filter = ["is_open", "is_provisional"]
    search_fields = ["label"]
    date_hierarchy = "due_date"
    fields = [
        "label",
        "start_date",
        "working_days",
        "due_date",
        "is_provisional",
        "is_open",
        "opened_at",
        "closed_at",
        "responsible",
    ]
    readonly_fields = fields
    inlines = [DeadlineChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
