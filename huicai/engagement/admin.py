"""Read-only views for administrators. Nothing is edited here: every change is one action in actions.py,
taken from the pages, so no consent, receipt or grant can be set past its guards."""

from django.contrib import admin

from huicai.engagement.models import (
    Achievement,
    EligibilityRule,
    Gathering,
    Grant,
    Invitation,
    Offer,
    PublicationConsent,
    Push,
    PushReceipt,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Gathering)
class GatheringAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "starts_at", "window", "status"]
    list_select_related = ["window"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "gathering", "talent", "rsvp", "attended_at"]
    list_select_related = ["gathering", "talent"]


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "talent", "status", "published_at"]
    list_select_related = ["talent"]


@admin.register(PublicationConsent)
class PublicationConsentAdmin(ReadOnlyAdmin):
    list_display = ["id", "achievement", "given_at", "withdrawn_at"]
    list_select_related = ["achievement__talent"]


@admin.register(Push)
class PushAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "kind", "window", "sent_at"]
    list_select_related = ["window"]


@admin.register(PushReceipt)
class PushReceiptAdmin(ReadOnlyAdmin):
    list_display = ["id", "push", "talent", "channel", "read_at"]
    list_select_related = ["push", "talent"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ReadOnlyAdmin):
    list_display = ["id", "policy", "service_item", "grant_without_application", "is_active"]
    list_select_related = ["policy", "service_item"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["id", "rule", "talent", "offered_at"]
    list_select_related = ["rule__policy", "rule__service_item", "talent"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "talent", "granted_by", "granted_at"]
    list_select_related = ["talent", "granted_by"]
