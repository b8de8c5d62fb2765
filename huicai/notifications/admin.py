"""Read-only views of the inbox and of the email/SMS deliveries, for administrators following up a
complaint ("I never got the SMS"). Nothing is edited here: notifications are written by the actions that
report a change, deliveries by the sending worker. Addresses are shown masked, never in clear."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huicai.notifications.models import Delivery, Notification

DELIVERY_FIELDS = [
    "channel",
    "masked_address",
    "status",
    "attempts",
    "last_error",
    "sent_at",
    "next_attempt_at",
]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("地址（脱敏）"))
    def masked_address(self, obj):
        return obj.masked_address


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notification__recipient__talent")

    @admin.display(description=_("地址（脱敏）"))
    def masked_address(self, obj):
        return obj.masked_address


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    fields = ["recipient", "kind", "title", "body", "link", "created_at", "read_at"]
    readonly_fields = fields
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "title", *DELIVERY_FIELDS]
    list_filter = ["status", "channel", "notification__kind"]
    search_fields = [
        "notification__title",
        "notification__recipient__username",
        "notification__recipient__full_name",
    ]
    list_select_related = ["notification__recipient__talent"]
    fields = ["notification", "recipient", *DELIVERY_FIELDS]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notification__recipient__talent")

    @admin.display(description=_("接收人"), ordering="notification__recipient__username")
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description=_("标题"))
    def title(self, obj):
        return obj.notification.title
