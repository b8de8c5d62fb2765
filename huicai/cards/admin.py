"""The admin shows card applications read-only (the admin is no side door: steps go through actions.py);
the category rules, which the city configures, are edited here."""

from django.contrib import admin

from huicai.cards.models import CardApplication, CardApplicationEvent, CardRule


@admin.register(CardRule)
class CardRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "kind", "tier", "valid_years"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CardApplication)
class CardApplicationAdmin(ReadOnly):
    list_display = ["talent", "kind", "purpose", "status", "window", "submitted_at", "due_date"]
    list_filter = ["status", "kind", "purpose"]


@admin.register(CardApplicationEvent)
class CardApplicationEventAdmin(ReadOnly):
    list_display = ["application", "kind", "by", "at"]
