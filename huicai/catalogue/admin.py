"""The admin for items goes through the same form and the same actions as the staff pages, so every
save there makes a version too; drafts are scoped to the user's windows like everywhere else."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone

from huicai.catalogue import actions
from huicai.catalogue.access import can_edit_item
from huicai.catalogue.forms import ServiceItemForm
from huicai.catalogue.models import ServiceItem, ServiceItemEvent, ServiceItemVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = ServiceItemVersion
    fk_name = "item"
    fields = [
        "number",
        "created_at",
        "created_by",
        "reason",
        "committed_days",
        "step_count",
        "material_count",
        "visit_count",
        "published_at",
        "days_cut",
        "steps_cut",
        "materials_cut",
        "visits_cut",
    ]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ServiceItemEvent
    fields = ["at", "by", "from_status", "to_status", "version", "note"]
    readonly_fields = fields


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ServiceItemForm
    list_display = ["code", "name", "category", "mode", "department", "window", "status", "published_version"]
    list_filter = ["status", "category", "mode", "level"]
    search_fields = ["code", "name"]
    list_select_related = ["department", "window", "published_version"]
    readonly_fields = ["status", "level", "division", "published_version"]
    inlines = [VersionInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_inlines(self, request, obj):
        # A new item has no history yet.
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(ServiceItemForm.Meta.fields) + ["reason"]
        if obj is None:
            return ["window", *fields]
        return [*fields, *self.readonly_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = [f for f in self.get_fields(request, obj) if f not in self.readonly_fields]
        base = super().get_form(request, obj, change=change, **kwargs)

        class UserForm(base):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["user"] = request.user
                super().__init__(*args, **form_kwargs)

        return UserForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        # Only the drafting window edits an item; the others see it read-only.
        return can_edit_item(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Items are versioned and filed; nothing is deleted.
        return False

    def save_model(self, request, obj, form, change):
        relations = {
            "undertaking_orgs": form.cleaned_data["undertaking_orgs"],
            "talent_categories": form.cleaned_data["talent_categories"],
        }
        if change:
            item = actions.revise_item(
                obj,
                by=request.user,
                at=timezone.now(),
                reason=form.cleaned_data["reason"],
                **relations,
                **form.item_fields(),
            )
        else:
            item = actions.create_item(
                window=form.cleaned_data["window"],
                by=request.user,
                at=timezone.now(),
                reason=form.cleaned_data["reason"],
                **relations,
                **form.item_fields(),
            )
        obj.pk = item.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The action has set the relations and captured the version; the inlines are read-only.
        pass

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines are read-only history, never saved from here.
        return super().construct_change_message(request, form, [], add)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # A rule the form could not see (a concurrent filing, say): nothing was saved.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "name", "created_at", "created_by", "published_at"]
    list_select_related = ["created_by"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        items = ServiceItem.objects.visible_to(request.user)
        return super().get_queryset(request).filter(item__in=items)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
