"""Admin plumbing. Two rules hold for every admin in the project:

- every admin list of talents' data goes through the model's ``visible_to()``;
- the admin is no side door around the rules: a field with a state, a period, an owner or a jurisdiction
  is read-only here, and where an administrator genuinely needs to change it, an admin action or
  ``save_model`` calls the one function in ``actions.py`` that makes that change, with its checks and its
  event. A refusal is shown as a message in Chinese, never as a server error.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.core.models import AuditEvent


class ScopedAdminMixin:
    """For non-superusers, the admin shows only what ``visible_to(user)`` returns; anything else is a 404
    because get_object() reads through the same queryset."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # An administrator (三员分立) sees every row of the models in their area and nothing of others'; the
        # user model says which (core imports no app).
        sees_all = getattr(request.user, "admin_sees_all", None)
        if sees_all is not None and sees_all(self.model):
            return queryset
        return queryset.visible_to(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Readable here, never written: the rows are created and changed only by their actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """History shown beside a row (its events): never added to, changed or deleted from here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def refusal_message(error) -> str:
    """The words of a refused action, for a person."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("您无权执行此操作。")


class Refused(ValidationError):
    """An action refused while the admin was saving: the change form shows why, nothing is saved."""


class ThroughActionsAdmin(admin.ModelAdmin):
    """An admin whose saves and admin actions call the actions in ``actions.py``.

    ``save_model`` runs the action through ``self.run``; a refusal (a ``ValidationError`` or a
    ``PermissionDenied`` raised by the action) undoes the whole save, since the change form runs in one
    transaction, and comes back as an error message over the same (fresh) form.
    """

    def run(self, action, *args, **kwargs):
        """Call ``action`` (from save_model); a permission refusal becomes a message like any other."""
        try:
            return action(*args, **kwargs)
        except PermissionDenied as error:
            raise Refused(refusal_message(error)) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A rule the form could not see (another employer's commissioner, a concurrent change): the
            # transaction is rolled back, nothing was saved.
            self.message_user(request, refusal_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def apply_to_each(self, request, queryset, change, *, done_message):
        """Run ``change(obj, at)`` on each selected row in its own transaction; report each refusal by name
        and how many went through. One refused row does not undo the others."""
        at = timezone.now()
        done = 0
        for obj in queryset:
            try:
                with transaction.atomic():
                    change(obj, at)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{obj}：{refusal_message(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        return done


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # The actor as recorded at the time (actor_display), never the live user row, which may be gone.
    list_display = ["at", "kind", "actor_display", "roles", "object_type", "object_id", "result", "ip"]
    list_filter = ["kind", "result"]
    search_fields = ["object_id", "request_id", "actor_login"]
    date_hierarchy = "at"
