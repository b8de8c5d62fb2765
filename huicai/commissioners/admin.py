"""The commissioner registry in the admin (S4–S9, S19). A post is opened with ``appoint_commissioner`` and
closed with ``end_post``; its person, kind, organisation, manager flag and period are read-only afterwards
(a change of post is a new post), and both are audited as role changes. A talent's unit commissioner is
assigned with ``assign_unit_commissioner`` only, which closes the previous period and refuses a
commissioner from another employer (S6); assignment periods are history and are never edited or deleted."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.commissioners import actions
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core import audit
from huicai.core.admin import ScopedAdminMixin, ThroughActionsAdmin
from huicai.core.models import AuditEvent

ORGANISATION_FIELD = {
    PostKind.UNIT: "employer",
    PostKind.DEPARTMENT: "department",
    PostKind.UNDERTAKING: "undertaking_org",
    PostKind.WINDOW: "window",
}
POST_IDENTITY = ["user", "kind", "employer", "department", "undertaking_org", "window", "is_manager"]
POST_DETAILS = ["is_full_time", "position", "office_phone"]


@admin.register(Post)
class PostAdmin(ScopedAdminMixin, ThroughActionsAdmin):
    list_display = ["user", "kind", "organisation", "is_full_time", "is_manager", "active_from", "active_to"]
    list_filter = ["kind", "is_full_time", "is_manager"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "employer", "department", "undertaking_org", "window"]
    autocomplete_fields = ["user"]
    actions = ["end_selected"]

    def get_fields(self, request, obj=None):
        return [*POST_IDENTITY, *POST_DETAILS] + ([] if obj is None else ["active_from", "active_to"])

    def get_readonly_fields(self, request, obj=None):
        # Who holds the post, where, as what and since when decide what they may see and do: a different
        # post is a new post, so the old period stays true in the history.
        return [] if obj is None else [*POST_IDENTITY, "active_from", "active_to"]

    def has_delete_permission(self, request, obj=None):
        # Cases, events and assignments refer to posts; a post is ended, never deleted.
        return False

    def has_end_permission(self, request):
        return request.user.has_perm("commissioners.change_post")

    def save_model(self, request, obj, form, change):
        if change:
            # Only the post's particulars (full-time, position, office phone) can be edited, and only through
            # the change-of-contact action, so the registry keeps the change and staffing files it (S19).
            data = form.cleaned_data
            self.run(
                actions.change_post_contact,
                obj,
                by=request.user,
                at=timezone.now(),
                **{field: data[field] for field in POST_DETAILS},
            )
            return
        data = form.cleaned_data
        kind = PostKind(data["kind"])
        saved = self.run(
            actions.appoint_commissioner,
            user=data["user"],
            kind=kind,
            organisation=data[ORGANISATION_FIELD[kind]],
            is_full_time=data["is_full_time"],
            is_manager=data["is_manager"],
            position=data["position"],
            office_phone=data["office_phone"],
            by=request.user,
            at=timezone.now(),
        )
        obj.pk = saved.pk
        obj._state.adding = False
        audit.record(AuditEvent.Kind.ROLE_CHANGE, request=request, obj=saved, detail="post appointed")

    @admin.action(description=_("结束所选岗位（任职截止为现在）"), permissions=["end"])
    def end_selected(self, request, queryset):
        def end(post, at):
            actions.end_post(post, by=request.user, at=at)
            audit.record(AuditEvent.Kind.ROLE_CHANGE, request=request, obj=post, at=at, detail="post ended")

        self.apply_to_each(
            request, queryset.select_related("user"), end, done_message=_("已结束 %(count)d 个岗位。")
        )


@admin.register(UnitAssignment)
class UnitAssignmentAdmin(ThroughActionsAdmin):
    """Adding a row here is the reassignment action (S6): the talent's open period is closed and the new one
    opened, with who, when and why. Nothing else can be changed."""

    list_display = ["talent", "post", "active_from", "active_to", "assigned_by", "reason"]
    list_select_related = ["talent", "post__user", "assigned_by"]
    search_fields = ["talent__name", "post__user__full_name"]
    raw_id_fields = ["talent", "post"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # The talent model through the relation: talents builds on posts, so commissioners does not import it.
        talents = UnitAssignment._meta.get_field("talent").related_model.objects
        return queryset.filter(talent__in=talents.visible_to(request.user))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["talent", "post", "reason"]
        return [
            "talent",
            "post",
            "active_from",
            "active_to",
            "assigned_by",
            "reason",
            "ended_by",
            "end_reason",
        ]

    def has_change_permission(self, request, obj=None):
        # A period is history: a different commissioner is a new assignment, made by adding one.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = self.run(
            actions.assign_unit_commissioner,
            data["talent"],
            post=data["post"],
            reason=data["reason"],
            by=request.user,
            at=timezone.now(),
        )
        obj.pk = saved.pk
        obj._state.adding = False
