"""Talents and their cards in the admin. A talent is registered through ``register_talent`` and a card
issued through ``issue_card``; after that, who the talent works for, where they are at home, which account
is theirs and their employment and residence status are read-only (they change through the check-ins and the
commissioner actions, with their history). A card's status moves only through ``change_card_status``, from
the admin actions below, so a revoked card can never be made valid again and every change has its event."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.core import audit
from huicai.core.admin import ReadOnlyInline, ScopedAdminMixin, ThroughActionsAdmin
from huicai.core.models import AuditEvent
from huicai.talents import actions
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent, TalentCard, TalentCardEvent, TalentCategory


@admin.register(TalentCategory)
class TalentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank", "is_active"]
    list_editable = ["rank", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # Talents are recognised under a category; retire one with "有效" instead.
        return False


class TalentCardInline(ReadOnlyInline):
    model = TalentCard
    fields = ["number", "kind", "level", "issued_date", "valid_until_date", "status"]
    readonly_fields = fields
    show_change_link = True


# Registered with these; afterwards they change through the actions that keep their history.
TALENT_FIELDS = ["name", "id_type", "id_number", "category", "employer", "home_window", "mobile"]
TALENT_PROTECTED_FIELDS = [
    "user",
    "employment_status",
    "employment_confirmed_date",
    "lives_in_linyi",
    "residence_confirmed_date",
]


@admin.register(Talent)
class TalentAdmin(ScopedAdminMixin, ThroughActionsAdmin):
    list_display = ["name", "masked_id", "category", "employer", "home_window", "employment_status"]
    list_filter = ["category", "home_window", "employment_status", "lives_in_linyi"]
    search_fields = ["name"]
    list_select_related = ["category", "employer", "home_window"]
    inlines = [TalentCardInline]

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj):
        return obj.id_number_masked

    def get_fields(self, request, obj=None):
        return TALENT_FIELDS if obj is None else [*TALENT_FIELDS, *TALENT_PROTECTED_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        # Employer and home window decide the unit commissioner and the jurisdiction (S6, W3): changing
        # them here would leave the talent with another employer's commissioner and another window's case.
        return [] if obj is None else ["employer", "home_window", *TALENT_PROTECTED_FIELDS]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A talent has cases, cards and history; nothing is deleted from here.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            # Corrections of the talent's own particulars (name, ID, category, mobile): no state is involved.
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in TALENT_FIELDS}
        saved = self.run(actions.register_talent, by=request.user, at=timezone.now(), **fields)
        obj.pk = saved.pk
        obj._state.adding = False

    def get_search_results(self, request, queryset, search_term):
        # Exact ID numbers are found through the keyed hash; the cipher text cannot be searched.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if len(term) >= 15 and term[:6].isdigit():
            queryset = self.get_queryset(request).with_id_number(term)
        return queryset, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change form shows the ID number and phone in clear: that is a reveal, and it is recorded,
        # but only once the page was actually shown. A refused or missing object is no reveal (the denial
        # middleware records the refusal).
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit.record(AuditEvent.Kind.REVEAL, request=request, obj=obj, detail="admin change form")
        return response


class TalentCardEventInline(ReadOnlyInline):
    model = TalentCardEvent
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields


CARD_FIELDS = ["talent", "kind", "number", "level", "issued_date", "valid_until_date"]


@admin.register(TalentCard)
class TalentCardAdmin(ScopedAdminMixin, ThroughActionsAdmin):
    list_display = ["number", "kind", "talent", "level", "issued_date", "valid_until_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "talent__name"]
    list_select_related = ["talent"]
    raw_id_fields = ["talent"]
    inlines = [TalentCardEventInline]
    actions = ["mark_lost", "mark_expired", "revoke"]

    def get_fields(self, request, obj=None):
        return CARD_FIELDS if obj is None else [*CARD_FIELDS, "status"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # An issued card is a record: its status moves only through the actions below.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_status_permission(self, request):
        return request.user.has_perm("talents.change_talentcard")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in CARD_FIELDS if name != "talent"}
        saved = self.run(
            actions.issue_card, form.cleaned_data["talent"], by=request.user, at=timezone.now(), **fields
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def _change_status(self, request, queryset, status):
        self.apply_to_each(
            request,
            queryset,
            lambda card, at: actions.change_card_status(card, status=status, by=request.user, at=at),
            done_message=_("已更新 %(count)d 张人才卡的状态。"),
        )

    @admin.action(description=_("挂失所选人才卡"), permissions=["change_status"])
    def mark_lost(self, request, queryset):
        self._change_status(request, queryset, CardStatus.LOST)

    @admin.action(description=_("将所选人才卡标为已过期"), permissions=["change_status"])
    def mark_expired(self, request, queryset):
        self._change_status(request, queryset, CardStatus.EXPIRED)

    @admin.action(description=_("撤销所选人才卡"), permissions=["change_status"])
    def revoke(self, request, queryset):
        self._change_status(request, queryset, CardStatus.REVOKED)
