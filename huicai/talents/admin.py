from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huicai.core import audit
from huicai.core.admin import ScopedAdminMixin
from huicai.core.models import AuditEvent
from huicai.talents.models import Talent, TalentCard, TalentCategory


@admin.register(TalentCategory)
class TalentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank", "is_active"]
    list_editable = ["rank", "is_active"]


class TalentCardInline(admin.TabularInline):
    model = TalentCard
    extra = 0


@admin.register(Talent)
class TalentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "masked_id", "category", "employer", "home_window", "employment_status"]
    list_filter = ["category", "home_window", "employment_status", "lives_in_linyi"]
    search_fields = ["name"]
    list_select_related = ["category", "employer", "home_window"]
    fields = [
        "name",
        "id_type",
        "id_number",
        "category",
        "employer",
        "home_window",
        "mobile",
        "user",
        "employment_status",
        "employment_confirmed_date",
        "lives_in_linyi",
        "residence_confirmed_date",
    ]
    raw_id_fields = ["user"]
    inlines = [TalentCardInline]

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj):
        return obj.id_number_masked

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


@admin.register(TalentCard)
class TalentCardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "talent", "level", "issued_date", "valid_until_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "talent__name"]
    list_select_related = ["talent"]
    raw_id_fields = ["talent"]
