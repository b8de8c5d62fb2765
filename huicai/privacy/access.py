"""Who sees which data requests: the talent their own; window staff those filed at windows of their subtree."""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.core.models import AuditEvent


def requests_visible_to(queryset, user):
    scope = get_scope(user)
    conditions = []
    # The talent sees their own requests.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # A window commissioner sees the requests handled by their window and the windows below it.
    window = window_condition(scope, "window__path")
    if window is not None:
        conditions.append(window)
    combined = any_of(conditions)
    if combined is None:
        return queryset.none()
    return queryset.filter(combined)


def get_request_for_user(user, pk):
    from huicai.privacy.models import DataRequest

    request = DataRequest.objects.visible_to(user).select_related("talent", "window").filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def can_answer(user, data_request) -> bool:
    """Only window staff over the request's window answer it; the talent who asked does not."""
    scope = get_scope(user)
    return any(data_request.window.path.startswith(path) for path in scope.window_paths)


def access_log(talent):
    """Who looked at or exported the talent's record: the reveals and exports the audit log kept."""
    return AuditEvent.objects.filter(
        object_type="talents.talent",
        object_id=str(talent.pk),
        kind__in=[AuditEvent.Kind.REVEAL, AuditEvent.Kind.EXPORT],
    ).order_by("-at", "-id")
