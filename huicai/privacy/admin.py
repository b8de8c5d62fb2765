from django.contrib import admin

from huicai.core.admin import ReadOnlyAdmin, ScopedAdminMixin
from huicai.privacy.models import ConsentWithdrawal, DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: requests are filed by the talent and answered by their window, on the site (actions.py)."""

    list_display = ["id", "talent", "kind", "status", "filed_at", "due_date", "outcome"]
    list_filter = ["kind", "status"]


@admin.register(ConsentWithdrawal)
class ConsentWithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["application", "withdrawn_at"]

    def get_queryset(self, request):
        # Consent records follow the application's door: only what the user may see.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from huicai.casework.models import Application

        return queryset.filter(application__in=Application.objects.visible_to(request.user))
