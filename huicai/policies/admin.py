"""Admin of the policy library. Every save goes through the actions, so the search index, the event log and
the jurisdiction rules are the same as on the pages."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.policies import actions
from huicai.policies.access import can_manage_policies, can_manage_policy, publishing_windows
from huicai.policies.choices import PolicyStatus
from huicai.policies.forms import usable_service_items
from huicai.policies.models import Policy, PolicyEvent

TEXT_FIELDS = actions.TEXT_FIELDS


class PolicyAdminForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["window", *TEXT_FIELDS, "categories", "divisions", "service_items"]

    def clean(self):
        cleaned = super().clean()
        window = cleaned.get("window") or (self.instance.window if self.instance.pk else None)
        if window is not None and "divisions" in cleaned:
            try:
                actions.check_can_draft(by=self.request_user, window=window, divisions=cleaned["divisions"])
            except ValidationError as exc:
                self.add_error(None, exc)
            except actions.NotAllowed as exc:
                raise ValidationError(str(exc)) from exc
        return cleaned


class PolicyEventInline(admin.TabularInline):
    model = PolicyEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyAdminForm
    list_display = ["title", "document_number", "issuer", "issue_date", "status", "window", "published_at"]
    list_filter = ["status", "window", "categories"]
    search_fields = ["title", "document_number", "issuer"]
    list_select_related = ["window"]
    filter_horizontal = ["categories", "divisions", "service_items"]
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "published_by",
        "published_at",
        "expired_at",
    ]
    inlines = [PolicyEventInline]
    actions = ["publish_selected", "expire_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        editable = [*TEXT_FIELDS, "categories", "divisions", "service_items"]
        return (["window"] if obj is None else []) + editable + self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        if "window" in form.base_fields:
            form.base_fields["window"].queryset = publishing_windows(request.user)
        if "service_items" in form.base_fields:
            form.base_fields["service_items"].queryset = usable_service_items(request.user)
        return form

    def has_add_permission(self, request):
        return can_manage_policies(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # An expired policy is history: it can be viewed, not changed.
        if obj is not None and obj.status == PolicyStatus.EXPIRED:
            return False
        # Only the windows over a policy change it (the action would refuse anyone else).
        if obj is not None and not can_manage_policy(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Published policies are public records; a policy is expired, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in TEXT_FIELDS if name in form.cleaned_data}
        tags = {name: form.cleaned_data[name] for name in actions.TAG_FIELDS}
        if change:
            saved = actions.edit_policy(obj, by=request.user, at=timezone.now(), **data, **tags)
        else:
            saved = actions.create_policy(
                by=request.user, at=timezone.now(), window=form.cleaned_data["window"], **data, **tags
            )
        # The admin goes on with ``obj`` (messages, the change log, the redirect): make it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        # The action has set the tags already; form.save_m2m() would set them a second time, unrecorded.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("发布所选政策（并推送给符合条件的人才）"))
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, lambda p, at: actions.publish_policy(p, by=request.user, at=at))

    @admin.action(description=_("废止所选政策"))
    def expire_selected(self, request, queryset):
        self._apply(request, queryset, lambda p, at: actions.expire_policy(p, by=request.user, at=at))

    def _apply(self, request, queryset, change):
        at = timezone.now()
        done = 0
        for policy in queryset.select_related("window"):
            try:
                change(policy, at)
            except (ValidationError, actions.NotAllowed) as exc:
                message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{policy.title}：{message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("已处理 %(n)d 项政策。") % {"n": done}, messages.SUCCESS)
