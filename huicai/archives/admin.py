from django.contrib import admin

from huicai.archives.models import ArchiveReason
from huicai.core.admin import ReadOnlyAdmin


@admin.register(ArchiveReason)
class ArchiveReasonAdmin(ReadOnlyAdmin):
    """Read-only: reasons are stated on the archive's reason page (actions.state_reason) and are evidence."""

    list_display = ["id", "talent", "user", "purpose", "stated_at", "expires_at"]
    list_filter = ["purpose"]

    def get_queryset(self, request):
        # Reasons follow their own door: what the user may see.
        return super().get_queryset(request).visible_to(request.user).select_related("talent", "user")
